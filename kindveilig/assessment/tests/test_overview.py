"""The stage "Beoordeling" in the workspace: its progress, its next steps computed from the
stored judgement (R1, R2, R3, the review date, the four-eyes states) and its overview page."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from kindveilig.accounts.models import Role
from kindveilig.approvals.services import approval_decide
from kindveilig.assessment.models import SafetyAssessment
from kindveilig.assessment.selectors.overview import (
    case_judging_steps,
    judging_facts,
    judging_progress,
)
from kindveilig.assessment.services.risk import risk_assessment_record
from kindveilig.assessment.services.safety import safety_assessment_record
from kindveilig.cases.models import Case
from kindveilig.demo import builders

INJURY = "mishandeling.letsel-zonder-ongeval"


@pytest.fixture
def scientist(make_user):
    return make_user("gw-overzicht", Role.BEHAVIOURAL_SCIENTIST)


@pytest.fixture
def family(coordinator, scientist):
    return builders.family(
        coordinator=coordinator,
        name="familie Overzicht",
        members=[(scientist, "behavioural_scientist")],
        persons=[
            builders.PersonSpec("child", "Anna", "Overzicht", dt.date(2016, 3, 14)),
            builders.PersonSpec("child", "Bram", "Overzicht", dt.date(2020, 2, 2)),
        ],
    )


def fresh(case: Case) -> Case:
    """The case as the next request reads it (judgement is read once per case object)."""
    return Case.objects.get(pk=case.pk)


def assess(actor, case, name, signals=(), *, guarantee=False, **extra):
    return safety_assessment_record(
        actor=actor,
        case=case,
        child_id=case.persons.get(given_name=name).pk,
        alarm_signals=list(signals),
        responsible_adult_guarantees_safety=guarantee,
        responsible_adult="Oma" if guarantee else "",
        substantiation="Gezien en gesproken.",
        **extra,
    )


def codes(case: Case) -> list[str]:
    return [step.reasons[0].code for step in case_judging_steps(case=fresh(case))]


def test_a_case_not_judged_asks_for_each_part(family) -> None:
    assert codes(family) == [
        "steps.safety-not-assessed",
        "steps.safety-not-assessed",
        "steps.risk-not-assessed",
        "steps.no-causes",
        "steps.no-conclusion",
    ]
    assert judging_progress(judging_facts(fresh(family))) == (0, 5)


def test_direct_danger_first_then_r2_and_the_approval(family, coordinator, scientist) -> None:
    bram = assess(coordinator, family, "Bram")
    assess(coordinator, family, "Anna", [INJURY])
    steps = codes(family)
    assert steps[0] == "steps.direct-danger"
    # Anna's signal came after Bram's assessment: R2 asks to assess Bram again.
    assert "steps.sibling-signal-since" in steps
    assert steps.count("steps.safety-awaiting-approval") == 2
    approval_decide(
        actor=scientist,
        case=fresh(family),
        subject_type="safety_assessment",
        subject_id=bram.pk,
        subject_version=1,
        decision="approved",
        comment="",
    )
    assert codes(family).count("steps.safety-awaiting-approval") == 1
    # Bram re-assessed: R2 adds the sibling signal, the step is gone.
    assess(coordinator, family, "Bram", guarantee=True)
    assert "steps.sibling-signal-since" not in codes(family)


def test_a_decision_past_its_review_date_is_a_warning(client, family, coordinator) -> None:
    anna = assess(coordinator, family, "Anna")
    assert anna.review_on == timezone.localdate() + dt.timedelta(days=42)  # the default term
    SafetyAssessment.objects.filter(pk=anna.pk).update(
        review_on=timezone.localdate() - dt.timedelta(days=1)
    )
    assert "steps.safety-review-due" in codes(family)
    client.force_login(coordinator)
    page = client.get(reverse("assessment:overview", args=[family.pk])).content.decode()
    assert 'data-testid="review-due"' in page


def test_a_and_b_scenarios_need_safety_plan_agreements(family, coordinator) -> None:
    risk_assessment_record(
        actor=coordinator,
        case=family,
        risk_factors=["risico.ouder.verslaving"],
        protective_factors=[],
        scenarios=[
            {"description": "Terugval", "kind": "recurrence", "probability": 60, "severity": 4},
            {"description": "Ruzie", "kind": "continuation", "probability": 60, "severity": 2},
        ],
    )
    steps = case_judging_steps(case=fresh(family))
    planned = [step for step in steps if step.decision == "safety-plan-agreements"]
    assert [step.reasons[0].fact("description") for step in planned] == ["Terugval"]
    assert judging_progress(judging_facts(fresh(family))) == (1, 5)


def test_the_overview_page_shows_decisions_matrix_and_steps(client, family, coordinator) -> None:
    assess(coordinator, family, "Anna", [INJURY])
    risk_assessment_record(
        actor=coordinator,
        case=family,
        risk_factors=[],
        protective_factors=[],
        scenarios=[
            {"description": "Terugval", "kind": "recurrence", "probability": 10, "severity": 5}
        ],
    )
    client.force_login(coordinator)
    page = client.get(reverse("assessment:overview", args=[family.pk])).content.decode()
    overview = page[page.index('data-testid="safety-overview"') :]
    assert 'data-decision="direct_danger"' in overview
    assert "nog niet beoordeeld" in overview  # Bram
    assert 'class="kv-risk-matrix"' in page
    steps = page[page.index('data-testid="next-steps"') :]
    assert steps.index("Anna (10) is in direct gevaar") < steps.index("Bram")


def test_non_members_do_not_see_the_stage(client, family, outsider) -> None:
    client.force_login(outsider)
    response = client.get(reverse("assessment:overview", args=[family.pk]))
    assert response.status_code == 404
    assert b"Overzicht" not in response.content
