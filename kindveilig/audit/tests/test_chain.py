"""The audit log is tamper-evident against someone who holds the database but not the key:
rewritten, deleted and truncated events are found, and verify names where."""

import json

import pytest
from django.core.management import call_command
from django.db import connection

from kindveilig.audit import chain, events
from kindveilig.audit.chain import checkpoint_now, legacy_event_hash, verify
from kindveilig.audit.models import AuditEvent, AuditObject, AuditSubject


@pytest.fixture
def checkpoint_file(settings, tmp_path):
    settings.KINDVEILIG_AUDIT_CHECKPOINTS = tmp_path / "checkpoints.jsonl"
    settings.KINDVEILIG_AUDIT_CHECKPOINT_EVERY = 1
    chain.checkpoints.last.clear()
    return settings.KINDVEILIG_AUDIT_CHECKPOINTS


def reads(actor, count: int) -> list[AuditEvent]:
    subject = AuditSubject(AuditObject.CASE, 1, 1)
    return [events.case_data_read(actor, subject, via_break_glass=False) for _ in range(count)]


def bypass_triggers(sql: str, params: list) -> None:
    """What an attacker with the database owner's rights can do."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER IF EXISTS audit_event_no_update")
            cursor.execute("DROP TRIGGER IF EXISTS audit_event_no_delete")
        else:
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
        cursor.execute(sql, params)


def test_events_are_numbered_per_shard_and_linked_by_a_keyed_mac(db, coordinator) -> None:
    first, second = reads(coordinator, 2)
    assert (second.shard, second.seq) == (first.shard, first.seq + 1) or second.shard != first.shard
    assert second.previous_hash == first.hash or second.shard != first.shard
    assert first.hash == chain.event_mac(first)
    assert first.hash != legacy_event_hash(first)  # not a plain hash anyone could recompute
    result = verify()
    assert result.ok and result.count == AuditEvent.objects.filter(seq__isnull=False).count()


def test_a_rewritten_event_is_found_even_with_its_hash_recomputed(db, coordinator) -> None:
    written = reads(coordinator, 3)
    target = AuditEvent.objects.get(pk=written[1].pk)
    target.username = "iemand-anders"
    # Without the key, the best a forger can do is a plain hash of the new content.
    forged = legacy_event_hash(target)
    bypass_triggers(
        "UPDATE audit_auditevent SET username = %s, hash = %s WHERE id = %s",
        ["iemand-anders", forged, target.pk],
    )
    result = verify()
    assert not result.ok
    assert any(
        f"event {target.pk} " in problem and "altered" in problem for problem in result.problems
    )


def test_a_deleted_event_is_found_and_named(db, coordinator) -> None:
    written = reads(coordinator, 3)
    victim = written[1]
    bypass_triggers("DELETE FROM audit_auditevent WHERE id = %s", [victim.pk])
    problems = verify().problems
    assert any(
        f"shard {victim.shard}: events {victim.seq}-{victim.seq} deleted" in problem
        for problem in problems
    )


def test_a_truncated_tail_is_found_through_the_checkpoints(
    db, coordinator, checkpoint_file
) -> None:
    written = reads(coordinator, 4)
    assert checkpoint_now() >= 1
    newest = written[-1]
    bypass_triggers(
        "DELETE FROM audit_auditevent WHERE shard = %s AND seq >= %s",
        [newest.shard, newest.seq - 1],
    )
    problems = verify().problems
    assert any(
        f"shard {newest.shard}: events {newest.seq - 1}-{newest.seq} deleted at the end" in p
        for p in problems
    )


def test_a_forged_checkpoint_line_is_reported(db, coordinator, checkpoint_file) -> None:
    reads(coordinator, 1)
    checkpoint_now()
    line = json.loads(checkpoint_file.read_text().splitlines()[0])
    line["seq"] = 1_000
    with checkpoint_file.open("a") as handle:
        handle.write(json.dumps(line) + "\n")
    result = verify()
    assert "checkpoint file line 2 is not signed with the key" in result.problems


@pytest.mark.django_db(transaction=True)
def test_checkpoints_are_written_after_commit(coordinator, checkpoint_file) -> None:
    event = reads(coordinator, 1)[0]
    lines = [json.loads(line) for line in checkpoint_file.read_text().splitlines()]
    assert {"shard": event.shard, "seq": event.seq, "hash": event.hash} in [
        {key: line[key] for key in ("shard", "seq", "hash")} for line in lines
    ]
    assert checkpoint_file.stat().st_mode & 0o077 == 0


def test_verify_command_reports_each_problem_and_exits_1(db, coordinator, capsys) -> None:
    written = reads(coordinator, 2)
    call_command("audit", "verify")
    assert capsys.readouterr().out.splitlines()[0] == f"OK {AuditEvent.objects.count()} events"
    bypass_triggers("UPDATE audit_auditevent SET detail = %s WHERE id = %s", ["x", written[0].pk])
    with pytest.raises(SystemExit) as exit_info:
        call_command("audit", "verify")
    assert exit_info.value.code == 1
    assert f"event {written[0].pk} (seq {written[0].seq}) was altered" in capsys.readouterr().err


def test_another_key_does_not_verify(db, coordinator, settings) -> None:
    reads(coordinator, 1)
    settings.KINDVEILIG_AUDIT_KEY = "a-different-key"
    assert not verify().ok
