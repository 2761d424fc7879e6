"""One audit vocabulary: a closed set of kinds of data and actions, a typed function per kind of
event, and only services (and the access door) write events."""

import ast
from pathlib import Path

import pytest
from django.urls import reverse

import kindveilig
from kindveilig.accounts import services as account_services
from kindveilig.accounts.models import ApiToken
from kindveilig.audit import events
from kindveilig.audit.chain import append
from kindveilig.audit.models import AuditAction, AuditEvent, AuditObject

PACKAGE = Path(kindveilig.__file__).parent
# The access door logs reads; cases.records is the saving step every service shares.
WRITERS_BESIDES_SERVICES = {"cases/access.py", "cases/records.py"}


def modules_writing_events() -> set[str]:
    writers = set()
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE)
        if "tests" in relative.parts or relative.parts[0] == "audit":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported = {node.module, *(f"{node.module}.{a.name}" for a in node.names)}
                if imported & {"kindveilig.audit.events", "kindveilig.audit.chain"}:
                    writers.add(str(relative))
            if isinstance(node, ast.Import) and any(
                alias.name.startswith(("kindveilig.audit.events", "kindveilig.audit.chain"))
                for alias in node.names
            ):
                writers.add(str(relative))
    return writers


def test_only_services_and_the_access_door_write_audit_events() -> None:
    writers = modules_writing_events()
    assert "cases/services.py" in writers and "accounts/services.py" in writers
    # A service is services.py or a module of a services/ package (an app split by part).
    others = {w for w in writers if not (w.endswith("services.py") or "/services/" in w)}
    assert others <= WRITERS_BESIDES_SERVICES


def test_within_the_audit_app_only_the_vocabulary_appends_to_the_chain() -> None:
    importers = set()
    for path in PACKAGE.rglob("*.py"):
        if "tests" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.ImportFrom)
                and node.module == "kindveilig.audit.chain"
                and "append" in {alias.name for alias in node.names}
            ):
                importers.add(str(path.relative_to(PACKAGE)))
    assert importers == {"audit/events.py"}


def test_an_unknown_kind_of_data_or_action_is_refused(db) -> None:
    before = AuditEvent.objects.count()
    with pytest.raises(ValueError):
        append(actor=None, action=AuditAction.READ, object_type="case_notes")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        append(actor=None, action="peek", object_type=AuditObject.CASE)  # type: ignore[arg-type]
    assert AuditEvent.objects.count() == before


def test_stored_codes_keep_their_meaning() -> None:
    # Events already in logs use these codes; renaming one would change what old events say.
    assert {member.value for member in AuditObject} >= {
        "session",
        "user",
        "totp_device",
        "static_device",
        "case",
        "case_list",
        "person",
        "case_member",
        "maltreatment_form",
        "draft",
        "audit_log",
        "break_glass_report",
    }
    assert {member.value for member in AuditAction} == {
        "read",
        "create",
        "update",
        "delete",
        "search",
        "export",
        "print",
        "break_glass",
        "login",
        "login_failed",
        "logout",
        "permission_change",
        "access_denied",
        "reveal",
    }


def test_creating_and_revoking_an_api_token_are_audited(coordinator) -> None:
    account_services.api_token_create(user=coordinator, by=coordinator)
    token = ApiToken.objects.get(user=coordinator)
    created = AuditEvent.objects.get(object_type="api_token", object_id=str(token.pk))
    assert (created.action, created.user_id) == ("permission_change", coordinator.pk)
    assert created.detail == f"create for user={coordinator.pk}"

    account_services.api_token_revoke(token=token, by=None)
    account_services.api_token_revoke(token=token, by=None)  # revoking twice logs once
    revoked = AuditEvent.objects.filter(object_type="api_token", detail__startswith="revoke")
    assert [(event.username, event.user_id) for event in revoked] == [("kindveilig-cli", None)]
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_the_apitoken_command_is_audited_as_the_command_line(coordinator, capsys) -> None:
    from django.core.management import call_command

    call_command("apitoken", "coordinator")
    event = AuditEvent.objects.filter(object_type="api_token").latest("id")
    assert (event.username, event.detail) == ("kindveilig-cli", f"create for user={coordinator.pk}")


def test_password_change_and_logout_are_written_by_services(client, coordinator) -> None:
    client.force_login(coordinator)
    codes = account_services.recovery_codes_regenerate(user=coordinator)
    client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "a-long-test-password",
            "code": codes[0],
            "new_password1": "een-nieuw-lang-wachtwoord-7",
            "new_password2": "een-nieuw-lang-wachtwoord-7",
        },
    )
    client.post(reverse("accounts:logout"))
    kinds = list(
        AuditEvent.objects.filter(user_id=coordinator.pk)
        .order_by("id")
        .values_list("action", "object_type", "detail")
    )
    assert kinds[-2:] == [
        ("permission_change", "user", "password change"),
        ("logout", "session", ""),
    ]
    coordinator.refresh_from_db()
    assert coordinator.check_password("een-nieuw-lang-wachtwoord-7")


def test_events_are_typed_functions_for_each_kind(coordinator) -> None:
    event = events.recovery_codes_regenerated(coordinator)
    assert (event.action, event.object_type) == ("permission_change", "static_device")
