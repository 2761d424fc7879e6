"""The approvals of API v1: the decisions on a case's judging, and a new decision (approve or
return) by a behavioural scientist of the case on work that is not their own (403 otherwise,
with the reason)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status
from pydantic import Field, StringConstraints

from kindveilig.accounts.http import acting_user
from kindveilig.approvals.models import Approval, Decision, SubjectType
from kindveilig.approvals.selectors import case_approvals
from kindveilig.approvals.services import approval_decide
from kindveilig.cases.access import Purpose, access_case
from kindveilig.cases.models import LONG_TEXT
from kindveilig.core.api import Input, responses

router = Router(tags=["approvals"])


class ApprovalOut(Schema):
    id: int
    subject_type: SubjectType
    subject_id: int
    subject_version: int
    decision: Decision
    comment: str
    decided_by_id: int
    decided_at: dt.datetime


class ApprovalIn(Input):
    subject_type: SubjectType
    subject_id: Annotated[int, Field(ge=1, le=2**62)]
    subject_version: Annotated[int, Field(ge=1, le=2**31)]
    decision: Decision
    comment: Annotated[str, StringConstraints(max_length=LONG_TEXT)] = ""


@router.get(
    "/cases/{case_id}/approvals",
    response=responses({200: list[ApprovalOut]}, 404, 422),
    summary="List: approvals and returns of the case's judging",
    operation_id="list_approvals",
)
def list_approvals(request: HttpRequest, case_id: int) -> list[Approval]:
    case = access_case(request.user, case_id, purpose=Purpose.READ)
    return case_approvals(case=case)


@router.post(
    "/cases/{case_id}/approvals",
    response=responses({201: ApprovalOut}, 403, 404, 422),
    summary="Decide: approve or return an assessment or the conclusion (four eyes)",
    operation_id="decide_approval",
)
def decide_approval(request: HttpRequest, case_id: int, payload: ApprovalIn) -> Status[Any]:
    case = access_case(request.user, case_id, purpose=Purpose.UPDATE)
    approval = approval_decide(actor=acting_user(request), case=case, **payload.model_dump())
    return Status(201, approval)
