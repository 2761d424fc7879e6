"""Sensitive account changes ask for the password and a current code again (ASVS 3.7.1): a
session alone (an unlocked computer, a stolen cookie) cannot take over the account."""

import time
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from kindveilig.accounts import views
from kindveilig.accounts.models import ApiToken
from kindveilig.accounts.services import recovery_codes_regenerate, totp_current_code
from kindveilig.audit.models import AuditEvent

PASSWORD = "a-long-test-password"
NEW_PASSWORD = "een-heel-nieuw-wachtwoord-2026"


@pytest.fixture
def logged_in(client, coordinator):
    """The coordinator's browser after a complete login; the session's device is returned."""
    client.force_login(coordinator)
    return TOTPDevice.objects.get(user=coordinator, confirmed=True)


@pytest.fixture
def codes(coordinator, logged_in) -> list[str]:
    return recovery_codes_regenerate(user=coordinator)


def reauthentication_url(next_url: str) -> str:
    return reverse("accounts:reauthenticate") + "?" + urlencode({"next": next_url})


def reauthenticate(client, code: str, password: str = PASSWORD, next_url: str = ""):
    url = reauthentication_url(next_url) if next_url else reverse("accounts:reauthenticate")
    return client.post(url, {"password": password, "code": code})


def failed(step: str = "reauthentication") -> list[tuple[str, str]]:
    return list(
        AuditEvent.objects.filter(action="login_failed", detail=step).values_list(
            "username", "detail"
        )
    )


def wrong_code(device: TOTPDevice) -> str:
    return "000000" if totp_current_code(device) != "000000" else "111111"


# --- Without a re-authentication ---------------------------------------------------------


def test_a_session_alone_cannot_start_enrolling_a_new_authenticator(
    client, coordinator, logged_in
) -> None:
    response = client.get(reverse("accounts:enrol"))
    assert response["Location"] == reauthentication_url(reverse("accounts:enrol"))
    attempt = client.post(reverse("accounts:enrol"), {"code": "123456"})
    assert attempt["Location"].startswith(reverse("accounts:reauthenticate"))
    # No new (unconfirmed) device was made and the existing one is untouched.
    assert list(TOTPDevice.objects.filter(user=coordinator)) == [logged_in]
    assert not AuditEvent.objects.filter(object_type="totp_device").exists()


def test_a_session_alone_cannot_make_new_recovery_codes(client, coordinator, codes) -> None:
    regenerated = AuditEvent.objects.filter(detail="recovery codes regenerated")
    before = regenerated.count()  # the fixture's codes
    response = client.post(reverse("accounts:recovery_codes"))
    assert response["Location"] == reauthentication_url(reverse("accounts:security"))
    kept = set(StaticToken.objects.filter(device__user=coordinator).values_list("token", flat=True))
    assert kept == set(codes)
    assert regenerated.count() == before


def test_a_session_alone_cannot_make_an_api_token(client, coordinator, logged_in) -> None:
    response = client.post(reverse("accounts:api_token_create"), {"name": "rapportage"})
    assert response["Location"].startswith(reverse("accounts:reauthenticate"))
    assert not ApiToken.objects.filter(user=coordinator).exists()


def test_the_password_change_asks_a_code(client, coordinator, logged_in) -> None:
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200 and response.context["form"].errors["code"]
    coordinator.refresh_from_db()
    assert coordinator.check_password(PASSWORD)
    assert not AuditEvent.objects.filter(detail="password change").exists()


def test_the_password_change_refuses_a_wrong_code_and_logs_it(
    client, coordinator, logged_in
) -> None:
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "code": wrong_code(logged_in),
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    coordinator.refresh_from_db()
    assert coordinator.check_password(PASSWORD)
    assert failed() == [("coordinator", "reauthentication")]


def test_the_password_change_refuses_a_wrong_old_password_and_keeps_the_recovery_code(
    client, coordinator, codes
) -> None:
    client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "not-my-password",
            "code": codes[0],
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    coordinator.refresh_from_db()
    assert coordinator.check_password(PASSWORD)
    assert StaticToken.objects.filter(token=codes[0]).exists()  # not used up
    assert failed() == [("coordinator", "reauthentication")]


def test_the_new_password_must_differ_from_the_current_one(client, coordinator, codes) -> None:
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "code": codes[0],
            "new_password1": PASSWORD,
            "new_password2": PASSWORD,
        },
    )
    assert response.context["form"].errors["new_password1"]
    assert not AuditEvent.objects.filter(detail="password change").exists()


def test_the_password_change_with_a_recovery_code_uses_it_up(client, coordinator, codes) -> None:
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "code": codes[0],
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response["Location"] == reverse("accounts:security")
    coordinator.refresh_from_db()
    assert coordinator.check_password(NEW_PASSWORD)
    assert not StaticToken.objects.filter(token=codes[0]).exists()


# --- The re-authentication step ----------------------------------------------------------


def test_a_wrong_code_is_refused_and_logged(client, logged_in) -> None:
    response = reauthenticate(client, wrong_code(logged_in))
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert views.REAUTHENTICATED_AT not in client.session
    assert failed() == [("coordinator", "reauthentication")]
    assert failed("second factor") == []  # logged once, at its own step


def test_a_wrong_password_is_refused_logged_and_spares_the_recovery_code(client, codes) -> None:
    response = reauthenticate(client, codes[0], password="not-my-password")
    assert response.status_code == 200
    assert views.REAUTHENTICATED_AT not in client.session
    assert StaticToken.objects.filter(token=codes[0]).exists()
    assert failed() == [("coordinator", "reauthentication")]


def test_repeated_failures_end_the_session(client, coordinator, logged_in) -> None:
    for _ in range(views.REAUTHENTICATION_MAX_FAILURES - 1):
        assert reauthenticate(client, wrong_code(logged_in)).status_code == 200
    response = reauthenticate(client, wrong_code(logged_in))
    assert response["Location"] == reverse("accounts:login")
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("cases:my_cases"))["Location"].startswith(reverse("accounts:login"))
    assert len(failed()) == views.REAUTHENTICATION_MAX_FAILURES


def test_password_and_app_code_allow_replacing_the_authenticator(
    client, coordinator, logged_in
) -> None:
    enrol = reverse("accounts:enrol")
    response = reauthenticate(client, totp_current_code(logged_in), next_url=enrol)
    assert response["Location"] == enrol
    page = client.get(enrol)
    assert page.status_code == 200 and page.context["qr"]
    new_device = TOTPDevice.objects.get(user=coordinator, confirmed=False)

    done = client.post(enrol, {"code": totp_current_code(new_device)})
    assert done.context["codes"]
    assert list(TOTPDevice.objects.filter(user=coordinator)) == [new_device]
    new_device.refresh_from_db()
    assert new_device.confirmed
    event = AuditEvent.objects.get(object_type="totp_device")
    assert (event.user_id, event.object_id) == (coordinator.pk, str(new_device.pk))
    # This session was verified by the replaced device; it goes on with the new one.
    assert client.get(reverse("cases:my_cases")).status_code == 200


def test_a_recovery_code_allows_new_recovery_codes_and_is_used_up(
    client, coordinator, codes
) -> None:
    reauthenticate(client, codes[0])
    response = client.post(reverse("accounts:recovery_codes"))
    assert "no-store" in response["Cache-Control"]
    fresh = response.context["codes"]
    assert set(fresh).isdisjoint(codes)
    stored = StaticToken.objects.filter(device__user=coordinator).values_list("token", flat=True)
    assert set(stored) == set(fresh)
    assert AuditEvent.objects.filter(
        detail="recovery codes regenerated", user_id=coordinator.pk
    ).exists()


def test_a_session_verified_by_a_recovery_code_survives_new_recovery_codes(
    client, coordinator
) -> None:
    TOTPDevice.objects.create(user=coordinator, name="app", confirmed=True)
    codes = recovery_codes_regenerate(user=coordinator)
    client.post(reverse("accounts:login"), {"username": "coordinator", "password": PASSWORD})
    client.post(reverse("accounts:second_factor"), {"code": codes[0]})
    reauthenticate(client, codes[1])
    assert client.post(reverse("accounts:recovery_codes")).status_code == 200
    assert client.get(reverse("cases:my_cases")).status_code == 200


def test_the_confirmation_lasts_five_minutes(client, coordinator, codes) -> None:
    reauthenticate(client, codes[0])
    session = client.session
    session[views.REAUTHENTICATED_AT] = time.time() - views.REAUTHENTICATION_SECONDS - 1
    session.save()
    response = client.post(reverse("accounts:recovery_codes"))
    assert response["Location"].startswith(reverse("accounts:reauthenticate"))
    assert StaticToken.objects.filter(device__user=coordinator).count() == len(codes) - 1


def test_the_way_back_stays_on_this_site(client, codes) -> None:
    response = reauthenticate(client, codes[0], next_url="https://elders.example/")
    assert response["Location"] == reverse("accounts:security")


def test_the_first_login_enrolment_needs_no_reauthentication(client, coordinator) -> None:
    client.post(reverse("accounts:login"), {"username": "coordinator", "password": PASSWORD})
    page = client.get(reverse("accounts:enrol"))
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=coordinator, confirmed=False)
    done = client.post(reverse("accounts:enrol"), {"code": totp_current_code(device)})
    assert done.context["codes"]
    assert client.get(reverse("cases:my_cases")).status_code == 200
