"""Input and output shapes of the cases API (``cases.api``)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Schema
from pydantic import Field, field_validator

from kindveilig.core.api import Input

PersonRoleCode = Literal["child", "parent", "caregiver", "household_member", "network"]
SexCode = Literal["female", "male", "other"]


class CaseIn(Input):
    name: str = Field(min_length=1, max_length=200, description="Name of the family (dossier)")


class CaseCreated(Schema):
    id: int


class PersonOut(Schema):
    id: int
    role: str
    given_name: str
    family_name: str
    birth_date: dt.date | None
    sex: str
    version: int


class ProfessionalOut(Schema):
    id: int
    name: str
    role: str
    organisation: str


class CaseOut(Schema):
    id: int
    name: str
    status: str
    legal_context: str
    persons: list[PersonOut]
    professionals: list[ProfessionalOut]


class CaseSummary(Schema):
    id: int
    name: str
    status: str


class PersonIn(Input):
    role: PersonRoleCode
    given_name: str = Field(min_length=1, max_length=100)
    family_name: str = Field(min_length=1, max_length=100)
    birth_date: dt.date
    sex: SexCode | None = None
    bsn: str | None = Field(
        default=None, max_length=11, description="Dutch BSN, checked with the 11-proef"
    )


class PersonCreated(Schema):
    id: int


class Patch(Input):
    """A partial change: send only the fields that change. A field that is sent is never null
    (clear a text with its empty value; a birth date cannot be removed)."""

    @field_validator("*", mode="before")
    @classmethod
    def not_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("leave the field out to keep it; null is not a value")
        return value


class PersonPatch(Patch):
    version: int = Field(
        ge=1, le=2**31, description="The version you read; a newer stored version gives 409"
    )
    role: PersonRoleCode | None = None
    given_name: str | None = Field(default=None, min_length=1, max_length=100)
    family_name: str | None = Field(default=None, min_length=1, max_length=100)
    birth_date: dt.date | None = None
    sex: Literal["female", "male", "other", ""] | None = None
    bsn: str | None = Field(default=None, max_length=11, description="Empty to remove it")


class ConflictOut(Schema):
    detail: str
    current: PersonOut


class MemberOut(Schema):
    id: int
    user_id: int | None = Field(description="The colleague's account; null for an external")
    name: str
    role: Literal["coordinator", "case_worker", "behavioural_scientist", "external"]
    organisation: str
    discipline: str
    phone: str
    email: str
    availability: str
    start_date: dt.date
    version: int


class MemberIn(Input):
    """A colleague (``user_id`` and a role) or an external professional (``name``, role
    ``external`` and contact details)."""

    user_id: int | None = Field(default=None, ge=1, description="A colleague's account")
    role: Literal["coordinator", "case_worker", "behavioural_scientist", "external"]
    name: str = Field(default="", max_length=200)
    organisation_name: str = Field(default="", max_length=200)
    discipline: str = Field(default="", max_length=200)
    phone: str = Field(default="", max_length=40)
    email: str = Field(default="", max_length=254)
    availability: str = Field(default="", max_length=200)


class MemberPatch(Patch):
    version: int = Field(
        ge=1, le=2**31, description="The version you read; a newer stored version gives 409"
    )
    role: Literal["coordinator", "case_worker", "behavioural_scientist"]


class MemberConflictOut(Schema):
    detail: str
    current: MemberOut
