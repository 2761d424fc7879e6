"""Input and output shapes of the cases API (``cases.api``)."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar, Literal

from django.utils import timezone
from ninja import Schema
from pydantic import Field, ValidationInfo, field_validator

from kindveilig.cases.models import SHORT_TEXT
from kindveilig.core.api import Input

PersonRoleCode = Literal["child", "parent", "caregiver", "household_member", "network"]
SexCode = Literal["female", "male", "other"]
MaltreatmentStatusCode = Literal["suspected", "established"]


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
    relation: str
    has_parental_authority: bool | None = Field(description="null: not known")
    lives_in_household: bool | None = Field(description="null: not known")
    phone: str
    email: str
    bsn_masked: str = Field(
        description="The last four digits (•••••1234), or empty; the full number only through "
        "POST .../bsn, which is logged"
    )
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
    relation: str = Field(default="", max_length=100)
    has_parental_authority: bool | None = Field(default=None, description="null: not known")
    lives_in_household: bool | None = Field(default=None, description="null: not known")
    phone: str = Field(default="", max_length=40)
    email: str = Field(default="", max_length=254)


class PersonCreated(Schema):
    id: int


class BsnOut(Schema):
    bsn: str = Field(description="The full BSN (empty when none is recorded)")


class Patch(Input):
    """A partial change: send only the fields that change. A field that is sent is never null
    (clear a text with its empty value; a birth date cannot be removed)."""

    # Fields for which null is a value of its own ("not known"), so it may be sent.
    nullable: ClassVar[frozenset[str]] = frozenset()

    @field_validator("*", mode="before")
    @classmethod
    def not_null(cls, value: Any, info: ValidationInfo) -> Any:
        if value is None and info.field_name not in cls.nullable:
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
    relation: str | None = Field(default=None, max_length=100)
    has_parental_authority: bool | None = Field(default=None, description="null: not known")
    lives_in_household: bool | None = Field(default=None, description="null: not known")
    phone: str | None = Field(default=None, max_length=40)
    email: str | None = Field(default=None, max_length=254)

    nullable = frozenset({"has_parental_authority", "lives_in_household"})


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


class MaltreatmentFormOut(Schema):
    id: int
    child_id: int
    code: str = Field(description="Code in the knowledge base's list maltreatment_forms")
    label: str
    knowledge_version: str = Field(description="The knowledge-base version it was recorded with")
    status: MaltreatmentStatusCode
    onset: str = Field(description="Since when")
    frequency: str
    severity: str
    duration: str
    source: str
    recorded_at: dt.datetime
    ended_on: dt.date | None = Field(description="null while the form applies")
    end_reason: str
    version: int


class MaltreatmentFormIn(Input):
    child_id: int = Field(ge=1, le=2**31)
    code: str = Field(min_length=1, max_length=120, description="See the knowledge base")
    status: MaltreatmentStatusCode
    onset: str = Field(default="", max_length=200, description="Since when")
    frequency: str = Field(default="", max_length=200)
    severity: str = Field(default="", max_length=200)
    duration: str = Field(default="", max_length=200)
    source: str = Field(default="", max_length=300)


class MaltreatmentFormPatch(Patch):
    version: int = Field(
        ge=1, le=2**31, description="The version you read; a newer stored version gives 409"
    )
    code: str | None = Field(default=None, min_length=1, max_length=120)
    status: MaltreatmentStatusCode | None = None
    onset: str | None = Field(default=None, max_length=200)
    frequency: str | None = Field(default=None, max_length=200)
    severity: str | None = Field(default=None, max_length=200)
    duration: str | None = Field(default=None, max_length=200)
    source: str | None = Field(default=None, max_length=300)


class MaltreatmentFormEndIn(Input):
    reason: str = Field(min_length=1, max_length=SHORT_TEXT, description="Why it no longer applies")
    ended_on: dt.date = Field(default_factory=timezone.localdate, description="Today if left out")


class MaltreatmentFormConflictOut(Schema):
    detail: str
    current: MaltreatmentFormOut
