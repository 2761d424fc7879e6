import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from kindveilig.accounts.models import User
from kindveilig.accounts.services import api_token_create
from kindveilig.audit.models import AuditEvent


def test_create_prints_a_one_time_password_that_leads_to_enrolment(db, client, capsys) -> None:
    call_command(
        "user", "create", "nieuw", "--role", "professional", "--organisation", "Veilig Thuis Regio"
    )
    password = capsys.readouterr().out.strip().splitlines()[-1]
    user = User.objects.get(username="nieuw")
    assert (user.role, user.organisation.name) == ("professional", "Veilig Thuis Regio")
    response = client.post(reverse("accounts:login"), {"username": "nieuw", "password": password})
    assert response["Location"] == reverse("accounts:enrol")
    assert AuditEvent.objects.filter(action="permission_change", object_id=str(user.pk)).exists()


def test_duplicate_username_is_a_clear_error(db) -> None:
    call_command("user", "create", "dubbel", "--role", "auditor", "--organisation", "X")
    with pytest.raises(CommandError):
        call_command("user", "create", "dubbel", "--role", "auditor", "--organisation", "X")


def test_deactivate_ends_sessions_and_tokens(client, coordinator, family_case) -> None:
    client.force_login(coordinator)
    token = api_token_create(user=coordinator)
    call_command("user", "deactivate", "coordinator")
    assert client.get(reverse("cases:my_cases")).status_code == 302
    api = client.get("/api/v1/cases", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 401


def test_reset_2fa_removes_the_authenticator(client, coordinator) -> None:
    client.force_login(coordinator)
    call_command("user", "reset-2fa", "coordinator")
    assert not TOTPDevice.objects.filter(user=coordinator).exists()
    assert client.get(reverse("cases:my_cases")).status_code == 302


def test_reactivate_lets_a_blocked_account_log_in_again(coordinator, capsys) -> None:
    call_command("user", "deactivate", "coordinator")
    with pytest.raises(CommandError):
        call_command("user", "deactivate", "coordinator")  # already blocked: said so
    call_command("user", "reactivate", "coordinator")
    coordinator.refresh_from_db()
    assert coordinator.is_active
    event = AuditEvent.objects.filter(object_id=str(coordinator.pk)).latest("id")
    assert (event.username, event.detail) == ("kindveilig-cli", "reactivate")
