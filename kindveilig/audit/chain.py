"""The mechanics of the audit log: appending events to keyed hash chains, checkpointing the
chains outside the database, and verifying both.

Design (threat model in ARCHITECTURE.md):

- **Keyed.** Every event's ``hash`` is an HMAC-SHA256, with ``KINDVEILIG_AUDIT_KEY`` (never in
  the database), over its content, its place (shard, seq) and the previous event's MAC. Whoever
  holds the database but not the key cannot rewrite, insert or re-chain events unnoticed.
- **Sharded, one writer per chain.** On PostgreSQL there are ``KINDVEILIG_AUDIT_SHARDS``
  independent chains. A database connection claims one for as long as it lives
  (``pg_try_advisory_lock``, session level), so no other writer can extend it: the connection
  knows its chain's head and appending an event is a single INSERT — no lock, no read of the
  head, no queue behind other requests. The head it remembers follows commit and rollback (see
  ``_OwnedShard``); whenever it is unsure it reads the head again. When every chain is claimed
  (more connections than chains), a writer uses one of ``SHARED_SHARDS`` chains after them,
  locked per transaction (``pg_try_advisory_xact_lock``) and with its head read each time.
  Within a chain the numbering is gap-free and the order total. SQLite serialises writers
  anyway and uses one chain, its head read each time.
- **Checkpointed.** After commit, the head of a shard (seq, MAC, time) is appended, signed with
  the key, to a file outside the database every ``KINDVEILIG_AUDIT_CHECKPOINT_EVERY`` events and
  at least every minute (and by ``kindveilig audit checkpoint``). ``verify`` then also detects
  deleted newest events (a truncated tail) up to the last checkpoint.

``append`` runs inside the transaction of the action it records, so an action and its event are
committed together or not at all. Nothing outside the audit app calls it: every kind of event
has a typed function in ``audit.events``.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import os
import random
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path
from typing import Any, Protocol, Required, TypedDict, Unpack

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone

from kindveilig.audit.context import current_request_id
from kindveilig.audit.models import GENESIS_HASH, AuditAction, AuditEvent, AuditObject
from kindveilig.core.prepared import statement_cursor

# Arbitrary constant naming the audit chains' advisory locks on PostgreSQL (with the shard).
AUDIT_CHAIN_LOCK = 7513

CONTENT_FIELDS = (
    "timestamp",
    "action",
    "user_id",
    "username",
    "organisation_id",
    "organisation_name",
    "role",
    "on_behalf_of_id",
    "case_id",
    "client_ids",
    "object_type",
    "object_id",
    "request_id",
    "detail",
    "previous_hash",
)


class Actor(Protocol):
    """Who acts: an account (``accounts.User`` fits). The audit app sits below accounts and
    knows users only by this shape, so the log can be written from every layer above it."""

    @property
    def pk(self) -> Any: ...

    @property
    def username(self) -> str: ...

    @property
    def role(self) -> str: ...

    @property
    def organisation_id(self) -> int | None: ...

    @property
    def organisation(self) -> object | None: ...


def _canonical(event: AuditEvent, *, keyed: bool) -> bytes:
    content: dict[str, Any] = {}
    for name in CONTENT_FIELDS:
        value = getattr(event, name)
        if name == "timestamp":
            value = value.astimezone(UTC).isoformat(timespec="microseconds")
        content[name] = value
    if keyed:
        content["shard"] = event.shard
        content["seq"] = event.seq
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _key() -> bytes:
    return str(settings.KINDVEILIG_AUDIT_KEY).encode()


def event_mac(event: AuditEvent) -> str:
    """HMAC-SHA256 with the audit key over the event's content, place and predecessor."""
    return hmac.new(_key(), _canonical(event, keyed=True), hashlib.sha256).hexdigest()


def legacy_event_hash(event: AuditEvent) -> str:
    """The unkeyed SHA-256 of the events written before the keyed chains (seq is NULL)."""
    return hashlib.sha256(_canonical(event, keyed=False)).hexdigest()


def _client_ids(clients: Iterable[int]) -> str:
    ids = sorted({int(client) for client in clients})
    return f",{','.join(str(i) for i in ids)}," if ids else ""


# Chains after the claimable ones, shared by the writers that found every chain claimed.
SHARED_SHARDS = 8


def shard_count() -> int:
    """How many chains there are: the claimable ones and the shared ones (PostgreSQL)."""
    if connection.vendor != "postgresql":
        return 1
    return int(settings.KINDVEILIG_AUDIT_SHARDS) + SHARED_SHARDS


# Lock the first free of a list of shards, for the session or for the transaction. (The
# ordinality keeps the list's order without a sort, so only the returned shard is locked.)
_FIRST_FREE = {
    "session": "SELECT shard FROM unnest(%s::int[]) WITH ORDINALITY AS t(shard, position) "
    "WHERE pg_try_advisory_lock(%s, shard) ORDER BY position LIMIT 1",
    "transaction": "SELECT shard FROM unnest(%s::int[]) WITH ORDINALITY AS t(shard, position) "
    "WHERE pg_try_advisory_xact_lock(%s, shard) ORDER BY position LIMIT 1",
}


def _first_free(candidates: list[int], scope: str) -> int | None:
    """Lock the first of ``candidates`` that is free (for the session or the transaction);
    None if none is."""
    with connection.cursor() as cursor:
        cursor.execute(_FIRST_FREE[scope], [candidates, AUDIT_CHAIN_LOCK])
        row = cursor.fetchone()
    return None if row is None else int(row[0])


@dataclass(eq=False)
class _Appended:
    """An event appended to a claimed chain in a transaction not yet committed. Registered with
    ``on_commit``: running, it makes the event the chain's committed head; while it waits in the
    connection's list of commit hooks, the event is the head for the rest of that transaction.
    A rollback (also to a savepoint) drops it from that list, and the chain's head is then read
    again."""

    owned: _OwnedShard
    seq: int
    mac: str

    def __call__(self) -> None:
        self.owned.committed(self.seq, self.mac, self)


@dataclass(eq=False)
class _OwnedShard:
    """The chain a database connection has claimed for its lifetime, and its head as far as
    this connection knows it: the last committed event (None: read it from the database) and
    the newest event appended since whose fate (commit or rollback) has not been seen."""

    raw_connection: object
    shard: int
    seq: int | None = None
    mac: str = GENESIS_HASH
    unsettled: _Appended | None = None

    def head(self) -> tuple[int, str]:
        for entry in reversed(_database().run_on_commit):
            hook = entry[1]  # (savepoint ids, function, robust)
            if isinstance(hook, _Appended) and hook.owned is self:
                return hook.seq, hook.mac  # appended earlier in this transaction
        if self.seq is None or self.unsettled is not None:
            # First use, or an append rolled back (or its commit hook never ran): the database
            # knows, and only this connection writes the chain.
            seq, self.mac = _head(self.shard)
            self.seq, self.unsettled = seq or 0, None
        return self.seq, self.mac

    def committed(self, seq: int, mac: str, appended: _Appended | None) -> None:
        self.seq, self.mac = seq, mac
        if self.unsettled is appended:
            self.unsettled = None
        checkpoints.committed(self.shard, seq, mac)


def _database() -> Any:
    """The connection itself: ``django.db.connection`` looks it up again for every attribute
    (a dozen per event on the append's path)."""
    return connections[DEFAULT_DB_ALIAS]


def _owned_shard() -> _OwnedShard | None:
    """The chain this connection has claimed, claiming a free one at its first event; None
    when every claimable chain was held by another connection then (or on SQLite). Decided
    once per database connection: one that found no free chain uses the shared chains until
    it is renewed (``CONN_MAX_AGE``), without a claim attempt before every event."""
    database = _database()
    if database.vendor != "postgresql":
        return None
    database.ensure_connection()
    decided: tuple[object, _OwnedShard | None] | None = getattr(
        database, "_kindveilig_audit_claim", None
    )
    # A new database connection (after a close or a failure) has lost the old claim.
    if decided is not None and decided[0] is database.connection:
        return decided[1]
    claimable = list(range(int(settings.KINDVEILIG_AUDIT_SHARDS)))
    random.shuffle(claimable)  # spreading the claims, not security
    shard = _first_free(claimable, "session")
    owned = None if shard is None else _OwnedShard(database.connection, shard)
    database._kindveilig_audit_claim = (database.connection, owned)
    return owned


def _take_shared_shard() -> tuple[int, int, str]:
    """Lock one of the shared chains for this transaction; return it with its head."""
    first = int(settings.KINDVEILIG_AUDIT_SHARDS)
    shared = [first + offset for offset in range(SHARED_SHARDS)]
    random.shuffle(shared)  # spreading load, not security
    shard = _first_free(shared, "transaction")
    if shard is None:  # every shared chain busy: wait for one
        shard = shared[0]
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [AUDIT_CHAIN_LOCK, shard])
    seq, mac = _head(shard)
    return shard, seq or 0, mac


class EventFields(TypedDict, total=False):
    """What the caller says about an event (the rest is set by the chain)."""

    actor: Required[Actor | None]
    action: Required[AuditAction]
    object_type: Required[AuditObject]
    case_id: int | None
    clients: Iterable[int]
    object_id: object
    detail: str
    on_behalf_of: Actor | None
    username: str


def append(**fields: Unpack[EventFields]) -> AuditEvent:
    """Append one event to the audit log (in the caller's transaction).

    ``username`` names a non-user actor (a failed login's attempted name, the command line)
    and is ignored when ``actor`` is given.
    """
    # Everything that needs a query is prepared before a shard is locked.
    event = _new_event(**fields)
    owned = _owned_shard()
    if owned is not None:
        pending = PendingAppend(event, owned)
        _insert(event)
        pending.settle(event.pk)
        return event
    with transaction.atomic():
        if shard_count() == 1:  # SQLite: one chain, writers serialised by the database
            event.shard, (head_seq, event.previous_hash) = 0, _head(0)
            head = head_seq or 0
        else:
            event.shard, head, event.previous_hash = _take_shared_shard()
        seq = event.seq = head + 1
        event.hash = event_mac(event)
        _insert(event)
        shard, mac = event.shard, event.hash
        transaction.on_commit(lambda: checkpoints.committed(shard, seq, mac))
    return event


def append_with_read(**fields: Unpack[EventFields]) -> PendingAppend | None:
    """An event to be appended by the statement of the read it records, made only when that
    read's row fulfils a condition (``core.prepared.Prepared.first_inserting`` with
    ``insert_sql`` and ``params``; then ``settle``). The event is complete, MAC included,
    before the read: its content may not depend on what the read finds, and the caller's
    condition must make sure it is true to it.

    None where no chain is this connection's (SQLite, or every chain claimed): append after
    the read there.
    """
    owned = _owned_shard()
    if owned is None:
        return None
    return PendingAppend(_new_event(**fields), owned)


@dataclass(eq=False)
class PendingAppend:
    """An event placed at the head of this connection's chain (seq and MAC set), its INSERT
    not yet made. Until ``settle`` the chain's head counts as unsure: a failure in between
    makes the next event read the head from the database (``_OwnedShard.head``)."""

    event: AuditEvent
    owned: _OwnedShard

    def __post_init__(self) -> None:
        event, owned = self.event, self.owned
        head_seq, event.previous_hash = owned.head()
        event.shard, event.seq = owned.shard, head_seq + 1
        event.hash = event_mac(event)
        self._appended = _Appended(owned, event.seq, event.hash)
        self._unsettled_before = owned.unsettled
        owned.unsettled = self._appended  # until its commit is seen

    @property
    def insert_sql(self) -> str:
        """``INSERT ... SELECT ... FROM {source} WHERE {condition} RETURNING id``."""
        return _insert_select_statement()

    @property
    def params(self) -> list[Any]:
        return _insert_values(self.event)

    def settle(self, inserted_id: int | None) -> bool:
        """Record the INSERT's outcome (its id, or None when its condition did not hold);
        True when the event was appended."""
        if inserted_id is None:
            self.owned.unsettled = self._unsettled_before  # the chain did not move
            return False
        event = self.event
        event.pk = inserted_id
        event._state.adding, event._state.db = False, _database().alias
        # Outside a transaction the INSERT was its own (committed when it returned); inside
        # one, the event commits or rolls back with the action it records.
        if _database().in_atomic_block:
            transaction.on_commit(self._appended)
        else:
            self._appended()
        return True


def _new_event(
    *,
    actor: Actor | None,
    action: AuditAction,
    object_type: AuditObject,
    case_id: int | None = None,
    clients: Iterable[int] = (),
    object_id: object = "",
    detail: str = "",
    on_behalf_of: Actor | None = None,
    username: str = "",
) -> AuditEvent:
    return AuditEvent(
        timestamp=timezone.now(),
        action=AuditAction(action).value,
        user_id=actor.pk if actor else None,
        username=actor.username if actor else username[:150],
        organisation_id=actor.organisation_id if actor else None,
        organisation_name=str(actor.organisation or "") if actor else "",
        role=str(actor.role) if actor else "",
        on_behalf_of_id=on_behalf_of.pk if on_behalf_of else None,
        case_id=case_id,
        client_ids=_client_ids(clients),
        object_type=AuditObject(object_type).value,
        object_id="" if object_id is None else str(object_id)[:60],
        request_id=current_request_id.get(),
        detail=detail[:500],
    )


def _insert_fields() -> list[Any]:
    return [field for field in AuditEvent._meta.concrete_fields if not field.primary_key]


def _insert_into() -> str:
    """``INSERT INTO table (columns)`` of an event's row (model metadata only)."""
    columns = ", ".join(connection.ops.quote_name(str(field.column)) for field in _insert_fields())
    return f"INSERT INTO {connection.ops.quote_name(AuditEvent._meta.db_table)} ({columns})"


@functools.cache
def _insert_statement() -> tuple[str, tuple[str, ...]]:
    fields = _insert_fields()
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"{_insert_into()} VALUES ({placeholders}) RETURNING id"
    return sql, tuple(field.attname for field in fields)


# The types the values of ``_insert_select_statement`` are cast to (selected values are not
# typed by the columns they go into, as a VALUES list is).
_CASTS = {
    "BigIntegerField": "bigint",
    "SmallIntegerField": "smallint",
    "CharField": "text",
    "TextField": "text",
    "DateTimeField": "timestamp with time zone",
}


@functools.cache
def _insert_select_statement() -> str:
    """The event's INSERT taking its row from a SELECT (PostgreSQL): ``{source}`` and
    ``{condition}`` are filled in by the statement it becomes part of."""
    values = ", ".join(f"%s::{_CASTS[field.get_internal_type()]}" for field in _insert_fields())
    return f"{_insert_into()} SELECT {values} " + "FROM {source} WHERE {condition} RETURNING id"


def _insert_values(event: AuditEvent) -> list[Any]:
    """The INSERT's values: every value of an event is already a plain str, int or None, and
    the one datetime is adapted by the database backend (SQLite stores text). (The ORM's
    per-field preparation cost as much as the database.)"""
    _sql, attributes = _insert_statement()
    values = [getattr(event, name) for name in attributes]
    values[attributes.index("timestamp")] = _database().ops.adapt_datetimefield_value(
        event.timestamp
    )
    return values


def _insert(event: AuditEvent) -> None:
    sql, _attributes = _insert_statement()
    database = _database()
    with statement_cursor(database) as cursor:  # prepared once per connection
        cursor.execute(sql, _insert_values(event))
        row = cursor.fetchone()
    assert row is not None
    event.pk = row[0]
    event._state.adding, event._state.db = False, database.alias


# --- Checkpoints outside the database -----------------------------------------------------


def _checkpoint_mac(shard: int, seq: int, head: str, at: str) -> str:
    message = f"checkpoint:{shard}:{seq}:{head}:{at}".encode()
    return hmac.new(_key(), message, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Checkpoint:
    shard: int
    seq: int
    hash: str
    at: str


@functools.lru_cache(maxsize=4)
def _checkpoint_path(configured: str) -> Path:
    return Path(configured)  # asked for after every event: parsed once


@dataclass
class _Checkpoints:
    """Writes a signed line per shard head to the checkpoint file, now and then, after commit."""

    last: dict[int, tuple[int, float]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def path(self) -> Path | None:
        configured = settings.KINDVEILIG_AUDIT_CHECKPOINTS
        return _checkpoint_path(configured) if configured else None

    def committed(self, shard: int, seq: int, mac: str) -> None:
        if self.path() is None:
            return
        with self.lock:
            last_seq, last_time = self.last.get(shard, (0, 0.0))
            due = seq - last_seq >= settings.KINDVEILIG_AUDIT_CHECKPOINT_EVERY
            if not due and time.monotonic() - last_time < 60:
                return
            self.last[shard] = (seq, time.monotonic())
        self.write([(shard, seq, mac)])

    def write(self, heads: Iterable[tuple[int, int, str]]) -> int:
        """Append a signed line per (shard, seq, MAC); one write, so lines never interleave."""
        path = self.path()
        if path is None:
            return 0
        at = timezone.now().astimezone(UTC).isoformat(timespec="seconds")
        lines = [
            json.dumps(
                {
                    "shard": shard,
                    "seq": seq,
                    "hash": mac,
                    "at": at,
                    "mac": _checkpoint_mac(shard, seq, mac, at),
                },
                sort_keys=True,
            )
            + "\n"
            for shard, seq, mac in heads
        ]
        if not lines:
            return 0
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(descriptor, "".join(lines).encode())
        finally:
            os.close(descriptor)
        return len(lines)

    def read_latest(self) -> tuple[dict[int, Checkpoint], list[str]]:
        """The newest valid checkpoint per shard (streamed), and the problems with the file."""
        latest: dict[int, Checkpoint] = {}
        problems: list[str] = []
        path = self.path()
        if path is None or not path.exists():
            return latest, problems
        with path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                try:
                    data = json.loads(line)
                    point = Checkpoint(
                        int(data["shard"]), int(data["seq"]), data["hash"], data["at"]
                    )
                    valid = hmac.compare_digest(
                        data["mac"], _checkpoint_mac(point.shard, point.seq, point.hash, point.at)
                    )
                except (ValueError, KeyError, TypeError):
                    valid = False
                if not valid:
                    problems.append(f"checkpoint file line {number} is not signed with the key")
                    continue
                if point.seq >= latest.get(point.shard, point).seq:
                    latest[point.shard] = point
        return latest, problems


checkpoints = _Checkpoints()


def checkpoint_now() -> int:
    """Write the current head of every shard to the checkpoint file (``audit checkpoint``)."""
    heads = [
        (shard, seq, mac)
        for shard in shards_in_use()
        for seq, mac in [_head(shard)]
        if seq is not None
    ]
    return checkpoints.write(heads)


def shards_in_use() -> list[int]:
    return sorted(
        AuditEvent.objects.filter(seq__isnull=False).values_list("shard", flat=True).distinct()
    )


def _head(shard: int) -> tuple[int | None, str]:
    """The number and MAC of a shard's newest event (None and the genesis value if empty)."""
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    with connection.cursor() as cursor:  # read before every event on SQLite: no ORM compile
        cursor.execute(
            f"SELECT seq, hash FROM {table} WHERE shard = %s AND seq IS NOT NULL"  # noqa: S608
            " ORDER BY seq DESC LIMIT 1",
            [shard],
        )
        head = cursor.fetchone()
    return (head[0], head[1]) if head else (None, GENESIS_HASH)


# --- Verification -------------------------------------------------------------------------


@dataclass
class VerifyResult:
    count: int = 0
    legacy_count: int = 0
    shards: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _stream(queryset: Any) -> Iterator[AuditEvent]:
    return iter(queryset.iterator(chunk_size=2000))


def verify() -> VerifyResult:
    """Walk every chain in order (streaming, constant memory) and report, naming where, each
    rewritten event (its MAC does not match), each deleted event (a gap in a shard's numbers
    or a broken link) and each truncated tail (a checkpoint beyond a shard's last event)."""
    result = VerifyResult()
    previous = GENESIS_HASH
    for event in _stream(AuditEvent.objects.filter(seq__isnull=True).order_by("id")):
        if event.previous_hash != previous or legacy_event_hash(event) != event.hash:
            result.problems.append(f"event {event.pk} (before the keyed chains): altered")
        previous = event.hash
        result.legacy_count += 1
    latest, file_problems = checkpoints.read_latest()
    result.problems.extend(file_problems)
    for shard in sorted(set(shards_in_use()) | set(latest)):
        result.shards += 1
        point = latest.get(shard)
        expected_seq, previous = 1, GENESIS_HASH
        events = AuditEvent.objects.filter(shard=shard, seq__isnull=False).order_by("seq")
        for event in _stream(events):
            assert event.seq is not None
            if event.seq != expected_seq:
                result.problems.append(
                    f"shard {shard}: events {expected_seq}-{event.seq - 1} deleted "
                    f"(before event {event.pk})"
                )
            elif event.previous_hash != previous:
                result.problems.append(f"shard {shard}: event {event.pk} is not linked")
            if not hmac.compare_digest(event_mac(event), event.hash):
                result.problems.append(
                    f"shard {shard}: event {event.pk} (seq {event.seq}) was altered"
                )
            if point is not None and event.seq == point.seq and event.hash != point.hash:
                result.problems.append(
                    f"shard {shard}: event {event.pk} differs from the checkpoint of {point.at}"
                )
            expected_seq, previous = event.seq + 1, event.hash
            result.count += 1
        if point is not None and point.seq >= expected_seq:
            result.problems.append(
                f"shard {shard}: events {expected_seq}-{point.seq} deleted at the end "
                f"(checkpoint of {point.at})"
            )
    return result
