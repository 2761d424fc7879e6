"""Login throttling per client address and per username, without letting anyone lock a
colleague out of her own desk, and without an audit event per guess at unknown usernames."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from kindveilig.accounts.http import client_address
from kindveilig.accounts.services import totp_current_code
from kindveilig.audit.models import AuditEvent

PASSWORD = "a-long-test-password"
DESK, ATTACKER = "10.0.0.7", "203.0.113.66"


def from_address(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def password_step(client: Client, username="coordinator", password=PASSWORD):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def full_login(client: Client, device: TOTPDevice) -> None:
    password_step(client)
    response = client.post(reverse("accounts:second_factor"), {"code": totp_current_code(device)})
    assert response["Location"] == reverse("cases:my_cases")


@pytest.fixture
def device(coordinator) -> TOTPDevice:
    return TOTPDevice.objects.create(user=coordinator, name="app", confirmed=True)


def test_wrong_passwords_lock_the_username_for_new_addresses_only(coordinator, device) -> None:
    full_login(from_address(DESK), device)  # her own desk is a known address
    attacker = from_address(ATTACKER)
    for _ in range(settings.KINDVEILIG_LOGIN_FAILURES_PER_USERNAME):
        password_step(attacker, password="raden")
    locked = password_step(attacker)  # even the right password, from the attacker's address
    assert locked.status_code == 429
    assert "computer waar u eerder inlogde" in locked.content.decode()
    assert "kv_pending_user_id" not in attacker.session
    # She logs in at her desk as usual.
    desk = from_address(DESK)
    assert password_step(desk)["Location"] == reverse("accounts:second_factor")
    lock = AuditEvent.objects.filter(action="login_failed", detail__startswith="username locked")
    assert [(event.username, ATTACKER in event.detail) for event in lock] == [("coordinator", True)]


def test_an_address_with_many_failures_is_blocked_for_every_username(coordinator, device) -> None:
    attacker = from_address(ATTACKER)
    for number in range(settings.KINDVEILIG_LOGIN_FAILURES_PER_ADDRESS):
        password_step(attacker, username=f"gok{number}", password="raden")
    assert password_step(attacker).status_code == 429
    assert password_step(from_address(DESK))["Location"] == reverse("accounts:second_factor")


def test_guesses_at_unknown_usernames_are_counted_not_each_logged(db) -> None:
    attacker = from_address(ATTACKER)
    before = AuditEvent.objects.count()
    for number in range(settings.KINDVEILIG_LOGIN_FAILURES_PER_ADDRESS - 1):
        password_step(attacker, username=f"bestaat-niet-{number}", password="raden")
    assert AuditEvent.objects.count() == before
    password_step(attacker, username="nog-een", password="raden")
    burst = AuditEvent.objects.filter(id__gt=0).order_by("-id").first()
    assert burst.detail.startswith("address locked after 20 failed logins")
    assert burst.username == "" and AuditEvent.objects.count() == before + 1


def test_failures_for_an_existing_account_are_each_logged(coordinator) -> None:
    password_step(from_address(ATTACKER), password="raden")
    event = AuditEvent.objects.get(action="login_failed")
    assert (event.username, event.detail) == ("coordinator", "password")


def test_the_client_address_behind_a_trusted_proxy(rf, settings) -> None:
    request = rf.get("/", REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.9")
    settings.KINDVEILIG_TRUSTED_PROXIES = 0
    assert client_address(request) == "10.1.1.1"
    settings.KINDVEILIG_TRUSTED_PROXIES = 1  # the proxy appended what it saw; 6.6.6.6 is forged
    assert client_address(request) == "198.51.100.9"
