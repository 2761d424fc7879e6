"""The current judgement of a case: the latest safety assessment per child, the latest risk
assessment, and their history (each re-assessment is a new record)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import prefetch_related_objects

from kindveilig.assessment.models import (
    Conclusion,
    RiskAssessment,
    SafetyAssessment,
    SafetyDecision,
)
from kindveilig.cases.models import Case
from kindveilig.core.prepared import Prepared
from kindveilig.knowledge.display import reason_sentence
from kindveilig.method.outcome import Reason


def _once(case: Case, name: str, load: Callable[[], list[Any]]) -> list[Any]:
    """Read once per case object: a case page asks several parts (the header, the stage's
    progress and next steps, the page itself) for the same judgement. Assessments are never
    changed, and a page that records one redirects, so the next request reads afresh."""
    cache: dict[str, list[Any]] = case.__dict__.setdefault("_judging_cache", {})
    if name not in cache:
        cache[name] = load()
    return cache[name]


def forget_judging(case: Case) -> None:
    """Drop what was read once for ``case``: services call it before they read (a rule must
    see the stored state) and after they write."""
    case.__dict__.pop("_judging_cache", None)
    case.__dict__.pop("_judging_facts", None)


# The judgement is read on every case page (the stage's progress and next steps, the family at
# a glance): its statements are compiled once (core.prepared).
_SAFETY_HISTORY = Prepared(
    lambda case_id: (
        SafetyAssessment.objects.filter(case_id=case_id)
        .select_related("assessed_by", "child")
        .order_by("child_id", "-assessed_at", "-id")
    ),
    case_id=int,
)
_RISK_HISTORY = Prepared(
    lambda case_id: (
        RiskAssessment.objects.filter(case_id=case_id)
        .select_related("assessed_by")
        .order_by("-assessed_at", "-id")
    ),
    case_id=int,
)
_CONCLUSION = Prepared(lambda case_id: Conclusion.objects.filter(case_id=case_id)[:1], case_id=int)


def safety_history(*, case: Case) -> list[SafetyAssessment]:
    """Every safety assessment of the case, newest first per child."""
    return _once(case, "safety", lambda: _SAFETY_HISTORY.list_of("case", case, case_id=case.pk))


def _risk_history(case: Case) -> list[RiskAssessment]:
    history = _RISK_HISTORY.list_of("case", case, case_id=case.pk)
    if history:
        prefetch_related_objects(history, "scenarios")
    return history


def current_safety_assessments(*, case: Case) -> dict[int, SafetyAssessment]:
    """Child id -> the current (latest) safety assessment, for the children assessed so far."""
    current: dict[int, SafetyAssessment] = {}
    for assessment in safety_history(case=case):
        current.setdefault(assessment.child_id, assessment)
    return current


def risk_history(*, case: Case) -> list[RiskAssessment]:
    """Every risk assessment of the case with its scenarios, newest first."""
    return _once(case, "risk", lambda: _risk_history(case))


def current_risk_assessment(*, case: Case) -> RiskAssessment | None:
    history = risk_history(case=case)
    return history[0] if history else None


def current_conclusion(*, case: Case) -> Conclusion | None:
    """The case's conclusion as read once for this case object (the stage, the next steps and
    the approvals all ask for it on one page)."""
    found = _once(case, "conclusion", lambda: _CONCLUSION.list_of("case", case, case_id=case.pk))
    return found[0] if found else None


@dataclass(frozen=True)
class SafetyWarnings:
    """What a team lead must see of a case without its content: how many children are in
    direct danger now, and how many safety decisions are past their review date."""

    direct_danger: int = 0
    review_due: int = 0


def safety_warnings(case_ids: Iterable[int], *, today: dt.date) -> dict[int, SafetyWarnings]:
    """Case id -> its warnings, for the cases that have any; one read for all of them."""
    current: dict[tuple[int, int], tuple[str, dt.date | None]] = {}
    rows = (
        SafetyAssessment.objects.filter(case_id__in=list(case_ids))
        .order_by("case_id", "child_id", "-assessed_at", "-id")
        .values_list("case_id", "child_id", "decision", "override_decision", "review_on")
    )
    for case_id, child_id, decision, override, review_on in rows:
        current.setdefault((case_id, child_id), (override or decision, review_on))
    counts: dict[int, list[int]] = {}
    for (case_id, _child), (decision, review_on) in current.items():
        danger = int(decision == SafetyDecision.DIRECT_DANGER)
        due = int(review_on is not None and review_on < today)
        if danger or due:
            total = counts.setdefault(case_id, [0, 0])
            total[0] += danger
            total[1] += due
    return {case_id: SafetyWarnings(*total) for case_id, total in counts.items()}


def stored_reason_texts(reasons: Iterable[dict[str, Any]]) -> list[str]:
    """The words of the engine's reasons as a judgement stored them (``Reason.as_data``), in
    the current language."""
    texts = []
    for data in reasons:
        reason = Reason.from_data(data)
        texts.append(reason_sentence(reason.code, reason.facts))
    return texts
