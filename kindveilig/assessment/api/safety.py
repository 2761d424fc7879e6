"""API v1 of judging: the safety assessment per child (R1, R2), under
/cases/{case_id}/safety-assessments. An assessment is never changed: POST records a
(re-)assessment, GET lists them all, the latest per child marked ``current``."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status
from pydantic import Field, StringConstraints, field_validator

from kindveilig.accounts.http import acting_user
from kindveilig.assessment.selectors.current import safety_history
from kindveilig.assessment.selectors.safety import as_api
from kindveilig.assessment.services.safety import safety_assessment_record
from kindveilig.cases.access import Purpose, access_case
from kindveilig.cases.models import LONG_TEXT
from kindveilig.core.api import Input, responses

router = Router(tags=["assessment"])

Code = Annotated[str, StringConstraints(max_length=80)]
Text = Annotated[str, StringConstraints(max_length=LONG_TEXT)]
Decision = Literal["direct_danger", "safety_agreements_needed", "no_direct_danger"]


class SafetyAssessmentIn(Input):
    child_id: int = Field(ge=1, le=2**31)
    alarm_signals: list[Code] = Field(max_length=50)
    responsible_adult_guarantees_safety: bool
    responsible_adult: Annotated[str, StringConstraints(max_length=200)] | None = None
    substantiation: Text
    notes: dict[Code, Text] = Field(default_factory=dict, max_length=50)
    threatening_acts: Text = ""
    child_signals: Text = ""
    consequences: Text = ""
    override_decision: Decision | Literal[""] = ""
    override_reason: Text = ""

    @field_validator("notes")
    @classmethod
    def notes_without_nul(cls, value: dict[str, str]) -> dict[str, str]:
        if any("\x00" in text for text in [*value, *value.values()]):
            raise ValueError("NUL characters are not allowed")
        return value


class SignalOut(Schema):
    code: str
    source: Literal["recorded", "sibling"]


class SafetyAssessmentOut(Schema):
    id: int
    child_id: int
    decision: Decision
    immediate_action_required: bool
    alarm_signals: list[SignalOut]
    reasons: list[str]
    # Beyond the core contract: the engine's own decision where the professional deviated,
    # the rest of what was recorded, and who judged when.
    rule_decision: Decision
    override_reason: str
    notes: dict[str, str]
    responsible_adult_guarantees_safety: bool
    responsible_adult: str
    threatening_acts: str
    child_signals: str
    consequences: str
    substantiation: str
    assessed_at: dt.datetime
    assessed_by: str


class SafetyAssessmentListed(SafetyAssessmentOut):
    current: bool


@router.get(
    "/cases/{case_id}/safety-assessments",
    response=responses({200: list[SafetyAssessmentListed]}, 404, 422),
    summary="List: safety assessments (newest first per child; the latest is current)",
    operation_id="list_safety_assessments",
)
def list_safety_assessments(request: HttpRequest, case_id: int) -> list[dict[str, Any]]:
    case = access_case(request.user, case_id, purpose=Purpose.READ)
    seen: set[int] = set()
    listed = []
    for assessment in safety_history(case=case):
        listed.append(as_api(assessment, current=assessment.child_id not in seen))
        seen.add(assessment.child_id)
    return listed


@router.post(
    "/cases/{case_id}/safety-assessments",
    response=responses({201: SafetyAssessmentOut}, 403, 404, 422),
    summary="Add: a safety assessment of one child (R2, then R1; never changed afterwards)",
    operation_id="add_safety_assessment",
)
def add_safety_assessment(
    request: HttpRequest, case_id: int, payload: SafetyAssessmentIn
) -> Status[dict[str, Any]]:
    case = access_case(request.user, case_id, purpose=Purpose.UPDATE)
    assessment = safety_assessment_record(
        actor=acting_user(request),
        case=case,
        child_id=payload.child_id,
        alarm_signals=list(payload.alarm_signals),
        notes=dict(payload.notes),
        responsible_adult_guarantees_safety=payload.responsible_adult_guarantees_safety,
        responsible_adult=payload.responsible_adult or "",
        threatening_acts=payload.threatening_acts,
        child_signals=payload.child_signals,
        consequences=payload.consequences,
        substantiation=payload.substantiation,
        override_decision=payload.override_decision,
        override_reason=payload.override_reason,
    )
    return Status(201, as_api(assessment))
