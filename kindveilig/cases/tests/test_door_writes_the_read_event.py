"""On PostgreSQL a member's read of a case and its audit event are one statement: the door's
SELECT inserts the event, prepared before it, when the user is a member and the case's persons
are those the event names (issue 9: one round trip less on every case page and API call). The
event must be exactly the one a separate INSERT would have written, written once, never for a
read that did not happen, and the chain must stay whole whichever way the door goes."""

import datetime as dt

import pytest
from django.db import connection, transaction
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from kindveilig.audit.chain import verify
from kindveilig.audit.models import AuditEvent
from kindveilig.cases import services
from kindveilig.cases.access import Purpose, access_case
from kindveilig.demo import builders

REASON = "Politie belt: kind alleen thuis aangetroffen, regievoerder onbereikbaar."


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("the door writes the event itself on PostgreSQL only (run with DATABASE_URL)")


def read_events(case, user) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(action="read", case_id=case.pk, user_id=user.pk).order_by("id")
    )


def clients_of(case) -> list[int]:
    return sorted(case.persons.values_list("pk", flat=True))


def read_counting_statements(
    user, case_id: int, purpose: Purpose = Purpose.READ
) -> tuple[object, list[str]]:
    """What the door gave (the case or the 404), and the first word of each of its statements."""
    with CaptureQueriesContext(connection) as queries:
        try:
            got = access_case(user, case_id, purpose=purpose)
        except Http404 as refused:
            got = refused
    return got, [query["sql"].split()[0] for query in queries.captured_queries]


def test_a_members_read_and_its_event_are_one_statement(family_case, coordinator) -> None:
    access_case(coordinator, family_case.pk, purpose=Purpose.READ)  # the door learns the persons
    before = read_events(family_case, coordinator)

    got, statements = read_counting_statements(coordinator, family_case.pk)

    assert got == family_case
    assert statements == ["WITH"]  # no INSERT of its own
    new = read_events(family_case, coordinator)[len(before) :]
    assert len(new) == 1
    event = new[0]
    assert (event.object_type, event.object_id, event.detail) == ("case", str(family_case.pk), "")
    assert sorted(event.client_id_list()) == clients_of(family_case)
    assert (event.shard, event.seq, event.previous_hash) == (
        before[-1].shard,
        before[-1].seq + 1,
        before[-1].hash,
    )
    assert verify().problems == []


def test_a_person_added_since_the_last_read_is_named_in_one_event(family_case, coordinator) -> None:
    access_case(coordinator, family_case.pk, purpose=Purpose.READ)
    sibling = builders.add_person(
        actor=coordinator,
        case=family_case,
        spec=builders.PersonSpec("child", "Sem", "Proef", dt.date(2019, 2, 3)),
    )
    before = len(read_events(family_case, coordinator))

    _, statements = read_counting_statements(coordinator, family_case.pk)

    new = read_events(family_case, coordinator)[before:]
    assert len(new) == 1  # the door's event was not written; the separate one names Sem
    assert sibling.pk in new[0].client_id_list()
    assert sorted(new[0].client_id_list()) == clients_of(family_case)
    assert statements == ["WITH", "INSERT"]
    _, statements = read_counting_statements(coordinator, family_case.pk)
    assert statements == ["WITH"]  # learnt again
    assert sorted(read_events(family_case, coordinator)[-1].client_id_list()) == clients_of(
        family_case
    )
    assert verify().problems == []


def test_a_non_member_is_refused_and_no_read_is_logged(family_case, coordinator, outsider) -> None:
    access_case(coordinator, family_case.pk, purpose=Purpose.READ)  # the persons known

    got, _ = read_counting_statements(outsider, family_case.pk)

    assert isinstance(got, Http404)
    assert read_events(family_case, outsider) == []
    denial = AuditEvent.objects.filter(user_id=outsider.pk).latest("id")
    assert (denial.action, denial.case_id) == ("access_denied", family_case.pk)
    access_case(coordinator, family_case.pk, purpose=Purpose.READ)
    assert verify().problems == []  # the event not written left no gap in the chain


def test_an_emergency_read_is_logged_once_as_such(family_case, coordinator, outsider) -> None:
    access_case(coordinator, family_case.pk, purpose=Purpose.READ)
    services.break_glass_open(actor=outsider, case_id=family_case.pk, reason=REASON)

    got, _ = read_counting_statements(outsider, family_case.pk)

    assert got == family_case and got.entered_via_break_glass
    events = read_events(family_case, outsider)
    assert [event.detail for event in events] == ["via break-the-glass"]
    assert sorted(events[0].client_id_list()) == clients_of(family_case)
    assert verify().problems == []


def test_an_unknown_case_logs_the_refusal_and_no_read(family_case, coordinator) -> None:
    access_case(coordinator, family_case.pk, purpose=Purpose.READ)  # the chain claimed

    got, statements = read_counting_statements(coordinator, 987654)

    assert isinstance(got, Http404)
    # The statement for a case that exists; an emergency access looked for; the refusal.
    assert statements == ["WITH", "SELECT", "INSERT"]
    assert not AuditEvent.objects.filter(action="read", case_id=987654).exists()
    assert AuditEvent.objects.filter(action="access_denied", case_id=987654).count() == 1
    assert verify().problems == []


def test_a_read_rolled_back_takes_its_event_and_leaves_no_gap(family_case, coordinator) -> None:
    access_case(coordinator, family_case.pk, purpose=Purpose.READ)
    before = read_events(family_case, coordinator)
    with pytest.raises(RuntimeError), transaction.atomic():
        access_case(coordinator, family_case.pk, purpose=Purpose.READ)
        raise RuntimeError("the page failed after the read")
    assert read_events(family_case, coordinator) == before

    access_case(coordinator, family_case.pk, purpose=Purpose.READ)

    after = read_events(family_case, coordinator)[-1]
    assert (after.seq, after.previous_hash) == (before[-1].seq + 1, before[-1].hash)
    assert verify().problems == []


def test_a_write_is_not_logged_as_a_read(family_case, coordinator) -> None:
    access_case(coordinator, family_case.pk, purpose=Purpose.READ)
    before = len(read_events(family_case, coordinator))

    _, statements = read_counting_statements(coordinator, family_case.pk, Purpose.UPDATE)

    assert len(read_events(family_case, coordinator)) == before
    assert statements == ["SELECT"]  # the door alone; the write logs its own event
