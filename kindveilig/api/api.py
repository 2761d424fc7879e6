"""JSON API v1: one NinjaAPI that mounts each app's router, authenticates with Bearer tokens
and turns the domain's errors into JSON (422 per field, 403 with a reason, 404).

Endpoints live in the app they belong to (``<app>/api.py``, a ninja ``Router``); this module
holds nothing else, so it grows by one ``add_router`` line per app.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError

from kindveilig.accounts.models import User
from kindveilig.accounts.services import refusal_record
from kindveilig.api.auth import BearerToken
from kindveilig.approvals.api import router as approvals_router
from kindveilig.assessment.api import router as assessment_router
from kindveilig.cases.api import router as cases_router
from kindveilig.core.errors import NotPermitted
from kindveilig.investigation.api import router as investigation_router

api = NinjaAPI(
    title="Kindveilig API",
    version="1",
    urls_namespace="api-v1",
    auth=BearerToken(),
    docs_url="/docs",
)
api.add_router("", cases_router)
api.add_router("", investigation_router)
api.add_router("", assessment_router)
api.add_router("", approvals_router)


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


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # ninja answers a body it cannot parse with a 400; for clients it is wrong input like any
    # other, in the one shape of wrong input.
    if exc.status_code == 400:
        detail = [{"field": "__all__", "message": _("The request body is not valid JSON.")}]
        return api.create_response(request, {"detail": detail}, status=422)
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


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


@api.exception_handler(NotPermitted)
def not_permitted(request: HttpRequest, exc: NotPermitted) -> HttpResponse:
    user = request.user if isinstance(request.user, User) else None
    refusal_record(actor=user, refusal=exc)
    return api.create_response(request, {"detail": exc.message}, status=403)


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
