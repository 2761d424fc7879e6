"""The one door to case-scoped data.

Views, API endpoints, exports and jobs obtain case-scoped objects only through these functions.
They fetch, authorise and log: a user who may not see the object gets Http404, exactly as if it
did not exist (the existence of a family's dossier is not disclosed, PRODUCT §7), and a read is
written to the audit log with the client persons it concerns.

Access is granted to current members of the case and to a user with active emergency access
(break-the-glass; for reading only, unless the emergency is acute danger). Organisation-wide
roles (team lead, admin, auditor) give no access.

Every record of a case derives from ``CaseRecord``; ``access_case_record`` is the door for all
of them ("this record of that case"), so a new kind of record needs no door of its own.

A refusal is logged too (``access_denied``, with the attempted object), so probing for case ids
leaves a trace. A refused request does the same work whether the id exists or not (membership
check, then the denial event), so its timing does not tell either. The door is called outside
any transaction (views are not atomic), so the denial is committed although the answer is 404.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, Expression, OuterRef, TextField
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from kindveilig.accounts.models import User
from kindveilig.audit import events
from kindveilig.audit.models import AuditObject, AuditSubject
from kindveilig.audit.selectors import case_write_count_of
from kindveilig.cases.models import BreakGlassAccess, Case, CaseMember, CaseRecord, Person
from kindveilig.cases.selectors import cases_for_user
from kindveilig.core.errors import NotPermitted
from kindveilig.core.prepared import Prepared

Record = TypeVar("Record", bound=CaseRecord)

# Ids a database can hold (a signed 64-bit integer); anything else is refused before a query.
MAX_ID = 2**63 - 1


class Purpose(enum.StrEnum):
    """Why case data is accessed. READ is logged here; a write is logged by its service."""

    READ = "read"
    UPDATE = "update"


def _active_user(user: User | AnonymousUser) -> User | None:
    if isinstance(user, User) and user.is_authenticated and user.is_active:
        return user
    return None


def user_is_case_member(user: User | AnonymousUser, case_id: int) -> bool:
    active = _active_user(user)
    if active is None:
        return False
    return CaseMember.objects.current().filter(case_id=case_id, user_id=active.pk).exists()


def active_break_glass(user: User | AnonymousUser, case_id: int) -> BreakGlassAccess | None:
    active = _active_user(user)
    if active is None:
        return None
    now = timezone.now()
    return (
        BreakGlassAccess.objects.filter(
            case_id=case_id, user_id=active.pk, started_at__lte=now, expires_at__gt=now
        )
        .order_by("-expires_at")
        .first()
    )


class Entry(enum.Enum):
    """How a user enters a case: as a member, or through emergency access."""

    MEMBER = "member"
    BREAK_GLASS = "break_glass"


def _log_read(user: User, subject: AuditSubject, entry: Entry) -> None:
    events.case_data_read(user, subject, via_break_glass=entry == Entry.BREAK_GLASS)


def _refuse(
    user: User | None, object_type: AuditObject, object_id: int, case_id: int, reason: str
) -> Http404:
    """Log the refused attempt and give the 404 to raise."""
    in_range = 0 < case_id <= MAX_ID
    events.access_denied(
        user,
        object_type=object_type,
        object_id=object_id,
        case_id=case_id if in_range else None,
        reason=reason,
    )
    return Http404()


def _entry(user: User | None, case_id: int, purpose: Purpose) -> Entry | None:
    """How ``user`` may enter the case for ``purpose``, or None. Emergency access for reading
    only (not for acute danger) refuses a change with NotPermitted, which says why."""
    if user is None or not 0 < case_id <= MAX_ID:
        return None
    if user_is_case_member(user, case_id):
        return Entry.MEMBER
    return _entry_by_emergency(user, case_id, purpose)


def _entry_by_emergency(user: User | None, case_id: int, purpose: Purpose) -> Entry | None:
    if user is None or not 0 < case_id <= MAX_ID:
        return None
    emergency = active_break_glass(user, case_id)
    if emergency is None:
        return None
    if purpose == Purpose.UPDATE and not emergency.allows_changes:
        raise NotPermitted(
            _(
                "Your emergency access to this case is for reading only. Only acute danger to "
                "a child allows changes; ask the coordinator of the case."
            ),
            case_id=case_id,
        )
    return Entry.BREAK_GLASS


class _PersonIdsOfCase(Expression):
    """The ids of the case's persons, comma-separated, as a column of a query on cases: the
    clients a read's audit event names, without reading the persons. Ordered on PostgreSQL,
    where the door compares them with those of its last read (``_open_door``)."""

    output_field = TextField()

    def _sql(self, aggregate: str) -> tuple[str, tuple[Any, ...]]:
        persons = Person._meta.db_table
        cases = Case._meta.db_table
        # Only model metadata and this class's constants go into the SQL.
        sql = f'(SELECT {aggregate} FROM "{persons}" WHERE "{persons}"."case_id" = "{cases}"."id")'  # noqa: S608, E501
        return sql, ()

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        return self._sql("group_concat(id, ',')")  # SQLite

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        return self._sql("string_agg(id::text, ',' ORDER BY id)")


# The statement of every request to a case, compiled once (core.prepared). With it, the
# case's change stamp (cases.pagecache) and the ids of its persons (the clients of a read's
# audit event): a kept page needs nothing more of the case.
_CASE_WITH_MEMBERSHIP = Prepared(
    lambda case_id, user_id, today: Case.objects.annotate(
        is_member=Exists(
            CaseMember.objects.current(on=today).filter(case_id=OuterRef("pk"), user_id=user_id)
        ),
        change_stamp=case_write_count_of(f'"{Case._meta.db_table}"."id"'),
        person_ids=_PersonIdsOfCase(),
    ).filter(pk=case_id)[:1],
    case_id=int,
    user_id=int,
    today=dt.date,
)


def access_case(user: User | AnonymousUser, case_id: int, *, purpose: Purpose) -> Case:
    """The case ``case_id`` if ``user`` may access it (logged for reads); Http404 otherwise.

    One query fetches the case and whether the user is a current member of it (the membership
    check of every request); the same work is done whether the case exists or not.
    """
    active = _active_user(user)
    case, logged = None, False
    if active is not None and 0 < case_id <= MAX_ID:
        case, logged = _open_door(active, case_id, purpose)
    if case is not None and getattr(case, "is_member", False) is True:  # the annotation
        entry: Entry | None = Entry.MEMBER
    else:
        entry = _entry_by_emergency(active, case_id, purpose)
    if case is None or entry is None:
        raise _refuse(active, AuditObject.CASE, case_id, case_id, "not a member")
    assert active is not None
    case.entered_via_break_glass = entry == Entry.BREAK_GLASS
    case.person_ids_read = _person_ids(getattr(case, "person_ids", None))  # the annotation
    if purpose == Purpose.READ and not logged:
        _log_read(active, case.audit_subject(), entry)
    return case


def _person_ids(text: str | None) -> tuple[int, ...]:
    return tuple(int(part) for part in (text or "").split(",") if part)


# The ids of each case's persons as this process's door last read them (ids only). A member's
# read names them in its audit event; while they are unchanged, the door writes that event in
# its own statement (``_open_door``). Emptied when full: a miss costs one more statement.
_PERSONS_LAST_READ: dict[int, str | None] = {}
_PERSONS_LAST_READ_SIZE = 10_000
# The door's condition for writing the read's event: a member, and the persons the event names.
_READ_BY_MEMBER_OF_PERSONS = (
    'found."is_member" AND found."person_ids" IS NOT DISTINCT FROM %s::text'
)


def _open_door(user: User, case_id: int, purpose: Purpose) -> tuple[Case | None, bool]:
    """The case with the user's membership (the door's statement); and whether the read's
    audit event was written by that same statement.

    On PostgreSQL a read's event is prepared (MAC included) before the door and inserted by
    the door's statement when the user is a member and the case's persons are those the event
    names: one statement and one round trip where there were two, and the read and its event
    are one transaction. Otherwise (no member, other persons, emergency access, SQLite) the
    caller writes the event after the door, as before. Every read runs the same statement,
    whether the case exists or not."""
    values: dict[str, Any] = {"case_id": case_id, "user_id": user.pk, "today": timezone.localdate()}
    pending = None
    if purpose == Purpose.READ:
        persons = _PERSONS_LAST_READ.get(case_id)
        subject = Case.subject_of(case_id, _person_ids(persons))
        pending = events.case_data_read_pending(user, subject)
    if pending is None:
        case, logged = _CASE_WITH_MEMBERSHIP.first(**values), False
    else:
        case, inserted = _CASE_WITH_MEMBERSHIP.first_inserting(
            pending.insert_sql, pending.params, _READ_BY_MEMBER_OF_PERSONS, [persons], **values
        )
        logged = pending.settle(inserted)
    if case is not None:
        if len(_PERSONS_LAST_READ) >= _PERSONS_LAST_READ_SIZE:
            _PERSONS_LAST_READ.clear()
        _PERSONS_LAST_READ[case_id] = case.person_ids  # type: ignore[attr-defined]
    return case, logged


def access_case_record(
    user: User | AnonymousUser,
    case_id: int,
    model: type[Record],
    record_id: int,
    *,
    purpose: Purpose,
) -> Record:
    """Record ``record_id`` of kind ``model`` belonging to case ``case_id``, if ``user`` may
    access that case (logged for reads); Http404 otherwise, also when the record exists but
    belongs to another case."""
    active = _active_user(user)
    object_type = model.audit_object
    entry = _entry(active, case_id, purpose)
    if entry is None:
        raise _refuse(active, object_type, record_id, case_id, "not a member")
    assert active is not None
    record = None
    if 0 < record_id <= MAX_ID:
        record = model._default_manager.filter(pk=record_id, case_id=case_id).first()
    if record is None:
        raise _refuse(active, object_type, record_id, case_id, "not in this case")
    if purpose == Purpose.READ:
        _log_read(active, record.audit_subject(), entry)
    return record


def access_my_cases(user: User) -> list[Case]:
    """The user's own cases ("Mijn dossiers"); the listing (family names) is logged as a read."""
    cases = list(cases_for_user(user=user))
    if cases:
        events.cases_listed(user, case_ids=[case.pk for case in cases])
    return cases
