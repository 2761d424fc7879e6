"""API v1 of judging: causes (research question 5). List, add, change (optimistic concurrency:
send the version you read; 409 with the current record when it is stale) and remove, under
/cases/{case_id}/causes. A parent factor's polarity follows from the knowledge base and need not
be sent; a concern or support of the family and environment sends it."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.responses import Status
from pydantic import Field, StringConstraints

from kindveilig.accounts.http import acting_user
from kindveilig.assessment.models import CauseFactor, CauseKind, CausePolarity
from kindveilig.assessment.selectors.causes import causes
from kindveilig.assessment.services.causes import cause_add, cause_change, cause_remove
from kindveilig.cases.access import Purpose, access_case, access_case_record
from kindveilig.cases.models import LONG_TEXT
from kindveilig.cases.records import ConcurrentEditError
from kindveilig.core.api import Input, responses

router = Router(tags=["assessment"])

ID = Annotated[int, Field(ge=1, le=2**31)]
CODE = Annotated[str, StringConstraints(min_length=1, max_length=80)]
NOTE = Annotated[str, StringConstraints(max_length=LONG_TEXT)]


class CauseOut(Schema):
    id: int
    version: int
    kind: CauseKind
    parent_id: int | None
    code: str
    polarity: CausePolarity
    note: str


class CauseIn(Input):
    kind: CauseKind
    parent_id: ID | None = None
    code: CODE
    polarity: CausePolarity | None = None
    note: NOTE = ""


class CausePatch(Input):
    version: ID
    kind: CauseKind | None = None
    parent_id: ID | None = None
    code: CODE | None = None
    polarity: CausePolarity | None = None
    note: NOTE | None = None


class CauseConflict(Schema):
    detail: str
    current: CauseOut


def _values(payload: Schema, *, nullable: set[str]) -> dict[str, Any]:
    """The fields sent; null only where it means something (no parent)."""
    values = payload.model_dump(exclude_unset=True, exclude={"version"})
    return {name: value for name, value in values.items() if value is not None or name in nullable}


COLLECTION = "/cases/{case_id}/causes"
ITEM = "/cases/{case_id}/causes/{record_id}"


@router.get(
    COLLECTION,
    response=responses({200: list[CauseOut]}, 404, 422),
    summary="List: causes",
    operation_id="list_causes",
)
def list_causes(request: HttpRequest, case_id: int) -> list[CauseFactor]:
    case = access_case(request.user, case_id, purpose=Purpose.READ)
    return causes(case=case)


@router.post(
    COLLECTION,
    response=responses({201: CauseOut}, 403, 404, 422),
    summary="Add: cause",
    operation_id="add_cause",
)
def add_cause(request: HttpRequest, case_id: int, payload: CauseIn) -> Status[Any]:
    case = access_case(request.user, case_id, purpose=Purpose.UPDATE)
    values = _values(payload, nullable={"parent_id"})
    if payload.kind == CauseKind.PARENT:
        values.pop("polarity", None)  # it follows from the factor
    record = cause_add(actor=acting_user(request), case=case, values=values)
    return Status(201, record)


@router.patch(
    ITEM,
    response=responses({200: CauseOut, 409: CauseConflict}, 403, 404, 422),
    summary="Change: cause (send the version you read)",
    operation_id="change_cause",
)
def change_cause(
    request: HttpRequest, case_id: int, record_id: int, payload: CausePatch
) -> Status[Any]:
    record = access_case_record(
        request.user, case_id, CauseFactor, record_id, purpose=Purpose.UPDATE
    )
    try:
        changed = cause_change(
            actor=acting_user(request),
            record=record,
            expected_version=payload.version,
            values=_values(payload, nullable={"parent_id"}),
        )
    except ConcurrentEditError:
        current = access_case_record(
            request.user, case_id, CauseFactor, record_id, purpose=Purpose.READ
        )
        message = _("Someone else changed this after you read it. Nothing was saved.")
        return Status(409, {"detail": message, "current": current})
    return Status(200, changed)


@router.delete(
    ITEM,
    response=responses({204: None}, 403, 404, 422),
    summary="Remove: cause (its history stays)",
    operation_id="remove_cause",
)
def remove_cause(request: HttpRequest, case_id: int, record_id: int) -> Status[None]:
    record = access_case_record(
        request.user, case_id, CauseFactor, record_id, purpose=Purpose.UPDATE
    )
    cause_remove(actor=acting_user(request), record=record)
    return Status(204, None)
