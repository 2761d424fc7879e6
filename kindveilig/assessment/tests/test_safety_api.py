"""The API of the safety assessment: the 201 shape, the list with the current flag, every 422
(naming the field and the value), 404 for non-members, and the audit events."""

import datetime as dt

import pytest

from kindveilig.accounts.services import api_token_create
from kindveilig.assessment.models import SafetyAssessment
from kindveilig.audit.models import AuditEvent
from kindveilig.demo import builders

INJURY = "mishandeling.letsel-zonder-ongeval"
SIBLING = "kind.broer-zus-alarmsignaal"


@pytest.fixture
def family(coordinator):
    return builders.family(
        coordinator=coordinator,
        name="familie Api",
        persons=[
            builders.PersonSpec("child", "Anna", "Api", dt.date(2016, 3, 14)),
            builders.PersonSpec("child", "Bram", "Api", dt.date(2020, 2, 2)),
            builders.PersonSpec("parent", "Eva", "Api", dt.date(1990, 7, 21)),
        ],
    )


def headers(user):
    return {"Authorization": f"Bearer {api_token_create(user=user)}", "Accept-Language": "en"}


def url(case):
    return f"/api/v1/cases/{case.pk}/safety-assessments"


def body(child, **extra):
    return {
        "child_id": child.pk,
        "alarm_signals": [],
        "responsible_adult_guarantees_safety": False,
        "responsible_adult": None,
        "substantiation": "Gezien op school.",
        **extra,
    }


def post(client, case, user, payload):
    return client.post(
        url(case), data=payload, content_type="application/json", headers=headers(user)
    )


def test_a_post_answers_201_with_the_decision_and_its_reasons(client, family, coordinator) -> None:
    anna = family.persons.get(given_name="Anna")
    response = post(client, family, coordinator, body(anna, alarm_signals=[INJURY]))
    assert response.status_code == 201
    data = response.json()
    core = {key: data[key] for key in ("id", "child_id", "decision", "immediate_action_required")}
    assert core == {
        "id": SafetyAssessment.objects.get().pk,
        "child_id": anna.pk,
        "decision": "direct_danger",
        "immediate_action_required": True,
    }
    assert data["alarm_signals"] == [{"code": INJURY, "source": "recorded"}]
    assert data["reasons"] == [
        "Alarm signals (Injury not caused by an accident) and no responsible adult who guarantees "
        "safety now: direct danger, act at once."
    ]
    assert data["rule_decision"] == "direct_danger" and data["assessed_by"] == str(coordinator)


def test_the_sibling_signal_and_an_override_in_the_answer(client, family, coordinator) -> None:
    anna, bram = (family.persons.get(given_name=name) for name in ("Anna", "Bram"))
    post(client, family, coordinator, body(anna, alarm_signals=[INJURY]))
    response = post(
        client,
        family,
        coordinator,
        body(
            bram,
            responsible_adult_guarantees_safety=True,
            responsible_adult="Oma",
            override_decision="no_direct_danger",
            override_reason="Bram woont bij oma.",
            notes={SIBLING: "Zus Anna"},
        ),
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["alarm_signals"] == [{"code": SIBLING, "source": "sibling"}]
    assert (data["rule_decision"], data["decision"]) == (
        "safety_agreements_needed",
        "no_direct_danger",
    )
    assert data["immediate_action_required"] is False
    assert data["reasons"][-1] == "Bram woont bij oma." and len(data["reasons"]) == 3
    assert data["notes"] == {SIBLING: "Zus Anna"}


def test_the_list_marks_the_current_assessment_per_child(client, family, coordinator) -> None:
    anna, bram = (family.persons.get(given_name=name) for name in ("Anna", "Bram"))
    first = post(client, family, coordinator, body(anna)).json()["id"]
    second = post(client, family, coordinator, body(anna, alarm_signals=[INJURY])).json()["id"]
    third = post(client, family, coordinator, body(bram)).json()["id"]
    reads = AuditEvent.objects.filter(action="read").count()
    response = client.get(url(family), headers=headers(coordinator))
    assert response.status_code == 200
    listed = [(item["id"], item["child_id"], item["current"]) for item in response.json()]
    assert listed == [(second, anna.pk, True), (first, anna.pk, False), (third, bram.pk, True)]
    assert AuditEvent.objects.filter(action="read").count() == reads + 1
    event = AuditEvent.objects.filter(action="read").latest("id")
    assert event.object_type == "case" and set(event.client_id_list()) >= {anna.pk, bram.pk}


@pytest.mark.parametrize(
    ("change", "field", "named"),
    [
        ({"alarm_signals": ["kind.bestaat-niet"]}, "alarm_signals", "kind.bestaat-niet"),
        ({"substantiation": "  "}, "substantiation", ""),
        (
            {"responsible_adult_guarantees_safety": True, "responsible_adult": None},
            "responsible_adult",
            "",
        ),
        ({"override_decision": "direct_danger"}, "override_reason", ""),
    ],
)
def test_wrong_input_is_a_422_naming_the_field(
    client, family, coordinator, change, field, named
) -> None:
    anna = family.persons.get(given_name="Anna")
    payload = body(anna, **change)
    if "override_decision" in change:
        payload["alarm_signals"] = [INJURY]
        payload["override_decision"] = "safety_agreements_needed"
    response = post(client, family, coordinator, payload)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert field in {item["field"] for item in detail}
    assert named in " ".join(item["message"] for item in detail)
    assert SafetyAssessment.objects.count() == 0


def test_a_parent_or_a_child_of_another_case_is_a_422(client, family, coordinator) -> None:
    other = builders.family(
        coordinator=coordinator,
        name="familie Elders",
        persons=[builders.PersonSpec("child", "Olaf", "Elders", dt.date(2018, 1, 1))],
    )
    for wrong in (family.persons.get(given_name="Eva"), other.persons.get()):
        response = post(client, family, coordinator, body(wrong))
        assert response.status_code == 422
        [error] = response.json()["detail"]
        assert error["field"] == "child_id" and str(wrong.pk) in error["message"]
    assert SafetyAssessment.objects.count() == 0


def test_a_non_member_gets_404_and_nothing_is_saved(client, family, outsider) -> None:
    anna = family.persons.get(given_name="Anna")
    assert post(client, family, outsider, body(anna, alarm_signals=[INJURY])).status_code == 404
    assert client.get(url(family), headers=headers(outsider)).status_code == 404
    assert SafetyAssessment.objects.count() == 0
    denied = AuditEvent.objects.filter(action="access_denied")
    assert denied.count() == 2


def test_writing_and_reading_are_audited_with_the_child_as_client(
    client, family, coordinator
) -> None:
    anna = family.persons.get(given_name="Anna")
    created = post(client, family, coordinator, body(anna, alarm_signals=[INJURY])).json()
    write = AuditEvent.objects.get(object_type="safety_assessment", action="create")
    assert (write.case_id, write.object_id, write.user_id) == (
        family.pk,
        str(created["id"]),
        coordinator.pk,
    )
    assert f",{anna.pk}," in write.client_ids
    before = AuditEvent.objects.filter(action="read", case_id=family.pk).count()
    listed = client.get(url(family), headers=headers(coordinator))
    assert [item["id"] for item in listed.json()] == [created["id"]]
    assert AuditEvent.objects.filter(action="read", case_id=family.pk).count() == before + 1
