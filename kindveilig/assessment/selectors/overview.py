"""What the stage "Beoordeling" shows and asks for: the facts of judging for the next steps
(``method.judging.judging_steps``) and the stage's progress."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.utils import timezone

from kindveilig.assessment.models import CauseFactor
from kindveilig.assessment.selectors.current import (
    current_conclusion,
    current_risk_assessment,
    current_safety_assessments,
)
from kindveilig.assessment.selectors.safety import (
    NEW_SIBLING_SIGNAL,
    SIBLING_SIGNAL_LAPSED,
    r2_changes,
)
from kindveilig.cases.models import Case, Person, PersonRole
from kindveilig.cases.selectors import case_persons
from kindveilig.core.prepared import Prepared
from kindveilig.method.judging import (
    ChildSafetyFacts,
    JudgingFacts,
    judging_steps,
)
from kindveilig.method.outcome import Outcome

# The four-eyes state of a judgement comes from the approvals app, which sits above this one:
# it registers a function (case -> {(subject_type, subject_id): "approved" | "returned" |
# "awaiting"}) when Django starts. Without it, nothing waits for approval.
ApprovalSource = Callable[[Case], dict[tuple[str, int], str]]
_approval_sources: list[ApprovalSource] = []


def register_approval_source(source: ApprovalSource) -> None:
    if source not in _approval_sources:
        _approval_sources.append(source)


def approval_states(case: Case) -> dict[tuple[str, int], str]:
    states: dict[tuple[str, int], str] = {}
    for source in _approval_sources:
        states.update(source(case))
    return states


def _name(child: Person, today: dt.date) -> str:
    age = child.age_on(today)
    return f"{child.given_name} ({age})" if age is not None else child.given_name


# On every case page (core.prepared); a case has a handful of causes.
_CAUSE_IDS = Prepared(
    lambda case_id: CauseFactor.objects.filter(case_id=case_id).order_by().only("pk"),
    case_id=int,
)


def judging_facts(case: Case) -> JudgingFacts:
    """The facts of judging; computed once per case object (the workspace asks for the stage's
    status and its next steps on every case page)."""
    cached: JudgingFacts | None = getattr(case, "_judging_facts", None)
    if cached is None:
        cached = _judging_facts(case, today=timezone.localdate())
        case._judging_facts = cached  # type: ignore[attr-defined]
    return cached


def _judging_facts(case: Case, *, today: dt.date) -> JudgingFacts:
    children = [person for person in case_persons(case=case) if person.role == PersonRole.CHILD]
    names = {child.pk: _name(child, today) for child in children}
    current = current_safety_assessments(case=case)
    states = approval_states(case)
    risk = current_risk_assessment(case=case)
    conclusion = current_conclusion(case=case)
    r2 = r2_changes(current)
    child_facts = []
    for child in children:
        why, siblings = r2.get(child.pk, ("", []))
        sibling_names = tuple(names[sibling] for sibling in siblings if sibling in names)
        assessment = current.get(child.pk)
        child_facts.append(
            ChildSafetyFacts(
                person_id=child.pk,
                name=names[child.pk],
                decision=assessment.current_decision if assessment else None,
                review_on=assessment.review_on if assessment else None,
                approval=states.get(("safety_assessment", assessment.pk)) if assessment else None,
                siblings_with_newer_signal=sibling_names if why == NEW_SIBLING_SIGNAL else (),
                siblings_without_signal_since=(
                    sibling_names if why == SIBLING_SIGNAL_LAPSED else ()
                ),
            )
        )
    # There is no safety plan yet (the plans app comes later): every A and B scenario still
    # needs its agreements.
    unplanned = (
        tuple(
            (scenario.position, scenario.description, scenario.current_priority)
            for scenario in risk.scenarios.all()
            if scenario.requires_safety_plan
        )
        if risk
        else ()
    )
    written = conclusion is not None and conclusion.written
    return JudgingFacts(
        children=tuple(child_facts),
        risk_assessed=risk is not None,
        risk_approval=states.get(("risk_assessment", risk.pk)) if risk else None,
        scenarios_without_agreements=unplanned,
        causes_recorded=len(_CAUSE_IDS.list(case_id=case.pk)),
        conclusion_written=written,
        conclusion_approval=(
            states.get(("conclusion", conclusion.pk)) if conclusion and written else None
        ),
    )


def case_judging_steps(*, case: Case) -> list[Outcome[str]]:
    return judging_steps(judging_facts(case), today=timezone.localdate())


def judging_progress(facts: JudgingFacts) -> tuple[int, int]:
    """(done, total): each child's safety, the risk, the causes and the conclusion."""
    done = sum(1 for child in facts.children if child.decision is not None)
    done += int(facts.risk_assessed) + int(facts.causes_recorded > 0)
    done += int(facts.conclusion_written)
    return done, len(facts.children) + 3


def judging_overview(*, case: Case) -> dict[str, object]:
    """The stage's page: each child with its current safety assessment (None: not assessed),
    the current risk assessment, the number of causes and the conclusion."""
    children = [person for person in case_persons(case=case) if person.role == PersonRole.CHILD]
    current = current_safety_assessments(case=case)
    return {
        "safety": [(child, current.get(child.pk)) for child in children],
        "risk": current_risk_assessment(case=case),
        "cause_count": CauseFactor.objects.filter(case=case).count(),
        "conclusion": current_conclusion(case=case),
    }
