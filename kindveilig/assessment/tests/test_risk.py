"""The risk assessment's service (R3 through it at the boundaries, R4 counts, overrides, nothing
saved on error, audit) and its pages (scenarios and context shown, invalid input kept,
instrument outcomes added, changed and removed beside the caveats)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from kindveilig.assessment.models import InstrumentOutcome, RiskAssessment, RiskScenario
from kindveilig.assessment.services import risk as services
from kindveilig.audit.models import AuditEvent
from kindveilig.cases.records import ConcurrentEditError

RISK_PARENT = "risico.ouder.verslaving"
RISK_CHILD = "risico.kind.jong-kind"
PROTECTIVE = "bescherming.ouder.competentie-draagkracht"
CHILD_PROTECTIVE = "bescherming.kind.zelfwaardering"


def scenario(description="Het gaat weer mis", **values):
    return {
        "description": description,
        "kind": "recurrence",
        "probability": 20,
        "severity": 2,
    } | values


def record(actor, case, **values):
    arguments = {"risk_factors": [], "protective_factors": [], "scenarios": []} | values
    return services.risk_assessment_record(actor=actor, case=case, **arguments)


def test_r3_order_and_priorities_at_the_boundaries(coordinator, family_case) -> None:
    assessment = record(
        coordinator,
        family_case,
        scenarios=[
            scenario("49/3", probability=49, severity=3),
            scenario("50/3", probability=50, severity=3),
            scenario("49/4", probability=49, severity=4),
            scenario("50/4", probability=50, severity=4),
        ],
    )
    rows = list(assessment.scenarios.all())
    assert [(row.position, row.description, row.priority) for row in rows] == [
        (1, "50/4", "A"),
        (2, "49/4", "B"),
        (3, "50/3", "C"),
        (4, "49/3", "D"),
    ]
    assert [row.requires_safety_plan for row in rows] == [True, True, False, False]
    assert [reason["code"] for reason in assessment.reasons if reason["rule"] == "R3"] == [
        "r3.priority-a",
        "r3.priority-b",
        "r3.priority-c",
        "r3.priority-d",
    ]


def test_r4_counts_by_level_weighty_and_the_child_protective_factors(
    coordinator, family_case
) -> None:
    from kindveilig.assessment.selectors.risk import risk_view

    assessment = record(
        coordinator,
        family_case,
        risk_factors=[RISK_PARENT, {"code": RISK_CHILD, "weighty": True}],
        protective_factors=[PROTECTIVE, CHILD_PROTECTIVE],
    )
    assert assessment.risk_factors == [
        {"code": RISK_PARENT, "weighty": False},
        {"code": RISK_CHILD, "weighty": True},
    ]
    assert assessment.context == "some"
    view = risk_view(assessment)
    assert view.count_by_level == {"ouder": 1, "kind": 1}
    assert [factor.code for factor in view.weighty] == [RISK_CHILD]
    assert [factor.code for factor in view.protective] == [PROTECTIVE]
    assert [factor.code for factor in view.child_buffers] == [CHILD_PROTECTIVE]
    codes = [reason["code"] for reason in assessment.reasons]
    assert {"r4.context-some", "r4.weighty", "r4.child-buffers"} <= set(codes)
    assert "2" in view.context and "Brown" not in view.context  # the text, not the note


def test_many_factors_from_the_threshold(coordinator, family_case) -> None:
    codes = [RISK_PARENT, RISK_CHILD, "risico.kind.ongewenst", "risico.ouder.eerdere-mishandeling"]
    assert record(coordinator, family_case, risk_factors=codes).context == "many"
    assert record(coordinator, family_case, risk_factors=codes[:3]).context == "some"
    assert record(coordinator, family_case).context == "none"


def test_an_override_needs_a_reason_and_must_differ(coordinator, family_case) -> None:
    with pytest.raises(ValidationError) as missing:
        record(coordinator, family_case, scenarios=[scenario(override_priority="A")])
    assert list(missing.value.message_dict) == ["scenarios.0.override_reason"]
    with pytest.raises(ValidationError) as same:
        record(
            coordinator,
            family_case,
            scenarios=[scenario(override_priority="D", override_reason="Omdat")],
        )
    assert list(same.value.message_dict) == ["scenarios.0.override_priority"]
    assessment = record(
        coordinator,
        family_case,
        scenarios=[scenario(override_priority="B", override_reason="Vader is onvoorspelbaar")],
    )
    row = assessment.scenarios.get()
    assert (row.priority, row.current_priority, row.requires_safety_plan) == ("D", "B", True)


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"risk_factors": ["risico.bestaat-niet"]}, "risk_factors"),
        ({"risk_factors": [RISK_PARENT, RISK_PARENT]}, "risk_factors"),
        ({"protective_factors": ["bescherming.bestaat-niet"]}, "protective_factors"),
        ({"scenarios": [scenario(description="  ")]}, "scenarios.0.description"),
        ({"scenarios": [scenario(kind="soms")]}, "scenarios.0.kind"),
        ({"scenarios": [scenario(), scenario(probability=101)]}, "scenarios.1.probability"),
        ({"scenarios": [scenario(severity=0)]}, "scenarios.0.severity"),
        ({"scenarios": [scenario(override_priority="E")]}, "scenarios.0.override_priority"),
    ],
)
def test_wrong_input_names_its_field_and_saves_nothing(
    coordinator, family_case, values, field
) -> None:
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as error:
        record(coordinator, family_case, **values)
    assert field in error.value.message_dict
    assert not RiskAssessment.objects.exists() and not RiskScenario.objects.exists()
    assert AuditEvent.objects.count() == events


def test_the_unknown_code_is_named(coordinator, family_case) -> None:
    with pytest.raises(ValidationError) as error:
        record(coordinator, family_case, risk_factors=["risico.bestaat-niet"])
    assert "risico.bestaat-niet" in error.value.message_dict["risk_factors"][0]


def test_saving_is_audited_and_a_reassessment_is_a_new_record(coordinator, family_case) -> None:
    first = record(coordinator, family_case, notes="Eerste")
    second = record(coordinator, family_case, notes="Tweede")
    assert first.pk != second.pk and RiskAssessment.objects.count() == 2
    event = AuditEvent.objects.filter(object_type="risk_assessment").latest("id")
    assert (event.action, event.object_id, event.case_id) == (
        "create",
        str(second.pk),
        family_case.pk,
    )


def instrument(coordinator, case, **values):
    return services.instrument_outcome_add(
        actor=coordinator,
        case=case,
        values={
            "instrument": "lirik",
            "administered_on": dt.date(2026, 1, 5),
            "administered_by": "Gedragswetenschapper",
            "outcome": "Hoog risico",
        }
        | values,
    )


def test_instrument_outcomes_are_checked_changed_and_removed(coordinator, family_case) -> None:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    for values, field in (
        ({"instrument": "tarot"}, "instrument"),
        ({"administered_on": tomorrow}, "administered_on"),
        ({"outcome": "  "}, "outcome"),
    ):
        with pytest.raises(ValidationError) as error:
            instrument(coordinator, family_case, **values)
        assert field in error.value.message_dict
    outcome = instrument(coordinator, family_case)
    changed = services.instrument_outcome_change(
        actor=coordinator, record=outcome, expected_version=1, values={"outcome": "Matig"}
    )
    assert (changed.outcome, changed.version) == ("Matig", 2)
    with pytest.raises(ConcurrentEditError):
        services.instrument_outcome_change(
            actor=coordinator, record=outcome, expected_version=1, values={"outcome": "Laag"}
        )
    services.instrument_outcome_remove(actor=coordinator, record=changed)
    assert not InstrumentOutcome.objects.exists()
    event = AuditEvent.objects.filter(object_type="instrument_outcome").latest("id")
    assert event.action == "delete"


# --- Pages ------------------------------------------------------------------------------------


def test_the_page_shows_the_scenarios_the_context_and_the_guidance(
    client, coordinator, family_case
) -> None:
    record(
        coordinator,
        family_case,
        risk_factors=[RISK_PARENT],
        protective_factors=[CHILD_PROTECTIVE],
        scenarios=[scenario("Vader drinkt weer", probability=60, severity=5)],
    )
    record(
        coordinator,
        family_case,
        risk_factors=[{"code": RISK_PARENT, "weighty": True}],
        protective_factors=[CHILD_PROTECTIVE],
        scenarios=[
            scenario("Vader slaat opnieuw", probability=60, severity=5),
            scenario("Moeder verhuist", probability=10, severity=2, kind="circumstances-change"),
        ],
    )
    client.force_login(coordinator)
    page = client.get(reverse("assessment:risk", args=[family_case.pk])).content.decode()
    assert "Vader slaat opnieuw" in page and "Moeder verhuist" in page
    assert page.index("Vader slaat opnieuw") < page.index("Moeder verhuist")
    assert 'data-testid="needs-safety-plan"' in page
    assert 'data-testid="risk-context"' in page and "voorspelling" in page
    assert 'data-testid="child-buffers"' in page
    assert 'class="kv-risk-matrix" role="img"' in page
    assert 'data-testid="risk-questions"' in page and 'data-testid="risk-steps"' in page
    assert 'data-testid="risk-history"' in page and "Vader drinkt weer" in page
    assert 'data-testid="instrument-caveats"' in page


def test_the_form_saves_and_an_invalid_post_keeps_the_input(
    client, coordinator, family_case
) -> None:
    client.force_login(coordinator)
    url = reverse("assessment:risk_add", args=[family_case.pk])
    assert 'data-testid="child-buffer-caveat"' in client.get(url).content.decode()
    data = {
        "risk_factors": [RISK_PARENT],
        "weighty": [RISK_PARENT],
        "protective_factors": [CHILD_PROTECTIVE],
        "notes": "Mijn notitie",
        "scenario-TOTAL_FORMS": "3",
        "scenario-INITIAL_FORMS": "0",
        "scenario-MIN_NUM_FORMS": "0",
        "scenario-MAX_NUM_FORMS": "30",
        "scenario-0-description": "Vader drinkt weer",
        "scenario-0-kind": "recurrence",
        "scenario-0-probability": "150",
        "scenario-0-severity": "4",
        "scenario-1-description": "Oma wordt ziek",
        "scenario-1-kind": "circumstances-change",
        "scenario-1-probability": "30",
        "scenario-1-severity": "3",
        "scenario-1-override_priority": "A",
    }
    invalid = client.post(url, data)
    assert invalid.status_code == 200
    assert not RiskAssessment.objects.exists()
    formset = invalid.context["formset"]
    assert formset.forms[0].errors["probability"]
    body = invalid.content.decode()
    assert "Vader drinkt weer" in body and "Mijn notitie" in body and 'value="150"' in body
    data["scenario-0-probability"] = "55"
    reason_missing = client.post(url, data)  # the service's error lands on its field
    assert reason_missing.status_code == 200
    assert reason_missing.context["formset"].forms[1].errors["override_reason"]
    assert not RiskAssessment.objects.exists()
    data["scenario-1-override_reason"] = "Oma is de enige steun"
    response = client.post(url, data)
    assert response.status_code == 302
    assessment = RiskAssessment.objects.get()
    assert assessment.risk_factors == [{"code": RISK_PARENT, "weighty": True}]
    assert [(row.description, row.current_priority) for row in assessment.scenarios.all()] == [
        ("Vader drinkt weer", "A"),
        ("Oma wordt ziek", "A"),
    ]
    again = client.get(url).content.decode()  # re-assessing starts from the previous one
    assert "Oma wordt ziek" in again and "Oma is de enige steun" in again


def test_instrument_outcome_pages(client, coordinator, family_case) -> None:
    client.force_login(coordinator)
    add = reverse("assessment:instrument_add", args=[family_case.pk])
    assert 'data-testid="instrument-caveats"' in client.get(add).content.decode()
    values = {
        "instrument": "care-nl",
        "administered_on": "05-01-2026",
        "administered_by": "Gedragswetenschapper",
        "outcome": "Verhoogd risico",
    }
    assert client.post(add, values | {"outcome": ""}).status_code == 200
    assert client.post(add, values).status_code == 302
    outcome = InstrumentOutcome.objects.get()
    page = client.get(reverse("assessment:risk", args=[family_case.pk])).content.decode()
    assert "Verhoogd risico" in page
    edit = reverse("assessment:instrument_edit", args=[family_case.pk, outcome.pk])
    assert client.post(edit, values | {"outcome": "Laag", "version": "1"}).status_code == 302
    stale = client.post(edit, values | {"outcome": "Anders", "version": "1"})
    assert 'data-testid="conflict"' in stale.content.decode()
    assert InstrumentOutcome.objects.get().outcome == "Laag"
    remove = reverse("assessment:instrument_remove", args=[family_case.pk, outcome.pk])
    assert client.post(remove).status_code == 302
    assert not InstrumentOutcome.objects.exists()


def test_non_members_get_404(client, outsider, family_case) -> None:
    client.force_login(outsider)
    for name in ("assessment:risk", "assessment:risk_add", "assessment:instrument_add"):
        assert client.get(reverse(name, args=[family_case.pk])).status_code == 404
