"""Forms of maltreatment per child: recorded, changed (optimistic concurrency, history) and
ended with a date and a reason; an ended form stays in the case and may be recorded anew."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kindveilig.audit.models import AuditEvent
from kindveilig.cases import services
from kindveilig.cases.models import ChildMaltreatmentForm, Person
from kindveilig.cases.records import ConcurrentEditError
from kindveilig.knowledge import loader


@pytest.fixture
def child(family_case) -> Person:
    return family_case.persons.get(role="child")


@pytest.fixture
def record(child, coordinator) -> ChildMaltreatmentForm:
    return services.maltreatment_form_record(
        actor=coordinator,
        child=child,
        code="fysieke-mishandeling",
        status="suspected",
        onset="sinds de zomer",
        frequency="wekelijks",
        severity="blauwe plekken",
        source="mentor op school",
    )


def test_record_stores_every_detail_and_logs_its_creation(record, child, coordinator) -> None:
    stored = ChildMaltreatmentForm.objects.get(pk=record.pk)
    assert (
        stored.case_id,
        stored.child_id,
        stored.knowledge_code,
        stored.status,
        stored.onset,
        stored.frequency,
        stored.severity,
        stored.source,
        stored.ended_on,
    ) == (
        child.case_id,
        child.pk,
        "fysieke-mishandeling",
        "suspected",
        "sinds de zomer",
        "wekelijks",
        "blauwe plekken",
        "mentor op school",
        None,
    )
    event = AuditEvent.objects.get(action="create", object_type="maltreatment_form")
    assert (event.object_id, event.client_id_list()) == (str(record.pk), [child.pk])


def test_the_same_current_form_is_recorded_once_per_child(record, child, coordinator) -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.maltreatment_form_record(
            actor=coordinator, child=child, code="fysieke-mishandeling", status="established"
        )
    assert set(excinfo.value.message_dict) == {"code"}
    assert ChildMaltreatmentForm.objects.count() == 1


def test_wrong_input_is_reported_per_field_and_nothing_saved(child, coordinator) -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.maltreatment_form_record(
            actor=coordinator, child=child, code="bestaat-niet", status="vermoedelijk"
        )
    assert set(excinfo.value.message_dict) == {"code", "status"}
    assert not ChildMaltreatmentForm.objects.exists()


def test_change_updates_the_details_with_history(record, coordinator) -> None:
    changed = services.maltreatment_form_change(
        actor=coordinator,
        record=record,
        expected_version=1,
        changes={"status": "established", "severity": "letsel, ziekenhuisopname", "id": 99},
    )
    stored = ChildMaltreatmentForm.objects.get(pk=record.pk)
    assert (stored.status, stored.severity, stored.version, stored.pk) == (
        "established",
        "letsel, ziekenhuisopname",
        2,
        record.pk,
    )
    assert changed.version == 2
    assert stored.history.latest("history_date").history_user == coordinator
    event = AuditEvent.objects.filter(action="update", object_type="maltreatment_form").get()
    assert event.detail == "severity,status"


def test_a_changed_code_takes_the_current_knowledge_version(record, coordinator) -> None:
    ChildMaltreatmentForm.objects.filter(pk=record.pk).update(knowledge_version="2020.1.0")
    record.refresh_from_db()
    services.maltreatment_form_change(
        actor=coordinator,
        record=record,
        expected_version=1,
        changes={"code": "fysieke-verwaarlozing"},
    )
    stored = ChildMaltreatmentForm.objects.get(pk=record.pk)
    assert (stored.knowledge_code, stored.knowledge_version) == (
        "fysieke-verwaarlozing",
        loader.knowledge_base().version,
    )


def test_change_to_an_unknown_code_or_a_stale_version_saves_nothing(record, coordinator) -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.maltreatment_form_change(
            actor=coordinator, record=record, expected_version=1, changes={"code": "onzin"}
        )
    assert set(excinfo.value.message_dict) == {"code"}
    services.maltreatment_form_change(
        actor=coordinator, record=record, expected_version=1, changes={"frequency": "dagelijks"}
    )
    with pytest.raises(ConcurrentEditError) as conflict:
        services.maltreatment_form_change(
            actor=coordinator, record=record, expected_version=1, changes={"frequency": "nooit"}
        )
    assert conflict.value.current.frequency == "dagelijks"
    stored = ChildMaltreatmentForm.objects.get(pk=record.pk)
    assert (stored.knowledge_code, stored.frequency) == ("fysieke-mishandeling", "dagelijks")


def test_end_keeps_the_form_with_its_date_and_reason(record, coordinator) -> None:
    ended = services.maltreatment_form_end(
        actor=coordinator,
        record=record,
        ended_on=dt.date(2026, 1, 10),
        reason="  Vermoeden niet bevestigd na onderzoek. ",
    )
    stored = ChildMaltreatmentForm.objects.get(pk=record.pk)
    assert (stored.ended_on, stored.end_reason, stored.version) == (
        dt.date(2026, 1, 10),
        "Vermoeden niet bevestigd na onderzoek.",
        2,
    )
    assert not ended.is_current
    event = AuditEvent.objects.filter(action="update", object_type="maltreatment_form").get()
    assert event.detail == "end_reason,ended_on"
    assert stored.history.latest("history_date").history_user == coordinator


def test_end_defaults_to_today_and_needs_a_reason(record, coordinator) -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.maltreatment_form_end(
            actor=coordinator,
            record=record,
            reason=" ",
            ended_on=timezone.localdate() + dt.timedelta(days=1),
        )
    assert set(excinfo.value.message_dict) == {"reason", "ended_on"}
    assert ChildMaltreatmentForm.objects.get(pk=record.pk).ended_on is None

    services.maltreatment_form_end(actor=coordinator, record=record, reason="Gestopt.")
    assert ChildMaltreatmentForm.objects.get(pk=record.pk).ended_on == timezone.localdate()


def test_an_ended_form_cannot_end_again_but_may_be_recorded_anew(
    record, child, coordinator
) -> None:
    services.maltreatment_form_end(actor=coordinator, record=record, reason="Gestopt.")
    with pytest.raises(ValidationError):
        services.maltreatment_form_end(actor=coordinator, record=record, reason="Nogmaals.")

    again = services.maltreatment_form_record(
        actor=coordinator, child=child, code="fysieke-mishandeling", status="established"
    )
    assert ChildMaltreatmentForm.objects.filter(child=child).count() == 2
    assert again.is_current
