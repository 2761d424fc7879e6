"""Fixtures shared by every test: an organisation, users per role and a demo-like case."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from kindveilig.accounts.models import Organisation, Role, User
from kindveilig.cases.models import Case, CaseRole
from kindveilig.demo import builders


@pytest.fixture(autouse=True)
def _no_kept_case_pages():
    """Ids come back after a test's rollback: a case page or a header kept by one test must
    not be shown in the next."""
    from django.core.cache import caches

    caches["pages"].clear()
    caches["fragments"].clear()


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """A request in English (cookie or header) leaves English active in the thread; the next
    test starts in the product's default language again, whatever ran before it."""
    yield
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


class VerifiedClient(Client):
    """A test client whose force_login also passes the second factor, as a real login does."""

    def force_login(self, user, backend=None):  # type: ignore[no-untyped-def]
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        super().force_login(user, backend)
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()


@pytest.fixture
def client() -> VerifiedClient:
    return VerifiedClient()


@pytest.fixture
def organisation(db: None) -> Organisation:
    return builders.organisation()


@pytest.fixture
def make_user(organisation: Organisation):
    def make(username: str, role: str = Role.PROFESSIONAL) -> User:
        return builders.user(username, organisation=organisation, role=role)

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
    """familie Proef: Lotte (born 2016-04-01) and her mother Karin; a colleague as case worker."""
    return builders.family(
        coordinator=coordinator,
        name="familie Proef",
        members=[(make_user("colleague"), CaseRole.CASE_WORKER)],
        persons=[
            builders.PersonSpec("child", "Lotte", "Proef", dt.date(2016, 4, 1)),
            builders.PersonSpec("parent", "Karin", "Proef", dt.date(1988, 1, 1)),
        ],
    )
