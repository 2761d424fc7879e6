"""On PostgreSQL a database connection claims one audit chain for its lifetime, so appending an
event is one INSERT: no lock, no read of the head, no queue behind other requests (issue 9). The
head it remembers must follow commits, rollbacks and savepoints exactly, or the chain would
break; these tests hold it to that, and to the fallback when every chain is claimed."""

import threading

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from kindveilig.audit import chain, events
from kindveilig.audit.chain import verify
from kindveilig.audit.models import AuditEvent, AuditObject, AuditSubject

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("claimed chains exist on PostgreSQL only (run with DATABASE_URL)")


def read(actor) -> AuditEvent:
    return events.case_data_read(actor, AuditSubject(AuditObject.CASE, 1, 1), via_break_glass=False)


def problems_of(shard: int) -> list[str]:
    return [problem for problem in verify().problems if problem.startswith(f"shard {shard}:")]


def stored(event: AuditEvent) -> bool:
    return AuditEvent.objects.filter(pk=event.pk).exists()


def test_a_claimed_chain_takes_one_insert_per_event(coordinator) -> None:
    first = read(coordinator)
    with CaptureQueriesContext(connection) as queries:
        second = read(coordinator)
    assert [query["sql"].split()[0] for query in queries.captured_queries] == ["INSERT"]
    assert (second.shard, second.seq, second.previous_hash) == (
        first.shard,
        first.seq + 1,
        first.hash,
    )
    assert first.shard < chain.shard_count() - chain.SHARED_SHARDS  # a claimable chain
    assert problems_of(first.shard) == []


def test_a_rolled_back_event_leaves_no_gap(coordinator) -> None:
    before = read(coordinator)
    with pytest.raises(RuntimeError), transaction.atomic():
        lost = read(coordinator)
        raise RuntimeError("the action failed")
    after = read(coordinator)
    assert not stored(lost)
    assert (after.shard, after.seq, after.previous_hash) == (
        before.shard,
        before.seq + 1,
        before.hash,
    )
    assert problems_of(before.shard) == []


def test_a_savepoint_rolled_back_keeps_the_events_before_it(coordinator) -> None:
    with transaction.atomic():
        kept = read(coordinator)
        with pytest.raises(RuntimeError), transaction.atomic():
            dropped = read(coordinator)
            raise RuntimeError("a part failed")
        last = read(coordinator)
    after = read(coordinator)
    assert not stored(dropped) and stored(kept) and stored(last)
    assert [last.seq, after.seq] == [kept.seq + 1, kept.seq + 2]
    assert (last.previous_hash, after.previous_hash) == (kept.hash, last.hash)
    assert problems_of(kept.shard) == []


def test_a_new_connection_claims_again_and_continues_the_chain(coordinator) -> None:
    before = read(coordinator)
    connection.close()  # the claim ends with the connection
    after = read(coordinator)
    assert stored(before) and stored(after)
    assert problems_of(before.shard) == [] and problems_of(after.shard) == []


def test_connections_claim_different_chains_and_the_rest_share(coordinator, settings) -> None:
    """With one claimable chain, this connection holds it and another connection appends to a
    shared chain (locked per transaction) without waiting for the claim to end."""
    settings.KINDVEILIG_AUDIT_SHARDS = 1
    connection.close()
    mine = read(coordinator)
    theirs: list[AuditEvent] = []
    claims: list[str] = []

    def other_connection() -> None:
        try:
            theirs.append(read(coordinator))
            with CaptureQueriesContext(connection) as queries:
                theirs.append(read(coordinator))
            # Found no free chain at its first event: no claim attempt before the next one.
            claims.extend(q["sql"] for q in queries if "pg_try_advisory_lock(" in q["sql"])
        finally:
            connection.close()

    thread = threading.Thread(target=other_connection)
    thread.start()
    thread.join(timeout=30)
    assert mine.shard == 0
    assert len(theirs) == 2 and all(event.shard >= 1 for event in theirs)
    assert claims == []
    for shard in {0, *(event.shard for event in theirs)}:
        assert problems_of(shard) == []
    connection.close()  # give up the claim made under this test's setting


def test_behind_a_transaction_pooler_no_chain_is_claimed(coordinator, settings) -> None:
    """KINDVEILIG_AUDIT_SHARDS=0: every event goes to a shared chain, locked per transaction,
    and the connection holds no lock afterwards that a pooler could hand to another client."""
    settings.KINDVEILIG_AUDIT_SHARDS = 0
    connection.close()
    written = [read(coordinator), read(coordinator)]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()"
        )
        held = cursor.fetchone()[0]
    assert held == 0
    assert all(0 <= event.shard < chain.SHARED_SHARDS for event in written)
    for shard in {event.shard for event in written}:
        assert problems_of(shard) == []
    connection.close()


def test_an_event_writes_only_the_indexes_its_readers_need() -> None:
    """Every index of the audit table is written by every audited request. The MAC column has
    none (nothing looks an event up by it; ``(shard, seq)`` orders the chains): at a million
    cases its random pages made each INSERT wait on whole pages written to the WAL."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'audit_auditevent'")
        definitions = [row[0] for row in cursor.fetchall()]
    assert len(definitions) == 4
    assert not [d for d in definitions if "(hash)" in d]
    assert any("UNIQUE INDEX audit_event_once_per_seq" in d for d in definitions)
