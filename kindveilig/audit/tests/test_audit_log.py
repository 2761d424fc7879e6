"""NEN 7513 audit log: complete events, same transaction, append-only, tamper-evident."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from kindveilig.accounts.services import api_token_create
from kindveilig.audit import events
from kindveilig.audit.chain import verify
from kindveilig.audit.models import GENESIS_HASH, AuditEvent, AuditObject, AuditSubject
from kindveilig.cases import services
from kindveilig.cases.models import Case


def test_case_page_read_is_logged_with_who_whom_what_and_request(
    client, family_case, coordinator
) -> None:
    client.force_login(coordinator)
    response = client.get(reverse("cases:case_detail", args=[family_case.pk]))
    event = AuditEvent.objects.filter(action="read", object_type="case").latest("id")
    persons = set(family_case.persons.values_list("pk", flat=True))
    assert (event.user_id, event.username, event.role) == (
        coordinator.pk,
        "coordinator",
        "professional",
    )
    assert event.organisation_name == "Testorganisatie Jeugdhulp"
    assert event.case_id == family_case.pk
    assert set(event.client_id_list()) == persons
    assert event.request_id == response["X-Request-ID"]


def test_api_write_is_logged_for_the_new_client(client, family_case, coordinator) -> None:
    token = api_token_create(user=coordinator)
    response = client.post(
        f"/api/v1/cases/{family_case.pk}/persons",
        content_type="application/json",
        data={
            "role": "child",
            "given_name": "Nina",
            "family_name": "Proef",
            "birth_date": "2021-02-03",
        },
        headers={"Authorization": f"Bearer {token}"},
    )
    person_id = response.json()["id"]
    event = AuditEvent.objects.get(action="create", object_type="person", object_id=person_id)
    assert event.client_id_list() == [person_id]
    assert (event.user_id, event.case_id) == (coordinator.pk, family_case.pk)
    assert event.request_id == response["X-Request-ID"]


def test_api_read_is_logged(client, family_case, coordinator) -> None:
    token = api_token_create(user=coordinator)
    client.get(f"/api/v1/cases/{family_case.pk}", headers={"Authorization": f"Bearer {token}"})
    assert AuditEvent.objects.filter(
        action="read", case_id=family_case.pk, user_id=coordinator.pk
    ).exists()


def test_denied_read_writes_no_read_event(client, family_case, outsider) -> None:
    client.force_login(outsider)
    client.get(reverse("cases:case_detail", args=[family_case.pk]))
    assert not AuditEvent.objects.filter(
        action="read", user_id=outsider.pk, case_id=family_case.pk
    ).exists()


def test_failed_write_leaves_no_event_and_no_data(family_case, coordinator) -> None:
    before = AuditEvent.objects.count(), family_case.persons.count()
    with pytest.raises(ValidationError):
        services.person_add(
            actor=coordinator,
            case=family_case,
            role="child",
            given_name="X",
            family_name="Y",
            birth_date=None,
        )
    assert (AuditEvent.objects.count(), family_case.persons.count()) == before


def test_action_and_event_share_one_transaction(family_case, coordinator, monkeypatch) -> None:
    def broken_audit(**kwargs):
        raise DatabaseError("audit store unavailable")

    monkeypatch.setattr("kindveilig.audit.events.append", broken_audit)
    with pytest.raises(DatabaseError):
        services.case_update(
            actor=coordinator,
            case=family_case,
            expected_version=family_case.version,
            changes={"name": "anders"},
        )
    assert Case.objects.get(pk=family_case.pk).name == "familie Proef"


def test_events_form_a_hash_chain_that_verifies(db, coordinator) -> None:
    first = events.login(coordinator)
    second = events.logout(coordinator)
    assert second.previous_hash == first.hash
    earlier = AuditEvent.objects.filter(pk__lt=first.pk).order_by("-pk").first()
    assert first.previous_hash == (earlier.hash if earlier else GENESIS_HASH)
    result = verify()
    assert result.ok and result.count == AuditEvent.objects.count()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_auditevent SET detail = 'changed'",
        "DELETE FROM audit_auditevent",
    ],
)
def test_database_refuses_update_and_delete(db, coordinator, statement) -> None:
    events.login(coordinator)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    assert AuditEvent.objects.exclude(detail="changed").count() == AuditEvent.objects.count()


def test_orm_update_and_delete_are_refused_too(db, coordinator) -> None:
    event = events.login(coordinator)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(username="someone-else")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).username == "coordinator"


def _bypass_triggers_and_alter(event_id: int) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER audit_event_no_update")
        else:
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
        cursor.execute(
            "UPDATE audit_auditevent SET username = 'iemand-anders' WHERE id = %s", [event_id]
        )


def test_tampering_is_detected_at_the_altered_event(db, coordinator, capsys) -> None:
    subject = AuditSubject(AuditObject.CASE, 1, 1)
    written = [events.case_data_read(coordinator, subject, via_break_glass=False) for _ in range(3)]
    _bypass_triggers_and_alter(written[1].pk)

    result = verify()
    assert not result.ok
    assert result.first_broken_id == written[1].pk
    with pytest.raises(SystemExit) as exit_info:
        call_command("audit", "verify")
    assert exit_info.value.code == 1
    assert f"BROKEN at event {written[1].pk}" in capsys.readouterr().err


def test_verify_command_prints_ok_with_count(db, coordinator, capsys) -> None:
    events.login(coordinator)
    call_command("audit", "verify")
    assert capsys.readouterr().out.strip() == f"OK {AuditEvent.objects.count()} events"
