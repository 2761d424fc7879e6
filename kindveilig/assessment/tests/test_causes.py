"""Causes (research question 5): the service checks each cause against the case and the
knowledge base, the page shows them per parent beside the Framework findings, and the API
adds, changes (409 when stale) and removes."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kindveilig.accounts.services import api_token_create
from kindveilig.assessment.models import CauseFactor
from kindveilig.assessment.selectors.causes import cause_overview
from kindveilig.assessment.services.causes import cause_add, cause_change, cause_remove
from kindveilig.audit.models import AuditEvent
from kindveilig.cases.records import ConcurrentEditError
from kindveilig.demo import builders
from kindveilig.investigation.models import FrameworkFinding
from kindveilig.investigation.services import investigation_record_add

NEGATIVE = "ouderfactor.negatief.verslaving"


@pytest.fixture
def family(coordinator, make_user):
    return builders.family(
        coordinator=coordinator,
        name="familie Oorzaak",
        members=[(make_user("collega-oorzaak"), "case_worker")],
        persons=[
            builders.PersonSpec("child", "Mila", "Oorzaak", dt.date(2017, 3, 14)),
            builders.PersonSpec("parent", "Eva", "Oorzaak", dt.date(1990, 7, 21)),
            builders.PersonSpec("caregiver", "Tom", "Oorzaak", dt.date(1988, 1, 1)),
        ],
    )


def person(case, name):
    return case.persons.get(given_name=name)


def positive_code():
    from kindveilig.knowledge.loader import knowledge_base

    return next(e.code for e in knowledge_base()["parent_factors"] if e.polarity == "positive")


def test_a_parent_factor_takes_its_polarity_from_the_knowledge_base(family, coordinator) -> None:
    eva = person(family, "Eva")
    cause = cause_add(
        actor=coordinator,
        case=family,
        values={
            "kind": "parent",
            "parent_id": eva.pk,
            "code": NEGATIVE,
            "polarity": "positive",
            "note": "Drinkt dagelijks",
        },
    )
    assert cause.polarity == "negative" and cause.version == 1
    event = AuditEvent.objects.filter(object_type="cause_factor").latest("id")
    assert event.action == "create" and str(eva.pk) in event.client_ids
    good = cause_add(
        actor=coordinator,
        case=family,
        values={"kind": "parent", "parent_id": person(family, "Tom").pk, "code": positive_code()},
    )
    assert good.polarity == "positive"


def test_every_problem_is_reported_and_nothing_is_saved(family, coordinator) -> None:
    with pytest.raises(ValidationError) as refusal:
        cause_add(
            actor=coordinator,
            case=family,
            values={"kind": "parent", "parent_id": person(family, "Mila").pk, "code": "x"},
        )
    assert set(refusal.value.message_dict) == {"parent", "code"}
    with pytest.raises(ValidationError) as refusal:
        cause_add(
            actor=coordinator,
            case=family,
            values={
                "kind": "family_environment",
                "parent_id": person(family, "Eva").pk,
                "code": "kind.gezondheid",
                "note": "x" * 20001,
            },
        )
    assert set(refusal.value.message_dict) == {"parent", "code", "polarity", "note"}
    with pytest.raises(ValidationError) as refusal:
        cause_add(actor=coordinator, case=family, values={"kind": "parent", "colour": "red"})
    assert "colour" in refusal.value.message_dict
    assert not CauseFactor.objects.exists()
    assert not AuditEvent.objects.filter(object_type="cause_factor").exists()


def test_change_is_optimistic_and_remove_keeps_the_history(family, coordinator) -> None:
    cause = cause_add(
        actor=coordinator,
        case=family,
        values={
            "kind": "family_environment",
            "code": "omgeving.financien",
            "polarity": "negative",
            "note": "Schulden",
        },
    )
    changed = cause_change(
        actor=coordinator,
        record=cause,
        expected_version=1,
        values={"polarity": "positive", "note": "Schuldhulp loopt"},
    )
    assert changed.version == 2 and changed.polarity == "positive"
    event = AuditEvent.objects.filter(object_type="cause_factor", action="update").latest("id")
    assert "note" in event.detail and "polarity" in event.detail
    with pytest.raises(ConcurrentEditError):
        cause_change(actor=coordinator, record=cause, expected_version=1, values={"note": "x"})
    with pytest.raises(ValidationError):
        cause_change(actor=coordinator, record=changed, expected_version=2, values={"code": "x"})
    assert CauseFactor.objects.get().note == "Schuldhulp loopt"
    cause_remove(actor=coordinator, record=changed)
    assert not CauseFactor.objects.exists()
    assert CauseFactor.history.filter(id=cause.pk).count() == 3
    assert AuditEvent.objects.filter(object_type="cause_factor", action="delete").exists()


def test_the_overview_groups_per_parent_with_the_findings_beside(family, coordinator) -> None:
    eva = person(family, "Eva")
    cause_add(
        actor=coordinator,
        case=family,
        values={"kind": "parent", "parent_id": eva.pk, "code": NEGATIVE, "note": "Drinkt"},
    )
    cause_add(
        actor=coordinator,
        case=family,
        values={
            "kind": "family_environment",
            "code": "omgeving.woonsituatie",
            "polarity": "positive",
        },
    )
    investigation_record_add(
        actor=coordinator,
        case=family,
        model=FrameworkFinding,
        values={
            "person_id": eva.pk,
            "dimension": "opvoeding.basale-verzorging",
            "kind": "concern",
            "text": "Bevinding-Eva",
        },
    )
    investigation_record_add(
        actor=coordinator,
        case=family,
        model=FrameworkFinding,
        values={"dimension": "omgeving.financien", "kind": "concern", "text": "Bevinding-gezin"},
    )
    groups = cause_overview(case=family)
    assert [group.parent.given_name if group.parent else None for group in groups] == [
        "Eva",
        "Tom",
        None,
    ]
    assert [c.code for c in groups[0].negative] == [NEGATIVE]
    assert [c.code for c in groups[2].positive] == ["omgeving.woonsituatie"]
    assert [f.cell.code for f in groups[0].findings] == ["opvoeding.basale-verzorging"]
    assert groups[1].findings == []
    assert [f.cell.code for f in groups[2].findings] == ["omgeving.financien"]


def test_the_page_shows_causes_and_findings_and_adds(client, family, coordinator) -> None:
    client.force_login(coordinator)
    url = reverse("assessment:causes", args=[family.pk])
    investigation_record_add(
        actor=coordinator,
        case=family,
        model=FrameworkFinding,
        values={"dimension": "omgeving.financien", "kind": "concern", "text": "Bevinding-gezin"},
    )
    response = client.post(
        url,
        {
            "kind": "parent",
            "parent": person(family, "Eva").pk,
            "parent_factor": NEGATIVE,
            "note": "Drinkt dagelijks",
        },
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "Drinkt dagelijks" in page and "Bevinding-gezin" in page
    wrong = client.post(url, {"kind": "family_environment", "dimension": "omgeving.financien"})
    assert wrong.status_code == 200 and "polarity" in wrong.context["form"].errors
    cause = CauseFactor.objects.get()
    edit = reverse("assessment:cause_edit", args=[family.pk, cause.pk])
    assert client.get(edit).status_code == 200
    data = {"kind": "parent", "parent": person(family, "Eva").pk, "parent_factor": NEGATIVE}
    assert client.post(edit, {**data, "note": "Nu minder", "version": 1}).status_code == 302
    stale = client.post(edit, {**data, "note": "Oud", "version": 1})
    assert stale.status_code == 200 and stale.context["conflict"].note == "Nu minder"
    remove = reverse("assessment:cause_remove", args=[family.pk, cause.pk])
    assert client.post(remove).status_code == 302
    assert not CauseFactor.objects.exists()


def test_non_members_get_404(client, family, outsider) -> None:
    client.force_login(outsider)
    assert client.get(reverse("assessment:causes", args=[family.pk])).status_code == 404


def test_the_api_adds_changes_and_removes(client, family, coordinator) -> None:
    headers = {"Authorization": f"Bearer {api_token_create(user=coordinator)}"}
    base = f"/api/v1/cases/{family.pk}/causes"
    created = client.post(
        base,
        {"kind": "parent", "parent_id": person(family, "Eva").pk, "code": NEGATIVE, "note": "x"},
        "application/json",
        headers=headers,
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["polarity"] == "negative" and body["version"] == 1
    item = f"{base}/{body['id']}"
    changed = client.patch(item, {"version": 1, "note": "y"}, "application/json", headers=headers)
    assert changed.status_code == 200 and changed.json()["note"] == "y"
    stale = client.patch(item, {"version": 1, "note": "z"}, "application/json", headers=headers)
    assert stale.status_code == 409 and stale.json()["current"]["note"] == "y"
    assert [r["id"] for r in client.get(base, headers=headers).json()] == [body["id"]]
    wrong = client.post(
        base, {"kind": "family_environment", "code": "x"}, "application/json", headers=headers
    )
    assert wrong.status_code == 422
    assert {e["field"] for e in wrong.json()["detail"]} == {"code", "polarity"}
    assert client.delete(item, headers=headers).status_code == 204
    assert not CauseFactor.objects.exists()
