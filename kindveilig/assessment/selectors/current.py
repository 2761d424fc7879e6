"""The current judgement of a case: the latest safety assessment per child, the latest risk
assessment, and their history (each re-assessment is a new record)."""

from __future__ import annotations

from kindveilig.assessment.models import RiskAssessment, SafetyAssessment
from kindveilig.cases.models import Case


def safety_history(*, case: Case) -> list[SafetyAssessment]:
    """Every safety assessment of the case, newest first per child."""
    return list(
        SafetyAssessment.objects.filter(case=case)
        .select_related("assessed_by", "child")
        .order_by("child_id", "-assessed_at", "-id")
    )


def current_safety_assessments(*, case: Case) -> dict[int, SafetyAssessment]:
    """Child id -> the current (latest) safety assessment, for the children assessed so far."""
    current: dict[int, SafetyAssessment] = {}
    for assessment in safety_history(case=case):
        current.setdefault(assessment.child_id, assessment)
    return current


def risk_history(*, case: Case) -> list[RiskAssessment]:
    """Every risk assessment of the case with its scenarios, newest first."""
    return list(
        RiskAssessment.objects.filter(case=case)
        .select_related("assessed_by")
        .prefetch_related("scenarios")
        .order_by("-assessed_at", "-id")
    )


def current_risk_assessment(*, case: Case) -> RiskAssessment | None:
    history = risk_history(case=case)
    return history[0] if history else None
