"""Login = password + second factor (TOTP or recovery code), throttled, audited."""

import datetime as dt
import time

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from kindveilig.accounts import views
from kindveilig.accounts.services import totp_current_code
from kindveilig.audit.models import AuditEvent

PASSWORD = "a-long-test-password"


current_code = totp_current_code


@pytest.fixture
def enrolled(coordinator) -> TOTPDevice:
    return TOTPDevice.objects.create(user=coordinator, name="app", confirmed=True)


def password_step(client, username="coordinator", password=PASSWORD):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def is_logged_in(client) -> bool:
    response = client.get(reverse("cases:my_cases"))
    return response.status_code == 200


def test_password_alone_does_not_log_in(client, enrolled) -> None:
    response = password_step(client)
    assert response["Location"] == reverse("accounts:second_factor")
    assert not is_logged_in(client)


def test_correct_app_code_logs_in_and_is_audited(client, enrolled, coordinator) -> None:
    password_step(client)
    response = client.post(reverse("accounts:second_factor"), {"code": current_code(enrolled)})
    assert response["Location"] == reverse("cases:my_cases")
    assert is_logged_in(client)
    assert AuditEvent.objects.filter(action="login", user_id=coordinator.pk).count() == 1


def test_wrong_code_is_refused_with_message_and_audited(client, enrolled) -> None:
    password_step(client)
    wrong = "000000" if current_code(enrolled) != "000000" else "111111"
    response = client.post(reverse("accounts:second_factor"), {"code": wrong})
    assert response.context["form"].errors["code"]
    assert not is_logged_in(client)
    event = AuditEvent.objects.get(action="login_failed")
    assert (event.username, event.detail) == ("coordinator", "second factor")


def test_recovery_code_works_once(client, coordinator, enrolled) -> None:
    from kindveilig.accounts.services import recovery_codes_regenerate

    codes = recovery_codes_regenerate(user=coordinator)
    assert len(codes) == settings.KINDVEILIG_RECOVERY_CODE_COUNT
    password_step(client)
    client.post(reverse("accounts:second_factor"), {"code": codes[0]})
    assert is_logged_in(client)
    assert not StaticToken.objects.filter(token=codes[0]).exists()

    other = Client()
    password_step(other)
    response = other.post(reverse("accounts:second_factor"), {"code": codes[0]})
    assert response.status_code == 200 and response.context["form"].errors


def test_first_login_enrols_the_app_and_shows_recovery_codes(client, coordinator) -> None:
    response = password_step(client)
    assert response["Location"] == reverse("accounts:enrol")
    page = client.get(reverse("accounts:enrol"))
    assert page.context["qr"].startswith("data:image/svg+xml;base64,")
    device = TOTPDevice.objects.get(user=coordinator, confirmed=False)

    done = client.post(reverse("accounts:enrol"), {"code": current_code(device)})
    assert len(done.context["codes"]) == settings.KINDVEILIG_RECOVERY_CODE_COUNT
    device.refresh_from_db()
    assert device.confirmed
    assert is_logged_in(client)


def test_enrolment_with_wrong_code_keeps_the_device_unconfirmed(client, coordinator) -> None:
    password_step(client)
    client.get(reverse("accounts:enrol"))
    device = TOTPDevice.objects.get(user=coordinator)
    wrong = "000000" if current_code(device) != "000000" else "111111"
    response = client.post(reverse("accounts:enrol"), {"code": wrong})
    assert response.context["form"].errors["code"]
    device.refresh_from_db()
    assert not device.confirmed
    assert not is_logged_in(client)


def test_password_step_expires(client, enrolled) -> None:
    password_step(client)
    session = client.session
    session[views.PENDING_SINCE] = time.time() - views.PENDING_SECONDS - 1
    session.save()
    response = client.post(reverse("accounts:second_factor"), {"code": current_code(enrolled)})
    assert response["Location"] == reverse("accounts:login")
    assert not is_logged_in(client)


def test_session_without_second_factor_is_ended(coordinator) -> None:
    plain = Client()
    Client.force_login(plain, coordinator)  # bypasses the login flow: no second factor
    response = plain.get(reverse("cases:my_cases"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert "_auth_user_id" not in plain.session


def test_logout_everywhere_ends_other_sessions(client, coordinator) -> None:
    laptop, tablet = client, type(client)()
    laptop.force_login(coordinator)
    tablet.force_login(coordinator)
    assert is_logged_in(tablet)
    laptop.post(reverse("accounts:logout_everywhere"))
    assert not is_logged_in(tablet)
    assert not is_logged_in(laptop)


def test_idle_timeout_is_15_minutes_and_renewed_by_activity(client, coordinator) -> None:
    from kindveilig.accounts.middleware import IdleTimeoutMiddleware
    from kindveilig.accounts.models import LoginSession as Session

    assert settings.SESSION_COOKIE_AGE == 15 * 60
    client.force_login(coordinator)
    key = client.session.session_key
    # An idle session: its expiry lies 10 minutes ahead, last activity long ago.
    session = client.session
    session[IdleTimeoutMiddleware.KEY] = int(time.time()) - 300
    session.save()
    Session.objects.filter(pk=key).update(expire_date=timezone.now() + dt.timedelta(minutes=10))
    client.get(reverse("cases:my_cases"))
    renewed = Session.objects.get(pk=key).expire_date - timezone.now()
    assert dt.timedelta(minutes=14, seconds=50) < renewed <= dt.timedelta(minutes=15)
    # Activity within the minute does not write the session again.
    Session.objects.filter(pk=key).update(expire_date=timezone.now() + dt.timedelta(minutes=14))
    client.get(reverse("cases:my_cases"))
    unchanged = Session.objects.get(pk=key).expire_date - timezone.now()
    assert unchanged < dt.timedelta(minutes=14)


def test_an_idle_session_ends(client, coordinator) -> None:
    from kindveilig.accounts.models import LoginSession as Session

    client.force_login(coordinator)
    key = client.session.session_key
    Session.objects.filter(pk=key).update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    assert not is_logged_in(client)


def test_production_hashes_passwords_with_argon2() -> None:
    from django.contrib.auth.hashers import Argon2PasswordHasher, make_password

    from config.settings import base

    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert make_password("x", hasher=Argon2PasswordHasher()).startswith("argon2$")


def test_password_change_keeps_this_session_and_ends_others(client, coordinator) -> None:
    other = type(client)()
    client.force_login(coordinator)
    other.force_login(coordinator)
    device = TOTPDevice.objects.get(user=coordinator)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "code": current_code(device),
            "new_password1": "een-heel-nieuw-wachtwoord-2026",
            "new_password2": "een-heel-nieuw-wachtwoord-2026",
        },
    )
    assert response["Location"] == reverse("accounts:security")
    assert is_logged_in(client)
    assert not is_logged_in(other)
    coordinator.refresh_from_db()
    assert coordinator.check_password("een-heel-nieuw-wachtwoord-2026")
    assert AuditEvent.objects.filter(detail="password change", user_id=coordinator.pk).exists()


def test_password_alone_cannot_replace_an_existing_second_factor(
    client, enrolled, coordinator
) -> None:
    password_step(client)
    response = client.get(reverse("accounts:enrol"))
    assert response["Location"] == reverse("accounts:second_factor")
    attempt = client.post(reverse("accounts:enrol"), {"code": "123456"})
    assert attempt["Location"] == reverse("accounts:second_factor")
    assert list(TOTPDevice.objects.filter(user=coordinator)) == [enrolled]
    assert not is_logged_in(client)
