"""JSON API v1. Endpoints are thin: parse → access → one service or selector → respond."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import ValidationError as NinjaValidationError
from ninja.responses import Status

from kindveilig.api.auth import BearerToken
from kindveilig.api.schemas import (
    CaseCreated,
    CaseIn,
    CaseOut,
    CaseSummary,
    ConflictOut,
    ErrorOut,
    PersonCreated,
    PersonIn,
    PersonOut,
    PersonPatch,
)
from kindveilig.cases import selectors, services
from kindveilig.cases.access import Purpose, access_case, access_my_cases, access_person
from kindveilig.core.http import acting_user

api = NinjaAPI(
    title="Kindveilig API",
    version="1",
    urls_namespace="api-v1",
    auth=BearerToken(),
    docs_url="/docs",
)


def _loc_to_field(loc: list[str | int] | tuple[str | int, ...]) -> str:
    # ninja reports e.g. ("body", "payload", "birth_date"); clients need only "birth_date".
    parts = [str(part) for part in loc if part not in ("body", "payload", "query", "path")]
    return ".".join(parts) or "__all__"


@api.exception_handler(NinjaValidationError)
def schema_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    detail = [
        {"field": _loc_to_field(error.get("loc", ())), "message": _readable(error)}
        for error in exc.errors
    ]
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(DjangoValidationError)
def model_validation_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        detail = [
            {"field": field, "message": str(message)}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    else:
        detail = [{"field": "__all__", "message": str(message)} for message in exc.messages]
    return api.create_response(request, {"detail": detail}, status=422)


def _readable(error: dict) -> str:
    kind = error.get("type", "")
    if kind == "missing":
        return _("This field is required.")
    if kind in {"date_from_datetime_parsing", "date_parsing", "date_type"}:
        return _("Enter a valid date (YYYY-MM-DD).")
    if kind == "literal_error":
        return _("Choose one of the allowed values.")
    if kind == "string_too_short":
        return _("This field cannot be empty.")
    if kind == "string_too_long":
        return _("This text is too long.")
    return str(error.get("msg", _("Invalid value.")))


@api.get("/cases", response=list[CaseSummary], summary="Cases of the current user")
def list_cases(request: HttpRequest) -> list[dict]:
    return [
        {"id": case.pk, "name": case.name, "status": case.status}
        for case in access_my_cases(acting_user(request))
    ]


@api.post("/cases", response={201: CaseCreated, 422: ErrorOut}, summary="Open a case")
def create_case(request: HttpRequest, payload: CaseIn) -> Status[dict]:
    case = services.case_create(actor=acting_user(request), name=payload.name)
    return Status(201, {"id": case.pk})


@api.get("/cases/{case_id}", response=CaseOut, summary="One case with family and professionals")
def get_case(request: HttpRequest, case_id: int) -> dict:
    case = access_case(request.user, case_id, purpose=Purpose.READ)
    return {
        "id": case.pk,
        "name": case.name,
        "status": case.status,
        "legal_context": case.legal_context,
        "persons": list(selectors.case_persons(case=case)),
        "professionals": [
            {
                "id": member.pk,
                "name": member.display_name,
                "role": member.role,
                "organisation": (
                    str(member.user.organisation or "") if member.user else member.organisation_name
                ),
            }
            for member in selectors.case_professionals(case=case)
        ],
    }


@api.post(
    "/cases/{case_id}/persons",
    response={201: PersonCreated, 422: ErrorOut},
    summary="Add a person to a case",
)
def add_person(request: HttpRequest, case_id: int, payload: PersonIn) -> Status[dict]:
    case = access_case(request.user, case_id, purpose=Purpose.UPDATE)
    person = services.person_add(
        actor=acting_user(request),
        case=case,
        role=payload.role,
        given_name=payload.given_name,
        family_name=payload.family_name,
        birth_date=payload.birth_date,
        sex=payload.sex or "",
        bsn=payload.bsn or "",
    )
    return Status(201, {"id": person.pk})


@api.patch(
    "/cases/{case_id}/persons/{person_id}",
    response={200: PersonOut, 404: dict, 409: ConflictOut, 422: ErrorOut},
    summary="Change a person (optimistic concurrency: send the version you read)",
)
def update_person(
    request: HttpRequest, case_id: int, person_id: int, payload: PersonPatch
) -> Status[Any]:
    person = access_person(request.user, person_id, purpose=Purpose.UPDATE)
    if person.case_id != case_id:
        return Status(404, {"detail": "Not Found"})
    changes = payload.model_dump(exclude_unset=True, exclude={"version"})
    try:
        updated = services.person_update(
            actor=acting_user(request),
            person=person,
            expected_version=payload.version,
            changes=changes,
        )
    except services.ConcurrentEditError as exc:
        access_person(request.user, person_id, purpose=Purpose.READ)  # the reply shows it
        message = _(
            "Someone else changed this person after you read it. Nothing was saved; "
            "the newer version is kept. Read it again and repeat your change."
        )
        return Status(409, {"detail": message, "current": exc.current})
    return Status(200, updated)
