"""Reads of the safety assessment per child: the current decision with its history, the
reasons in words, which children should be re-assessed for R2, and what the case's "family at
a glance" shows of it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kindveilig.assessment.models import SafetyAssessment, SafetyDecision, SignalSource
from kindveilig.assessment.selectors.current import (
    current_safety_assessments,
    safety_history,
    stored_reason_texts,
)
from kindveilig.cases.models import Case, Person, PersonRole
from kindveilig.cases.selectors import case_persons
from kindveilig.cases.workspace import GlanceItem, register_glance
from kindveilig.knowledge.display import label_of
from kindveilig.method.judging import SIBLING_SIGNAL, immediate_action_required, sibling_signal


def reason_texts(assessment: SafetyAssessment) -> list[str]:
    """The stored reasons of R1 and R2 in words (current language), and the professional's
    reason for deviating, if any."""
    texts = stored_reason_texts(assessment.reasons)
    if assessment.overridden and assessment.override_reason:
        texts.append(assessment.override_reason)
    return texts


@dataclass(frozen=True)
class ShownSignal:
    code: str
    label: str
    source: str
    note: str

    @property
    def from_sibling(self) -> bool:
        return self.source == SignalSource.SIBLING


def shown_signals(assessment: SafetyAssessment) -> list[ShownSignal]:
    return [
        ShownSignal(
            signal["code"],
            label_of("alarm_signals", signal["code"]),
            signal.get("source", SignalSource.RECORDED),
            signal.get("note", ""),
        )
        for signal in assessment.alarm_signals
    ]


@dataclass
class ChildSafety:
    """One child on the safety page: the current assessment (None before the first), the
    earlier ones (newest first), and the siblings whose signals ask for a re-assessment."""

    child: Person
    current: SafetyAssessment | None
    earlier: list[SafetyAssessment] = field(default_factory=list)
    reassess_for: list[str] = field(default_factory=list)

    @property
    def reasons(self) -> list[str]:
        return reason_texts(self.current) if self.current else []

    @property
    def signals(self) -> list[ShownSignal]:
        return shown_signals(self.current) if self.current else []

    @property
    def direct_danger(self) -> bool:
        return bool(self.current and self.current.current_decision == SafetyDecision.DIRECT_DANGER)


def children_of(case: Case) -> list[Person]:
    return [person for person in case_persons(case=case) if person.role == PersonRole.CHILD]


def safety_per_child(*, case: Case) -> list[ChildSafety]:
    """Every child of the case with its current safety decision and the history."""
    history: dict[int, list[SafetyAssessment]] = {}
    for assessment in safety_history(case=case):
        history.setdefault(assessment.child_id, []).append(assessment)
    reassess = _to_reassess(case, {cid: items[0] for cid, items in history.items()})
    shown = []
    for child in children_of(case):
        assessments = history.get(child.pk, [])
        current = assessments[0] if assessments else None
        shown.append(ChildSafety(child, current, assessments[1:], reassess.get(child.pk, [])))
    return shown


def _signals_by_child(current: dict[int, SafetyAssessment]) -> dict[str, list[str]]:
    return {str(child_id): assessment.signal_codes for child_id, assessment in current.items()}


def sibling_signal_applies(*, case: Case, child_id: int) -> list[str]:
    """The names of the other children whose current assessment has an alarm signal (so R2
    adds the sibling signal to a new assessment of ``child_id``); empty when it does not."""
    current = current_safety_assessments(case=case)
    others = {cid: a for cid, a in current.items() if cid != child_id}
    if sibling_signal(str(child_id), _signals_by_child(others)) is None:
        return []
    return [
        assessment.child.given_name
        for assessment in others.values()
        if any(code != SIBLING_SIGNAL for code in assessment.signal_codes)
    ]


# Why a child's assessment no longer fits R2: a sibling got an alarm signal after it, or the
# sibling signal R2 added has lapsed (no sibling has a signal any more).
NEW_SIBLING_SIGNAL = "new-sibling-signal"
SIBLING_SIGNAL_LAPSED = "sibling-signal-lapsed"


def r2_changes(current: dict[int, SafetyAssessment]) -> dict[int, tuple[str, list[int]]]:
    """Child id -> (why, the ids of the siblings whose later assessment changes R2 for that
    child)."""
    result: dict[int, tuple[str, list[int]]] = {}
    for child_id, assessment in current.items():
        others = {cid: a for cid, a in current.items() if cid != child_id}
        applies_now = sibling_signal(str(child_id), _signals_by_child(others)) is not None
        sources = {s["code"]: s.get("source") for s in assessment.alarm_signals}
        had = SIBLING_SIGNAL in sources
        later = [a for a in others.values() if a.assessed_at > assessment.assessed_at]
        if applies_now and not had:
            ids = [
                a.child_id for a in later if any(code != SIBLING_SIGNAL for code in a.signal_codes)
            ]
            if ids:
                result[child_id] = (NEW_SIBLING_SIGNAL, ids)
        elif had and sources[SIBLING_SIGNAL] == SignalSource.SIBLING and not applies_now:
            ids = [a.child_id for a in later]
            if ids:
                result[child_id] = (SIBLING_SIGNAL_LAPSED, ids)
    return result


def _to_reassess(case: Case, current: dict[int, SafetyAssessment]) -> dict[int, list[str]]:
    return {
        child_id: sorted(current[sibling].child.given_name for sibling in siblings)
        for child_id, (_why, siblings) in r2_changes(current).items()
    }


def children_to_reassess(case: Case) -> dict[int, list[str]]:
    """Child id -> the names of the siblings whose later assessment changes R2 for that child:
    a sibling got an alarm signal after the child's current assessment (the sibling signal is
    missing), or the signals that R2 passed on are gone. Only children assessed so far."""
    return _to_reassess(case, current_safety_assessments(case=case))


# --- The family at a glance -------------------------------------------------------------------


def _glance_item(case: Case, assessment: SafetyAssessment) -> GlanceItem:
    decision = assessment.get_current_decision_display()
    detail = _("safety assessed %(date)s by %(who)s") % {
        "date": f"{timezone.localtime(assessment.assessed_at):%d-%m-%Y}",
        "who": str(assessment.assessed_by),
    }
    if assessment.overridden:
        detail += " · " + _("deviates from the outcome (%(rule)s)") % {
            "rule": SafetyDecision(assessment.decision).label
        }
    return GlanceItem(
        label=decision,
        detail=detail,
        danger=assessment.current_decision == SafetyDecision.DIRECT_DANGER,
        url=reverse("assessment:safety", kwargs={"case_id": case.pk}),
    )


def safety_glance(case: Case) -> dict[int, list[GlanceItem]]:
    """Child id -> the current safety decision, shown beside the child at a glance."""
    return {
        child_id: [_glance_item(case, assessment)]
        for child_id, assessment in current_safety_assessments(case=case).items()
    }


def register_safety_glance() -> None:
    register_glance("assessment.safety", safety_glance)


def as_api(assessment: SafetyAssessment, *, current: bool | None = None) -> dict[str, Any]:
    """The shape of the API (``api.safety``)."""
    data: dict[str, Any] = {
        "id": assessment.pk,
        "child_id": assessment.child_id,
        "decision": assessment.current_decision,
        "immediate_action_required": immediate_action_required(assessment.current_decision),
        "alarm_signals": [
            {"code": signal["code"], "source": signal.get("source", SignalSource.RECORDED)}
            for signal in assessment.alarm_signals
        ],
        "reasons": reason_texts(assessment),
        "rule_decision": assessment.decision,
        "override_reason": assessment.override_reason,
        "notes": {
            signal["code"]: signal.get("note", "")
            for signal in assessment.alarm_signals
            if signal.get("note")
        },
        "responsible_adult_guarantees_safety": assessment.responsible_adult_guarantees_safety,
        "responsible_adult": assessment.responsible_adult,
        "threatening_acts": assessment.threatening_acts,
        "child_signals": assessment.child_signals,
        "consequences": assessment.consequences,
        "substantiation": assessment.substantiation,
        "assessed_at": assessment.assessed_at,
        "assessed_by": str(assessment.assessed_by),
    }
    if current is not None:
        data["current"] = current
    return data
