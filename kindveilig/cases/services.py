"""Writes for cases. Each service is one atomic state change that validates before it writes."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kindveilig.accounts.models import User
from kindveilig.cases.models import (
    Case,
    CaseMember,
    CaseRole,
    ChildMaltreatmentForm,
    LegalContext,
    Person,
    PersonRole,
)


@transaction.atomic
def case_create(*, actor: User, name: str, legal_context: str = LegalContext.VOLUNTARY) -> Case:
    """Open a case for a family; the creating user becomes its coordinator and member."""
    case = Case(
        name=name.strip(),
        legal_context=legal_context,
        organisation=actor.organisation,
        created_by=actor,
    )
    case.full_clean()
    case.save()
    CaseMember.objects.create(case=case, user=actor, role=CaseRole.COORDINATOR)
    return case


@transaction.atomic
def person_add(
    *,
    actor: User,
    case: Case,
    role: str,
    given_name: str,
    family_name: str,
    birth_date: dt.date | None,
    sex: str = "",
    bsn: str = "",
    relation: str = "",
    has_parental_authority: bool | None = None,
    lives_in_household: bool | None = None,
) -> Person:
    """Add a person to the case. Raises ValidationError (per field) and saves nothing then."""
    person = Person(
        case=case,
        role=role,
        given_name=given_name.strip(),
        family_name=family_name.strip(),
        birth_date=birth_date,
        sex=sex or "",
        bsn=(bsn or "").replace(" ", ""),
        relation=relation.strip(),
        has_parental_authority=has_parental_authority,
        lives_in_household=lives_in_household,
    )
    if person.role == "child" and person.birth_date is None:
        raise ValidationError({"birth_date": _("A child's date of birth is required.")})
    person.full_clean()
    person.save()
    return person


@transaction.atomic
def case_member_add(
    *,
    actor: User,
    case: Case,
    role: str,
    user: User | None = None,
    name: str = "",
    organisation_name: str = "",
    discipline: str = "",
    phone: str = "",
    email: str = "",
    availability: str = "",
) -> CaseMember:
    """Involve a professional (an internal user or an external contact) in the case."""
    member = CaseMember(
        case=case,
        user=user,
        role=role,
        name=name.strip(),
        organisation_name=organisation_name.strip(),
        discipline=discipline.strip(),
        phone=phone.strip(),
        email=email.strip(),
        availability=availability.strip(),
    )
    if user is None and not member.name:
        raise ValidationError({"name": _("An external professional needs a name.")})
    member.full_clean()
    member.save()
    return member


@transaction.atomic
def maltreatment_form_record(
    *,
    actor: User,
    child: Person,
    code: str,
    status: str,
    severity: str = "",
    onset: str = "",
    duration: str = "",
) -> ChildMaltreatmentForm:
    """Record a suspected or established form of maltreatment for a child of the case.

    The record keeps the knowledge-base code and version it was made with.
    """
    if child.role != PersonRole.CHILD:
        raise ValidationError({"child": _("Maltreatment forms are recorded for children only.")})
    record = ChildMaltreatmentForm(
        child=child,
        knowledge_code=code,
        status=status,
        severity=severity.strip(),
        onset=onset.strip(),
        duration=duration.strip(),
    )
    record.full_clean()
    record.save()
    return record
