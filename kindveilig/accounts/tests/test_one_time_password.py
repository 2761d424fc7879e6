"""A one-time password from the administrator expires, and after the first complete login the
user must replace it before doing anything else (ASVS 2.3.1)."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from config.env import VARIABLES, read_env
from kindveilig.accounts.models import ApiToken, User
from kindveilig.accounts.services import (
    api_token_create,
    recovery_codes_regenerate,
    totp_current_code,
    user_create,
    user_password_reset,
)
from kindveilig.audit.models import AuditEvent

NEW_PASSWORD = "mijn-eigen-wachtwoord-2026"


def test_the_validity_is_declared_and_read_from_the_environment(monkeypatch) -> None:
    assert "KINDVEILIG_ONE_TIME_PASSWORD_HOURS" in VARIABLES
    monkeypatch.delenv("KINDVEILIG_ONE_TIME_PASSWORD_HOURS", raising=False)
    assert read_env().one_time_password_hours == 72
    monkeypatch.setenv("KINDVEILIG_ONE_TIME_PASSWORD_HOURS", "24")
    assert read_env().one_time_password_hours == 24


@override_settings(KINDVEILIG_ONE_TIME_PASSWORD_HOURS=24)
def test_a_new_account_gets_a_one_time_password_that_expires(db) -> None:
    before = timezone.now()
    user, password = user_create(username="nieuw", role="professional", organisation_name="X")
    user.refresh_from_db()
    assert user.must_change_password
    assert user.password_expires_at is not None
    expected = before + dt.timedelta(hours=24)
    assert expected <= user.password_expires_at <= timezone.now() + dt.timedelta(hours=24)
    assert user.check_password(password)


@pytest.fixture
def newcomer(db) -> tuple[User, str]:
    """A new account whose second factor is already enrolled (as after the first login)."""
    user, password = user_create(username="nieuw", role="professional", organisation_name="X")
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    return user, password


def log_in(client, username: str, password: str):
    """Both steps; returns the answer to the password step (the code step follows if it led
    there)."""
    first = client.post(reverse("accounts:login"), {"username": username, "password": password})
    if first.get("Location") == reverse("accounts:second_factor"):
        device = TOTPDevice.objects.get(user__username=username, confirmed=True)
        client.post(reverse("accounts:second_factor"), {"code": totp_current_code(device)})
    return first


def test_an_expired_one_time_password_is_refused_with_a_message_and_logged(
    client, newcomer
) -> None:
    user, password = newcomer
    User.objects.filter(pk=user.pk).update(password_expires_at=timezone.now())
    response = log_in(client, "nieuw", password)
    assert response.status_code == 200
    with translation.override("nl"):  # the page's language
        message = translation.gettext(
            "Your one-time password has expired. Ask your functional administrator for a new one."
        )
    assert list(response.context["form"].non_field_errors()) == [message]
    assert message in response.content.decode()
    assert "kv_pending_user_id" not in client.session
    assert client.get(reverse("cases:my_cases"))["Location"].startswith(reverse("accounts:login"))
    events = AuditEvent.objects.filter(action="login_failed", username="nieuw")
    assert list(events.values_list("detail", flat=True)) == ["expired one-time password"]


def test_after_the_first_login_every_page_leads_to_the_password_change(client, newcomer) -> None:
    user, password = newcomer
    log_in(client, "nieuw", password)
    change = reverse("accounts:password_change")
    # (The JSON API and its public docs have no session: core.middleware.BrowserMiddleware.)
    pages = (reverse("cases:my_cases"), reverse("accounts:security"), reverse("knowledge:index"))
    for page in pages:
        assert client.get(page)["Location"] == change
    assert client.post(reverse("accounts:recovery_codes"))["Location"] == change
    page = client.get(change)
    assert page.status_code == 200 and page.context["must_change"]
    # The language switch and logging out still work.
    switched = client.post(reverse("set_language"), {"language": "en", "next": change})
    assert switched["Location"] == change
    assert client.post(reverse("accounts:logout"))["Location"] == reverse("accounts:login")
    assert "_auth_user_id" not in client.session


def test_changing_the_password_ends_the_obligation_and_the_expiry(client, newcomer) -> None:
    user, password = newcomer
    codes = recovery_codes_regenerate(user=user)
    log_in(client, "nieuw", password)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": password,
            "code": codes[0],
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response["Location"] == reverse("accounts:security")
    user.refresh_from_db()
    assert (user.must_change_password, user.password_expires_at) == (False, None)
    assert user.check_password(NEW_PASSWORD)
    assert client.get(reverse("cases:my_cases")).status_code == 200


def test_the_reset_command_prints_a_new_one_time_password_last(client, coordinator, capsys):
    token = api_token_create(user=coordinator)
    call_command("user", "reset-password", "coordinator")
    password = capsys.readouterr().out.strip().splitlines()[-1]
    coordinator.refresh_from_db()
    assert coordinator.check_password(password)
    assert not coordinator.check_password("a-long-test-password")
    assert coordinator.must_change_password
    assert coordinator.password_expires_at is not None
    assert coordinator.password_expires_at > timezone.now() + dt.timedelta(hours=71)
    event = AuditEvent.objects.get(action="permission_change", object_type="user")
    assert (event.username, event.object_id, event.detail) == (
        "kindveilig-cli",
        str(coordinator.pk),
        "password reset",
    )
    assert ApiToken.objects.get(user=coordinator).revoked_at is not None
    api = client.get("/api/v1/cases", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 401
    # The new password leads to the second factor (which stays) and then to the change.
    TOTPDevice.objects.create(user=coordinator, name="app", confirmed=True)
    assert log_in(client, "coordinator", password)["Location"] == reverse("accounts:second_factor")
    assert client.get(reverse("cases:my_cases"))["Location"] == reverse("accounts:password_change")


def test_a_reset_ends_the_sessions(client, coordinator) -> None:
    client.force_login(coordinator)
    user_password_reset(user=coordinator)
    assert client.get(reverse("cases:my_cases"))["Location"].startswith(reverse("accounts:login"))


def test_a_reset_of_an_unknown_user_is_a_clear_error(db) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("user", "reset-password", "niemand")
