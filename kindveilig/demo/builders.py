"""Builders of realistic data through the services, for the tests, the demo and the benchmarks.

They call the same services a professional's actions call, so the data they make is valid,
versioned, historied and audited like real data; a change of a service's signature is made here
once instead of in every test. Accounts are made directly (an account is not case data).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from kindveilig.accounts.models import Organisation, Role, User
from kindveilig.cases import services
from kindveilig.cases.models import Case, CaseMember, CaseRole, Person, PersonRole

TEST_PASSWORD = "a-long-test-password"  # noqa: S105 - for test accounts only


def organisation(name: str = "Testorganisatie Jeugdhulp") -> Organisation:
    found, _created = Organisation.objects.get_or_create(name=name)
    return found


def user(
    username: str,
    *,
    organisation: Organisation | None = None,
    role: str = Role.PROFESSIONAL,
    password: str = TEST_PASSWORD,
    first_name: str = "",
    last_name: str = "",
) -> User:
    return User.objects.create_user(
        username=username,
        password=password,
        role=role,
        organisation=organisation,
        first_name=first_name,
        last_name=last_name,
    )


def birth_date_for_age(age: int, *, today: dt.date, month: int = 1, day: int = 1) -> dt.date:
    """A birth date on ``month``/``day`` that makes someone ``age`` whole years old on ``today``
    (the birthday of this year counts only once it has passed)."""
    year = today.year - age
    if (month, day) > (today.month, today.day):
        year -= 1
    return dt.date(year, month, day)


@dataclass(frozen=True)
class PersonSpec:
    """A person to add to a family, as a professional would enter them."""

    role: str
    given_name: str
    family_name: str
    birth_date: dt.date | None
    sex: str = ""
    relation: str = ""
    bsn: str = ""
    has_parental_authority: bool | None = None
    lives_in_household: bool | None = None


def child(
    given_name: str,
    family_name: str,
    *,
    age: int,
    today: dt.date,
    birthday: tuple[int, int] = (1, 1),
    sex: str = "",
    relation: str = "",
    bsn: str = "",
) -> PersonSpec:
    """A child of ``age`` whole years on ``today`` (birthday as (month, day)), at home."""
    month, day = birthday
    return PersonSpec(
        role=PersonRole.CHILD,
        given_name=given_name,
        family_name=family_name,
        birth_date=birth_date_for_age(age, today=today, month=month, day=day),
        sex=sex,
        relation=relation,
        bsn=bsn,
        lives_in_household=True,
    )


def parent(
    given_name: str,
    family_name: str,
    *,
    birth_date: dt.date,
    sex: str = "",
    relation: str = "",
    has_parental_authority: bool = True,
    lives_in_household: bool = True,
) -> PersonSpec:
    """A parent; by default with parental authority and living in the household."""
    return PersonSpec(
        role=PersonRole.PARENT,
        given_name=given_name,
        family_name=family_name,
        birth_date=birth_date,
        sex=sex,
        relation=relation,
        has_parental_authority=has_parental_authority,
        lives_in_household=lives_in_household,
    )


def add_person(*, actor: User, case: Case, spec: PersonSpec) -> Person:
    return services.person_add(
        actor=actor,
        case=case,
        role=spec.role,
        given_name=spec.given_name,
        family_name=spec.family_name,
        birth_date=spec.birth_date,
        sex=spec.sex,
        bsn=spec.bsn,
        relation=spec.relation,
        has_parental_authority=spec.has_parental_authority,
        lives_in_household=spec.lives_in_household,
    )


def case_with_members(
    *,
    coordinator: User,
    name: str,
    members: Iterable[tuple[User, str]] = (),
) -> Case:
    """A case opened by ``coordinator``, with further internal members ``(user, case role)``."""
    case = services.case_create(actor=coordinator, name=name)
    for member, role in members:
        services.case_member_add(actor=coordinator, case=case, role=role, user=member)
    return case


def external_professional(
    *,
    actor: User,
    case: Case,
    name: str,
    organisation_name: str = "",
    discipline: str = "",
    phone: str = "",
    availability: str = "",
) -> CaseMember:
    """A professional without an account (GP, teacher ...) with contact details."""
    return services.case_member_add(
        actor=actor,
        case=case,
        role=CaseRole.EXTERNAL,
        name=name,
        organisation_name=organisation_name,
        discipline=discipline,
        phone=phone,
        availability=availability,
    )


def family(
    *,
    coordinator: User,
    name: str,
    persons: Sequence[PersonSpec],
    members: Iterable[tuple[User, str]] = (),
) -> Case:
    """A case with its family (children, parents, network) and its professionals."""
    case = case_with_members(coordinator=coordinator, name=name, members=members)
    for spec in persons:
        add_person(actor=coordinator, case=case, spec=spec)
    return case
