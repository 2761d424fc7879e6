"""The stages of a case as an explicit transition table (PRODUCT §3).

The handbook's phases overlap and a professional moves freely between the open stages, so every
open stage may follow every other. ``closed`` is not reachable here: a case is closed only by
the closure service with its own rules (R11: closure criteria, relapse-prevention agreements,
four-eyes approval), which a later change adds together with its entry in this table.
"""

from __future__ import annotations

from kindveilig.cases.models import CaseStatus

OPEN_STAGES = (
    CaseStatus.INTAKE,
    CaseStatus.INVESTIGATION,
    CaseStatus.PLANNING,
    CaseStatus.EXECUTION,
    CaseStatus.EVALUATION,
)

TRANSITIONS: dict[CaseStatus, frozenset[CaseStatus]] = {
    **{stage: frozenset(OPEN_STAGES) - {stage} for stage in OPEN_STAGES},
    CaseStatus.CLOSED: frozenset(),
}


def allowed_transitions(current: str) -> list[CaseStatus]:
    """The stages a case in stage ``current`` may move to, in the method's order."""
    targets = TRANSITIONS.get(CaseStatus(current), frozenset())
    return [stage for stage in CaseStatus if stage in targets]
