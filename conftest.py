"""Fixtures shared by every test: an organisation, users per role and a demo-like case."""

from __future__ import annotations

import datetime as dt

import pytest

from kindveilig.accounts.models import Organisation, Role, User
from kindveilig.cases import services
from kindveilig.cases.models import Case, CaseRole


@pytest.fixture
def organisation(db: None) -> Organisation:
    return Organisation.objects.create(name="Testorganisatie Jeugdhulp")


@pytest.fixture
def make_user(organisation: Organisation):
    def make(username: str, role: str = Role.PROFESSIONAL) -> User:
        user = User.objects.create_user(
            username=username, password="a-long-test-password", role=role, organisation=organisation
        )
        return user

    return make


@pytest.fixture
def coordinator(make_user) -> User:
    return make_user("coordinator")


@pytest.fixture
def outsider(make_user) -> User:
    """A professional of the same organisation who is not a member of the case."""
    return make_user("outsider")


@pytest.fixture
def family_case(coordinator: User, make_user) -> Case:
    case = services.case_create(actor=coordinator, name="familie Proef")
    services.person_add(
        actor=coordinator,
        case=case,
        role="child",
        given_name="Lotte",
        family_name="Proef",
        birth_date=dt.date(2016, 4, 1),
    )
    services.person_add(
        actor=coordinator,
        case=case,
        role="parent",
        given_name="Karin",
        family_name="Proef",
        birth_date=dt.date(1988, 1, 1),
    )
    colleague = make_user("colleague")
    services.case_member_add(
        actor=coordinator, case=case, role=CaseRole.CASE_WORKER, user=colleague
    )
    return case
