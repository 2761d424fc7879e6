"""API tokens have a name and an expiry, record their last use and address, are listed and
revoked by their owner and by the administrator, and end with the account's other
credentials."""

import datetime as dt
from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from config.env import VARIABLES, read_env
from kindveilig.accounts import services, views
from kindveilig.accounts.models import ApiToken, ApiTokenStatus, User
from kindveilig.accounts.services import api_token_authenticate, api_token_create, hash_api_token
from kindveilig.audit.models import AuditEvent

PASSWORD = "a-long-test-password"


def token_of(raw: str) -> ApiToken:
    return ApiToken.objects.get(token_hash=hash_api_token(raw))


def call_api(client, raw: str, address: str = "127.0.0.1"):
    return client.get(
        "/api/v1/cases", headers={"Authorization": f"Bearer {raw}"}, REMOTE_ADDR=address
    )


def new_address_events(token: ApiToken) -> list[str]:
    return list(
        AuditEvent.objects.filter(
            action="login", object_type="api_token", object_id=str(token.pk)
        ).values_list("detail", flat=True)
    )


# --- Name and expiry ---------------------------------------------------------------------


def test_the_validity_is_declared_and_read_from_the_environment(monkeypatch) -> None:
    assert "KINDVEILIG_API_TOKEN_DAYS" in VARIABLES
    monkeypatch.delenv("KINDVEILIG_API_TOKEN_DAYS", raising=False)
    assert read_env().api_token_days == 90
    monkeypatch.setenv("KINDVEILIG_API_TOKEN_DAYS", "30")
    assert read_env().api_token_days == 30


def test_a_token_has_a_name_and_expires_after_90_days(coordinator) -> None:
    before = timezone.now()
    token = token_of(api_token_create(user=coordinator, name="  rapportage  "))
    assert token.name == "rapportage"
    assert before + dt.timedelta(days=90) <= token.expires_at
    assert token.expires_at <= timezone.now() + dt.timedelta(days=90)
    assert token.status == ApiTokenStatus.ACTIVE


@override_settings(KINDVEILIG_API_TOKEN_DAYS=7)
def test_the_validity_follows_the_setting(coordinator) -> None:
    token = token_of(api_token_create(user=coordinator))
    assert token.expires_at - token.created_at < dt.timedelta(days=7, minutes=1)


def test_a_blank_name_is_refused(coordinator) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        api_token_create(user=coordinator, name="  ")
    assert not ApiToken.objects.exists()


def test_an_expired_token_is_refused(client, coordinator) -> None:
    raw = api_token_create(user=coordinator)
    ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert call_api(client, raw).status_code == 401
    assert api_token_authenticate(raw_token=raw) is None
    assert token_of(raw).status == ApiTokenStatus.EXPIRED
    assert token_of(raw).last_used_at is None


def test_a_revoked_token_is_refused(client, coordinator) -> None:
    raw = api_token_create(user=coordinator)
    services.api_token_revoke(token=token_of(raw), by=coordinator)
    assert call_api(client, raw).status_code == 401
    assert token_of(raw).status == ApiTokenStatus.REVOKED


# --- Last use and address ----------------------------------------------------------------


def test_the_first_use_records_time_and_address_and_is_audited(client, coordinator) -> None:
    raw = api_token_create(user=coordinator)
    assert call_api(client, raw, "192.0.2.10").status_code == 200
    token = token_of(raw)
    assert token.last_used_address == "192.0.2.10"
    assert token.last_used_at is not None
    assert new_address_events(token) == ["used from new address 192.0.2.10"]
    event = AuditEvent.objects.get(action="login", object_type="api_token")
    assert event.user_id == coordinator.pk


def test_the_last_use_is_written_at_most_once_a_minute(coordinator) -> None:
    raw = api_token_create(user=coordinator)
    api_token_authenticate(raw_token=raw, address="192.0.2.10")
    half_a_minute_ago = timezone.now() - dt.timedelta(seconds=30)
    ApiToken.objects.update(last_used_at=half_a_minute_ago)
    with CaptureQueriesContext(connection) as queries:
        assert api_token_authenticate(raw_token=raw, address="192.0.2.10") == coordinator
    assert not [q for q in queries if q["sql"].lstrip().upper().startswith("UPDATE")]
    assert token_of(raw).last_used_at == half_a_minute_ago

    a_minute_ago = timezone.now() - dt.timedelta(seconds=61)
    ApiToken.objects.update(last_used_at=a_minute_ago)
    api_token_authenticate(raw_token=raw, address="192.0.2.10")
    assert token_of(raw).last_used_at > a_minute_ago
    assert len(new_address_events(token_of(raw))) == 1  # the same address: no new event


def test_a_new_address_is_written_and_audited_at_once(coordinator) -> None:
    raw = api_token_create(user=coordinator)
    api_token_authenticate(raw_token=raw, address="192.0.2.10")
    api_token_authenticate(raw_token=raw, address="2001:DB8::1")  # within the minute
    api_token_authenticate(raw_token=raw, address="2001:db8::1")  # the same, written otherwise
    token = token_of(raw)
    assert token.last_used_address == "2001:db8::1"
    assert new_address_events(token) == [
        "used from new address 192.0.2.10",
        "used from new address 2001:db8::1",
    ]


def test_no_usable_address_still_records_the_use(coordinator) -> None:
    raw = api_token_create(user=coordinator)
    assert api_token_authenticate(raw_token=raw, address="not-an-address") == coordinator
    token = token_of(raw)
    assert token.last_used_at is not None and token.last_used_address is None
    assert new_address_events(token) == []


# --- The owner's security page -----------------------------------------------------------


@pytest.fixture
def confirmed(client, coordinator):
    """The coordinator logged in and just re-authenticated (with a recovery code)."""
    client.force_login(coordinator)
    codes = services.recovery_codes_regenerate(user=coordinator)
    response = client.post(
        reverse("accounts:reauthenticate"), {"password": PASSWORD, "code": codes[0]}
    )
    assert response["Location"] == reverse("accounts:security")
    return client


def test_the_owner_sees_their_tokens_not_others(client, coordinator, outsider) -> None:
    api_token_create(user=coordinator, name="rapportage")
    revoked = token_of(api_token_create(user=coordinator, name="oud"))
    services.api_token_revoke(token=revoked, by=None)
    api_token_create(user=outsider, name="van-een-ander")
    client.force_login(coordinator)
    response = client.get(reverse("accounts:security"))
    tokens = list(response.context["api_tokens"])
    assert [token.name for token in tokens] == ["oud", "rapportage"]
    page = response.content.decode()
    assert "rapportage" in page and "van-een-ander" not in page
    assert str(ApiTokenStatus.REVOKED.label) in page
    assert reverse("accounts:api_token_revoke", args=[tokens[1].pk]) in page
    assert reverse("accounts:api_token_revoke", args=[revoked.pk]) not in page


def test_the_owner_makes_a_named_token_shown_once(confirmed, coordinator) -> None:
    response = confirmed.post(reverse("accounts:api_token_create"), {"name": "rapportage"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    raw = response.context["raw"]
    token = token_of(raw)
    assert (token.user, token.name) == (coordinator, "rapportage")
    assert raw in response.content.decode()
    assert raw not in confirmed.get(reverse("accounts:security")).content.decode()
    assert call_api(confirmed, raw).status_code == 200
    event = AuditEvent.objects.get(action="permission_change", object_type="api_token")
    assert (event.user_id, event.object_id) == (coordinator.pk, str(token.pk))


def test_a_token_without_a_name_is_not_made(confirmed) -> None:
    response = confirmed.post(reverse("accounts:api_token_create"), {"name": ""})
    assert response.status_code == 200 and response.context["form"].errors["name"]
    assert not ApiToken.objects.exists()


def test_the_owner_revokes_a_token(client, coordinator) -> None:
    raw = api_token_create(user=coordinator)
    client.force_login(coordinator)
    response = client.post(reverse("accounts:api_token_revoke", args=[token_of(raw).pk]))
    assert response["Location"] == reverse("accounts:security")
    assert token_of(raw).revoked_at is not None
    assert call_api(client, raw).status_code == 401
    event = AuditEvent.objects.get(object_type="api_token", detail__startswith="revoke")
    assert event.user_id == coordinator.pk


def test_nobody_revokes_another_users_token(client, coordinator, outsider) -> None:
    raw = api_token_create(user=coordinator)
    client.force_login(outsider)
    response = client.post(reverse("accounts:api_token_revoke", args=[token_of(raw).pk]))
    assert response.status_code == 404
    assert token_of(raw).revoked_at is None
    assert not AuditEvent.objects.filter(detail__startswith="revoke").exists()


def test_making_a_token_asks_for_reauthentication_first(client, coordinator) -> None:
    client.force_login(coordinator)
    response = client.post(reverse("accounts:api_token_create"), {"name": "x"})
    assert response["Location"] == reverse("accounts:reauthenticate") + "?" + urlencode(
        {"next": reverse("accounts:security")}
    )
    assert not ApiToken.objects.exists()
    assert views.REAUTHENTICATED_AT not in client.session


# --- The administrator's command ---------------------------------------------------------


def test_create_with_a_name_prints_the_token_last(coordinator, capsys) -> None:
    call_command("apitoken", "create", "coordinator", "--name", "koppeling")
    raw = capsys.readouterr().out.strip().splitlines()[-1]
    assert token_of(raw).name == "koppeling"
    event = AuditEvent.objects.get(object_type="api_token")
    assert (event.username, event.detail) == ("kindveilig-cli", f"create for user={coordinator.pk}")


def test_a_username_alone_still_creates_a_cli_token(coordinator, capsys) -> None:
    call_command("apitoken", "coordinator")
    raw = capsys.readouterr().out.strip().splitlines()[-1]
    assert (token_of(raw).user, token_of(raw).name) == (coordinator, "cli")


def test_list_shows_the_tokens_of_a_user(coordinator, outsider, capsys) -> None:
    used = token_of(api_token_create(user=coordinator, name="koppeling"))
    api_token_authenticate(raw_token=api_token_create(user=coordinator, name="x"), address=None)
    api_token_authenticate(
        raw_token=api_token_create(user=coordinator, name="gebruikt"), address="192.0.2.7"
    )
    api_token_create(user=outsider, name="van-een-ander")
    capsys.readouterr()
    call_command("apitoken", "list", "coordinator")
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 4  # a header and three tokens
    assert any(line.startswith(f"{used.pk}\tkoppeling\t{used.prefix}\t") for line in lines)
    assert any("192.0.2.7" in line for line in lines)
    assert not any("van-een-ander" in line for line in lines)


def test_revoke_by_id(coordinator, capsys) -> None:
    token = token_of(api_token_create(user=coordinator))
    call_command("apitoken", "revoke", str(token.pk))
    token.refresh_from_db()
    assert token.revoked_at is not None
    event = AuditEvent.objects.get(object_type="api_token", detail__startswith="revoke")
    assert event.username == "kindveilig-cli"
    with pytest.raises(CommandError):
        call_command("apitoken", "revoke", "999999")


def test_unknown_users_and_actions_are_clear_errors(db) -> None:
    with pytest.raises(CommandError):
        call_command("apitoken", "create", "niemand")
    with pytest.raises(CommandError):
        call_command("apitoken", "list")
    with pytest.raises(CommandError):
        call_command("apitoken", "intrekken", "1")


# --- Ending the account's credentials ends its tokens ------------------------------------


def revocations(user: User) -> list[str]:
    return sorted(
        AuditEvent.objects.filter(
            object_type="api_token", detail=f"revoke for user={user.pk}"
        ).values_list("object_id", flat=True)
    )


def two_tokens(user: User) -> list[str]:
    return [api_token_create(user=user, name=name) for name in ("a", "b")]


def assert_all_revoked(user: User, raws: list[str]) -> None:
    assert all(token_of(raw).revoked_at is not None for raw in raws)
    # One audit event per token.
    assert revocations(user) == sorted(str(token_of(raw).pk) for raw in raws)


def test_deactivation_revokes_every_token(coordinator) -> None:
    raws = two_tokens(coordinator)
    call_command("user", "deactivate", "coordinator")
    assert_all_revoked(coordinator, raws)


def test_logging_out_everywhere_revokes_every_token(client, coordinator) -> None:
    raws = two_tokens(coordinator)
    client.force_login(coordinator)
    client.post(reverse("accounts:logout_everywhere"))
    assert_all_revoked(coordinator, raws)
    assert call_api(client, raws[0]).status_code == 401


def test_a_password_change_revokes_every_token(coordinator) -> None:
    raws = two_tokens(coordinator)
    other = token_of(api_token_create(user=User.objects.create_user("ander", password="x" * 12)))
    services.password_change(user=coordinator, new_password="een-heel-nieuw-wachtwoord-2026")
    assert_all_revoked(coordinator, raws)
    other.refresh_from_db()
    assert other.revoked_at is None


def test_a_password_reset_revokes_every_token(coordinator) -> None:
    raws = two_tokens(coordinator)
    services.user_password_reset(user=coordinator)
    assert_all_revoked(coordinator, raws)
