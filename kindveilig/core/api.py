"""What every app's API router shares: the error shapes and the declaration of the errors an
operation can return, so the OpenAPI schema lists every status a client can receive.

The handlers that produce these shapes live in ``kindveilig.api`` (which mounts the routers);
they are kept here, in the leaf, so that routers can declare them without importing upwards.
"""

from __future__ import annotations

from typing import Any

from ninja import Schema
from pydantic import field_validator


def _refuse_nul(value: Any) -> Any:
    if isinstance(value, str) and "\x00" in value:
        raise ValueError("NUL characters are not allowed")
    if isinstance(value, list):
        for item in value:
            _refuse_nul(item)
    return value


class Input(Schema):
    """Base of every request body: text never carries NUL characters (PostgreSQL cannot store
    them, and no professional types one). Give every text field a ``max_length``."""

    @field_validator("*", mode="before")
    @classmethod
    def no_nul_characters(cls, value: Any) -> Any:
        return _refuse_nul(value)


class FieldError(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    """422: the input is wrong; one entry per field (``__all__`` for the whole input)."""

    detail: list[FieldError]


class DetailOut(Schema):
    """401, 403, 404: one sentence (translated for 403, the reason of the refusal)."""

    detail: str


# Every authenticated operation can answer 401 (no or a wrong token).
AUTHENTICATED = (401,)
ERROR_SCHEMAS: dict[int, Any] = {401: DetailOut, 403: DetailOut, 404: DetailOut, 422: ErrorOut}


def responses(ok: dict[int, Any], *errors: int) -> dict[int, Any]:
    """Response declaration: the success responses, 401, and the given error statuses.

    ``responses({201: CaseCreated}, 403, 422)`` declares 201, 401, 403 and 422. Statuses with
    their own body (409 with the current record) are passed in ``ok``. An operation with a path
    id or a body declares 422 (an id that is not a number is wrong input too). Every operation
    that changes a case declares 403: emergency access for information is for reading only.
    """
    declared = dict(ok)
    for status in (*AUTHENTICATED, *errors):
        declared.setdefault(status, ERROR_SCHEMAS[status])
    return declared
