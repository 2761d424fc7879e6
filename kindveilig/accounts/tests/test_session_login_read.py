"""A request reads its session, user and second factor in one statement (accounts.sessions),
and every check Django and django-otp make on a session still holds: the columns of the
session row only save statements, they never log anyone in."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from kindveilig.accounts.models import LoginSession, User
from kindveilig.accounts.services import user_deactivate
from kindveilig.accounts.tests.test_login import current_code, is_logged_in, password_step


def my_cases_queries(client) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("cases:my_cases"))
    assert response.status_code == 200
    return len(queries), [query["sql"] for query in queries.captured_queries]


def row_of(client) -> LoginSession:
    return LoginSession.objects.get(pk=client.session.session_key)


@pytest.fixture
def enrolled(coordinator) -> TOTPDevice:
    return TOTPDevice.objects.create(user=coordinator, name="app", confirmed=True)


def test_a_real_login_names_its_user_and_app_and_one_statement_reads_all_three(
    client, enrolled, coordinator
) -> None:
    password_step(client)
    client.post(reverse("accounts:second_factor"), {"code": current_code(enrolled)})
    row = row_of(client)
    assert (row.user_id, row.device_id) == (coordinator.pk, enrolled.pk)

    my_cases_queries(client)  # the first page after login may refresh the session
    joined, statements = my_cases_queries(client)
    assert not any('FROM "accounts_user"' in sql for sql in statements)
    assert not any('FROM "otp_totp_totpdevice"' in sql for sql in statements)
    # The same session without the columns (as a session from before the upgrade) is read as
    # Django reads it: the user and the app in two statements more, and still logged in.
    LoginSession.objects.filter(pk=row.pk).update(user=None, device=None)
    separate, _ = my_cases_queries(client)
    assert separate == joined + 2


def test_columns_that_disagree_with_the_signed_data_are_not_trusted(
    client, coordinator, make_user
) -> None:
    client.force_login(coordinator)
    other = make_user("iemand-anders")
    other_app = TOTPDevice.objects.create(user=other, name="app", confirmed=True)
    row = row_of(client)
    LoginSession.objects.filter(pk=row.pk).update(user=other, device=other_app)
    response = client.get(reverse("cases:my_cases"))
    assert response.status_code == 200
    assert response.wsgi_request.user.pk == coordinator.pk  # the signed data decides
    assert response.wsgi_request.user.otp_device.pk == row.device_id  # coordinator's own app


def test_the_columns_follow_the_session_data_on_every_save(client, coordinator) -> None:
    client.force_login(coordinator)
    session = client.session
    own_app = TOTPDevice.objects.get(user=coordinator)
    assert row_of(client).device_id == own_app.pk
    recovery = StaticDevice.objects.create(user=coordinator, name="codes", confirmed=True)
    session[DEVICE_ID_SESSION_KEY] = recovery.persistent_id
    session.save()
    row = row_of(client)
    assert (row.user_id, row.device_id) == (coordinator.pk, None)  # not an app: no column
    assert is_logged_in(client)  # verified by its recovery codes, read as django-otp does
    del session[SESSION_KEY]
    session.save()
    assert row_of(client).user_id is None


def test_a_deleted_app_ends_verification_although_its_id_is_still_in_the_row(
    client, coordinator
) -> None:
    client.force_login(coordinator)
    row = row_of(client)
    TOTPDevice.objects.filter(user=coordinator).delete()
    assert LoginSession.objects.get(pk=row.pk).device_id == row.device_id
    assert not is_logged_in(client)
    assert not LoginSession.objects.filter(pk=row.pk).exists()  # the unverified session ended


def test_an_unconfirmed_or_foreign_app_in_the_row_does_not_verify(client, coordinator) -> None:
    client.force_login(coordinator)
    TOTPDevice.objects.filter(user=coordinator).update(confirmed=False)
    assert not is_logged_in(client)


def test_a_blocked_account_and_a_new_session_generation_end_the_session(
    client, coordinator, make_user
) -> None:
    client.force_login(coordinator)
    User.objects.filter(pk=coordinator.pk).update(session_generation=99)
    assert not is_logged_in(client)

    colleague = make_user("collega")
    client.force_login(colleague)
    assert is_logged_in(client)
    user_deactivate(user=colleague, by=make_user("beheer", role="admin"))
    assert not is_logged_in(client)


def test_deleting_a_user_deletes_their_session_rows(client, make_user) -> None:
    leaver = make_user("vertrokken")
    client.force_login(leaver)
    key = client.session.session_key
    leaver.delete()
    assert not LoginSession.objects.filter(pk=key).exists()
