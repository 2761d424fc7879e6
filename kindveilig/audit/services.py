"""Writing and verifying the audit log.

``audit_record`` is called inside the transaction of the action it records (services open an
atomic block and call it there), so an action and its event are committed together or not at
all. Writers are serialised while they extend the hash chain: on PostgreSQL by a transaction
advisory lock, on SQLite by the IMMEDIATE transactions the database settings ask for.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC

from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction
from django.utils import timezone

from kindveilig.accounts.models import User
from kindveilig.audit.context import current_request_id
from kindveilig.audit.models import GENESIS_HASH, AuditAction, AuditEvent

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


def audit_record(
    *,
    actor: User | AnonymousUser | None,
    action: AuditAction | str,
    case_id: int | None = None,
    clients: Iterable[int] = (),
    object_type: str = "",
    object_id: object = "",
    detail: str = "",
    on_behalf_of: User | None = None,
    username: str = "",
) -> AuditEvent:
    """Append one event to the audit log (in the caller's transaction)."""
    user = actor if isinstance(actor, User) else None
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [AUDIT_CHAIN_LOCK])
        last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
        event = AuditEvent(
            timestamp=timezone.now(),
            action=str(action),
            user_id=user.pk if user else None,
            username=user.username if user else username[:150],
            organisation_id=user.organisation_id if user else None,
            organisation_name=str(user.organisation or "") if user else "",
            role=user.role if user else "",
            on_behalf_of_id=on_behalf_of.pk if on_behalf_of else None,
            case_id=case_id,
            client_ids=_client_ids(clients),
            object_type=object_type,
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


def audit_verify() -> VerifyResult:
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
