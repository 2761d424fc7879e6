"""API v1 of judging: risk. A risk assessment (R3 scenarios, R4 factors) is recorded and listed
under /cases/{case_id}/risk-assessments; it is never changed (a re-assessment is a new one)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status
from pydantic import Field, StringConstraints

from kindveilig.accounts.http import acting_user
from kindveilig.assessment.models import RiskAssessment, RiskScenario
from kindveilig.assessment.selectors.current import risk_history
from kindveilig.assessment.selectors.risk import risk_view
from kindveilig.assessment.services.risk import risk_assessment_record
from kindveilig.cases.access import Purpose, access_case
from kindveilig.cases.models import LONG_TEXT, SHORT_TEXT
from kindveilig.core.api import Input, responses

router = Router(tags=["assessment"])

Code = Annotated[str, StringConstraints(min_length=1, max_length=80)]
KindCode = Literal[
    "continuation", "recurrence", "onset", "circumstances-change", "positive-development"
]
PriorityCode = Literal["A", "B", "C", "D"]


class RiskFactorIn(Input):
    code: Code
    weighty: bool = False


class ScenarioIn(Input):
    description: str = Field(min_length=1, max_length=SHORT_TEXT)
    kind: KindCode
    trigger: str | None = Field(None, max_length=500)
    probability: int = Field(ge=0, le=100, description="The professional's judgement, in %")
    severity: int = Field(ge=1, le=5)
    override_priority: PriorityCode | Literal[""] = Field(
        "", description="The priority that holds where the professional deviates from R3"
    )
    override_reason: str = Field("", max_length=LONG_TEXT)


class RiskAssessmentIn(Input):
    risk_factors: list[Code | RiskFactorIn] = Field(default_factory=list, max_length=100)
    protective_factors: list[Code] = Field(default_factory=list, max_length=100)
    scenarios: list[ScenarioIn] = Field(default_factory=list, max_length=50)
    notes: str = Field("", max_length=LONG_TEXT)


class ScenarioOut(Schema):
    position: int
    description: str
    kind: str
    trigger: str
    probability: int
    severity: int
    priority: str = Field(description="The priority that holds (the professional's override)")
    rule_priority: str = Field(description="The priority by R3")
    override_reason: str
    requires_safety_plan: bool


class RiskAssessmentOut(Schema):
    id: int
    assessed_at: dt.datetime
    current: bool
    risk_factor_count: int
    risk_factor_count_by_level: dict[str, int]
    weighty: list[str]
    protective_factor_count: int = Field(
        description="Protective factors that may lower the chance (not the child's own)"
    )
    child_protective_factors: list[str] = Field(
        description="The child's own protective factors: against the consequences, not counted"
    )
    scenarios: list[ScenarioOut]
    context: str = Field(description="R4's context, never a prediction")
    notes: str


def _scenario_out(scenario: RiskScenario) -> ScenarioOut:
    return ScenarioOut(
        position=scenario.position,
        description=scenario.description,
        kind=scenario.kind,
        trigger=scenario.trigger,
        probability=scenario.probability,
        severity=scenario.severity,
        priority=scenario.current_priority,
        rule_priority=scenario.priority,
        override_reason=scenario.override_reason,
        requires_safety_plan=scenario.requires_safety_plan,
    )


def _out(assessment: RiskAssessment, *, current: bool) -> RiskAssessmentOut:
    view = risk_view(assessment)
    return RiskAssessmentOut(
        id=assessment.pk,
        assessed_at=assessment.assessed_at,
        current=current,
        risk_factor_count=view.risk_factor_count,
        risk_factor_count_by_level={
            level: count for level, count in view.count_by_level.items() if level
        },
        weighty=[factor.code for factor in view.weighty],
        protective_factor_count=len(view.protective),
        child_protective_factors=[factor.code for factor in view.child_buffers],
        scenarios=[_scenario_out(scenario) for scenario in view.scenarios],
        context=view.context,
        notes=assessment.notes,
    )


@router.get(
    "/cases/{case_id}/risk-assessments",
    response=responses({200: list[RiskAssessmentOut]}, 404, 422),
    summary="List the risk assessments, newest first (the first is the current one)",
    operation_id="list_risk_assessments",
)
def list_risk_assessments(request: HttpRequest, case_id: int) -> list[RiskAssessmentOut]:
    case = access_case(request.user, case_id, purpose=Purpose.READ)
    history = risk_history(case=case)
    return [_out(item, current=index == 0) for index, item in enumerate(history)]


@router.post(
    "/cases/{case_id}/risk-assessments",
    response=responses({201: RiskAssessmentOut}, 403, 404, 422),
    summary="Record a (re-)assessment of the risk: R4 factors and R3 scenarios",
    operation_id="add_risk_assessment",
)
def add_risk_assessment(
    request: HttpRequest, case_id: int, payload: RiskAssessmentIn
) -> Status[RiskAssessmentOut]:
    case = access_case(request.user, case_id, purpose=Purpose.UPDATE)
    assessment = risk_assessment_record(
        actor=acting_user(request),
        case=case,
        risk_factors=[
            item if isinstance(item, str) else item.model_dump() for item in payload.risk_factors
        ],
        protective_factors=payload.protective_factors,
        scenarios=[
            {**scenario.model_dump(), "trigger": scenario.trigger or ""}
            for scenario in payload.scenarios
        ],
        notes=payload.notes,
    )
    return Status(201, _out(assessment, current=True))
