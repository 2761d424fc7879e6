"""The mechanics of the audit log: appending an event to the hash chain, and verifying it.

Nothing outside the audit app calls ``append``: every kind of event has a named, typed function
in ``kindveilig.audit.events``, and only services (and the access door) call those.

``append`` runs inside the transaction of the action it records (services open an atomic block
and record there), so an action and its event are committed together or not at all. Writers are
serialised while they extend the hash chain: on PostgreSQL by a transaction advisory lock, on
SQLite by the IMMEDIATE transactions the database settings ask for.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC
from typing import Any, Protocol

from django.db import connection, transaction
from django.utils import timezone

from kindveilig.audit.context import current_request_id
from kindveilig.audit.models import GENESIS_HASH, AuditAction, AuditEvent, AuditObject

# Arbitrary constant identifying the audit chain's advisory lock on PostgreSQL.
AUDIT_CHAIN_LOCK = 7513

HASHED_FIELDS = (
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


def event_hash(event: AuditEvent) -> str:
    """SHA-256 over the event's content (canonical JSON) including the previous hash."""
    content = {}
    for field in HASHED_FIELDS:
        value = getattr(event, field)
        if field == "timestamp":
            value = value.astimezone(UTC).isoformat(timespec="microseconds")
        content[field] = value
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _client_ids(clients: Iterable[int]) -> str:
    ids = sorted({int(client) for client in clients})
    return f",{','.join(str(i) for i in ids)}," if ids else ""


def append(
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
    """Append one event to the audit log (in the caller's transaction).

    ``username`` names a non-user actor (a failed login's attempted name, the command line)
    and is ignored when ``actor`` is given.
    """
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [AUDIT_CHAIN_LOCK])
        last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
        event = AuditEvent(
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
            object_id="" if object_id is None else str(object_id),
            request_id=current_request_id.get(),
            detail=detail[:500],
            previous_hash=last or GENESIS_HASH,
        )
        event.hash = event_hash(event)
        event.save(force_insert=True)
    return event


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    count: int
    first_broken_id: int | None = None
    problem: str = ""


def verify() -> VerifyResult:
    """Walk the chain in order; report the first event whose hash or link does not hold."""
    previous = GENESIS_HASH
    count = 0
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        if event.previous_hash != previous:
            return VerifyResult(False, count, event.pk, "link to previous event broken")
        if event_hash(event) != event.hash:
            return VerifyResult(False, count, event.pk, "content does not match its hash")
        previous = event.hash
        count += 1
    return VerifyResult(True, count)
