"""NEN 7513 audit log: complete events, same transaction, append-only, tamper-evident."""

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from kindveilig.accounts.services import api_token_create
from kindveilig.audit import events
from kindveilig.audit.models import AuditEvent
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


def test_a_denied_read_is_logged_as_denied_not_as_a_read(client, family_case, outsider) -> None:
    client.force_login(outsider)
    response = client.get(reverse("cases:case_detail", args=[family_case.pk]))
    assert response.status_code == 404
    events_of_outsider = AuditEvent.objects.filter(user_id=outsider.pk, case_id=family_case.pk)
    assert list(events_of_outsider.values_list("action", "object_type", "object_id")) == [
        ("access_denied", "case", str(family_case.pk))
    ]


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
