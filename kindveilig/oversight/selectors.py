"""Reads across cases without their content.

For the auditor: events per client, per user and per case, filtered by period, a page at a
time, shown with readable labels and the names of the clients concerned; and the report of
emergency accesses. For the team lead: the caseload of the team (case numbers, stages,
coordinators, last change), with the family's name only where the lead is a member of the case.

*Client names in the log.* The log stores the ids of the persons an event concerns. NEN 7513
asks that the log be viewable per client (which client's data, by whom, when), so the auditor
sees each client's name, read from the person table for the events shown; nothing else of the
person or of the case (no birth date, role, BSN, family name of the case, or content) is shown,
and every look at the log is itself logged. A person that no longer exists shows as its number.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.paginator import Page, Paginator
from django.db.models import Case as SqlCase
from django.db.models import (
    Count,
    Exists,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.http import Http404
from django.utils import timezone

from kindveilig.accounts.models import Role, User
from kindveilig.assessment.selectors.current import SafetyWarnings, safety_warnings
from kindveilig.audit.models import AuditAction, AuditEvent, AuditObject
from kindveilig.cases.models import (
    BreakGlassAccess,
    Case,
    CaseMember,
    CaseRecord,
    CaseRole,
    CaseStatus,
)
from kindveilig.cases.selectors import person_ids_with_bsn, person_names
from kindveilig.oversight.readable import detail_text, label

MAX_ROWS = 500


@dataclass(frozen=True)
class AuditFilter:
    username: str = ""
    client_id: int | None = None
    bsn: str = ""
    case_id: int | None = None
    action: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    def is_empty(self) -> bool:
        return self == AuditFilter()

    def describe(self) -> str:
        """The filter as recorded in the auditor's own search event (no names, no BSN)."""
        parts = [
            f"{key}=***" if key == "bsn" else f"{key}={value}"
            for key, value in self.__dict__.items()
            if value
        ]
        return " ".join(parts)


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def audit_events(*, filters: AuditFilter) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.all()
    if filters.username:
        events = events.filter(username=filters.username)
    client_ids: list[int] = []
    if filters.client_id is not None:
        client_ids.append(filters.client_id)
    if filters.bsn:
        client_ids.extend(person_ids_with_bsn(bsn=filters.bsn))
        if not client_ids:
            return events.none()
    if client_ids:
        condition = Q()
        for client_id in client_ids:
            condition |= Q(client_ids__contains=f",{client_id},")
        events = events.filter(condition)
    if filters.case_id is not None:
        events = events.filter(case_id=filters.case_id)
    if filters.action:
        events = events.filter(action=filters.action)
    if filters.date_from:
        events = events.filter(timestamp__gte=_day_start(filters.date_from))
    if filters.date_to:
        events = events.filter(timestamp__lt=_day_start(filters.date_to + dt.timedelta(days=1)))
    return events.order_by("-id")


AUDIT_PAGE_SIZE = 100


@dataclass(frozen=True)
class ClientRef:
    id: int
    name: str  # "" when the person no longer exists

    def __str__(self) -> str:
        return f"{self.name} ({self.id})" if self.name else f"({self.id})"


@dataclass(frozen=True)
class AuditRow:
    """One event as the auditor reads it: labels and words, never internal codes."""

    id: int
    timestamp: dt.datetime
    action: str
    action_code: str
    username: str
    organisation: str
    role: str
    case_id: int | None
    clients: list[int]
    client_refs: list[ClientRef]
    data: str
    object_id: str
    detail: str


def audit_rows(events: list[AuditEvent]) -> list[AuditRow]:
    """The events as rows, with the names of their clients (one query for all of them)."""
    ids = {client for event in events for client in event.client_id_list()}
    names = person_names(person_ids=ids)
    return [
        AuditRow(
            id=event.pk,
            timestamp=event.timestamp,
            action=label(AuditAction, event.action),
            action_code=event.action,
            username=event.username,
            organisation=event.organisation_name,
            role=label(Role, event.role) if event.role else "",
            case_id=event.case_id,
            clients=event.client_id_list(),
            client_refs=[
                ClientRef(client, names.get(client, "")) for client in event.client_id_list()
            ],
            data=label(AuditObject, event.object_type),
            object_id=event.object_id,
            detail=detail_text(event),
        )
        for event in events
    ]


@dataclass(frozen=True)
class AuditPage:
    """A page of events, newest first, with the cursors of the pages around it: ``older``
    (pass as ``before``) and ``newer`` (pass as ``after``), None at either end."""

    rows: list[AuditRow]
    older: int | None
    newer: int | None


def audit_page(
    *, filters: AuditFilter, before: int | None = None, after: int | None = None
) -> AuditPage:
    """``AUDIT_PAGE_SIZE`` events matching ``filters``: the newest, or those just older than
    event ``before``, or just newer than event ``after`` (keyset paging: every page costs the
    same, however deep, and events written meanwhile do not shift the pages)."""
    matching = audit_events(filters=filters)
    if after is not None:
        found = list(matching.filter(id__gt=after).order_by("id")[: AUDIT_PAGE_SIZE + 1])
        more_newer = len(found) > AUDIT_PAGE_SIZE
        found = found[:AUDIT_PAGE_SIZE][::-1]
        more_older = matching.filter(id__lte=after).exists()
    else:
        page = matching.filter(id__lt=before) if before is not None else matching
        found = list(page[: AUDIT_PAGE_SIZE + 1])
        more_older = len(found) > AUDIT_PAGE_SIZE
        found = found[:AUDIT_PAGE_SIZE]
        more_newer = before is not None and matching.filter(id__gte=before).exists()
    return AuditPage(
        rows=audit_rows(found),
        older=found[-1].pk if found and more_older else None,
        newer=found[0].pk if found and more_newer else None,
    )


EXPORT_BATCH = 500


def audit_rows_all(*, filters: AuditFilter) -> Iterator[AuditRow]:
    """Every event matching ``filters``, newest first, read in batches (constant memory)."""
    matching = audit_events(filters=filters)
    before: int | None = None
    while True:
        batch = matching.filter(id__lt=before) if before is not None else matching
        found = list(batch[:EXPORT_BATCH])
        yield from audit_rows(found)
        if len(found) < EXPORT_BATCH:
            return
        before = found[-1].pk


# Denied attempts of one user within the period that make a burst worth a look.
DENIED_BURST = 10


@dataclass(frozen=True)
class DeniedAccessRow:
    username: str
    organisation: str
    role: str
    attempts: int
    cases: int
    first: dt.datetime
    last: dt.datetime

    @property
    def is_burst(self) -> bool:
        return self.attempts >= DENIED_BURST


def denied_access_by_user(*, since: dt.datetime) -> list[DeniedAccessRow]:
    """Denied attempts on case data since ``since``, per user, most attempts first: probing
    for case ids shows as a burst."""
    rows = (
        AuditEvent.objects.filter(action=AuditAction.ACCESS_DENIED, timestamp__gte=since)
        .values("username", "organisation_name", "role")
        .annotate(
            attempts=Count("id"),
            cases=Count("case_id", distinct=True),
            first=Min("timestamp"),
            last=Max("timestamp"),
        )
        .order_by("-attempts", "username")[:MAX_ROWS]
    )
    return [
        DeniedAccessRow(
            username=row["username"],
            organisation=row["organisation_name"],
            role=label(Role, row["role"]) if row["role"] else "",
            attempts=row["attempts"],
            cases=row["cases"],
            first=row["first"],
            last=row["last"],
        )
        for row in rows
    ]


def break_glass_access(*, access_id: int, for_update: bool = False) -> BreakGlassAccess:
    """One emergency access (for the auditor's review); Http404 when there is none."""
    accesses = BreakGlassAccess.objects.select_related("user")
    if for_update:
        accesses = accesses.select_for_update()
    access = accesses.filter(pk=access_id).first() if 0 < access_id < 2**63 else None
    if access is None:
        raise Http404
    return access


def break_glass_report(
    *, date_from: dt.date | None = None, date_to: dt.date | None = None
) -> QuerySet[BreakGlassAccess]:
    accesses = BreakGlassAccess.objects.select_related("user", "user__organisation", "reviewed_by")
    if date_from:
        accesses = accesses.filter(started_at__gte=_day_start(date_from))
    if date_to:
        accesses = accesses.filter(started_at__lt=_day_start(date_to + dt.timedelta(days=1)))
    return accesses.order_by("-started_at")


# --- The team lead's caseload ------------------------------------------------------------

CASELOAD_PAGE_SIZE = 50


@dataclass(frozen=True)
class CaseloadRow:
    """One case as the team lead sees it. ``family`` is the case's name only where the lead is
    a current member of the case, otherwise empty: a family's name is case content."""

    case_id: int
    family: str
    is_member: bool
    status: str
    coordinator: str
    opened: dt.datetime
    last_change: dt.datetime | None
    # Open warnings, as numbers without content: children in direct danger, safety decisions
    # past their review date.
    direct_danger: int = 0
    review_due: int = 0


@dataclass(frozen=True)
class StageCount:
    code: str
    label: str
    count: int


@dataclass(frozen=True)
class Caseload:
    team: str  # the lead's team, or "" when the caseload is the whole organisation's
    organisation: str
    status: str  # the stage shown, or "" for every open case
    stages: list[StageCount]
    open_cases: int
    page: Page[Any]
    rows: list[CaseloadRow]


def caseload_cases(*, lead: User) -> QuerySet[Case]:
    """The cases of the lead's team (those with a current member of the team), or of the
    whole organisation when the lead has no team."""
    if lead.organisation_id is None:
        return Case.objects.none()
    cases = Case.objects.filter(organisation_id=lead.organisation_id)
    if lead.team_id is not None:
        of_team = CaseMember.objects.current().filter(
            case_id=OuterRef("pk"), user__team_id=lead.team_id
        )
        cases = cases.filter(Exists(of_team))
    return cases


def _last_changes() -> dict[str, Subquery]:
    """Per kind of case data, the time of the case's newest change (from its history, through
    the index on the case): the newest of them is the case's last change."""
    kinds = sorted(
        (model for model in apps.get_models() if issubclass(model, CaseRecord)),
        key=lambda model: model._meta.label,
    )
    latest = {}
    for number, model in enumerate([Case, *kinds]):
        history: Any = model.history.model  # type: ignore[attr-defined]
        link = "id" if model is Case else "case_id"
        newest = history.objects.filter(**{link: OuterRef("pk")}).order_by("-history_date")
        latest[f"changed_{number}"] = Subquery(newest.values("history_date")[:1])
    return latest


def caseload(*, lead: User, status: str = "", page: str | int | None = None) -> Caseload:
    """A page of the lead's caseload: the open cases (or those in stage ``status``), newest
    first, 50 to a page, with the number of cases per stage. A fixed number of queries,
    however many cases: the count, the stages, the page, its coordinators."""
    cases = caseload_cases(lead=lead)
    per_stage = {
        row["status"]: row["count"]
        for row in cases.order_by().values("status").annotate(count=Count("pk"))
    }
    stages = [
        StageCount(stage.value, str(stage.label), per_stage.get(stage.value, 0))
        for stage in CaseStatus
    ]
    if status not in CaseStatus.values:
        status = ""
    listed = cases.filter(status=status) if status else cases.exclude(status=CaseStatus.CLOSED)
    current = CaseMember.objects.current()
    member = current.filter(case_id=OuterRef("pk"), user_id=lead.pk)
    coordinator = (
        current.filter(case_id=OuterRef("pk"), role=CaseRole.COORDINATOR, user__isnull=False)
        .order_by("start_date", "pk")
        .values("user_id")[:1]
    )
    changes = _last_changes()
    rows = (
        listed.annotate(
            is_member=Exists(member),
            family=SqlCase(When(Exists(member), then=F("name")), default=Value("")),
            coordinator_id=Subquery(coordinator),
            **changes,
        )
        .order_by("-pk")
        .values("pk", "status", "created_at", "is_member", "family", "coordinator_id", *changes)
    )
    shown = Paginator(rows, CASELOAD_PAGE_SIZE).get_page(page)
    found = list(shown.object_list)
    warnings = safety_warnings([row["pk"] for row in found], today=timezone.localdate())
    coordinator_ids = {row["coordinator_id"] for row in found if row["coordinator_id"]}
    coordinators = (
        {user.pk: str(user) for user in User.objects.filter(pk__in=coordinator_ids)}
        if coordinator_ids
        else {}
    )
    return Caseload(
        team=str(lead.team) if lead.team else "",
        organisation=str(lead.organisation) if lead.organisation else "",
        status=status,
        stages=stages,
        open_cases=sum(count for code, count in per_stage.items() if code != CaseStatus.CLOSED),
        page=shown,
        rows=[
            CaseloadRow(
                case_id=row["pk"],
                family=row["family"] if row["is_member"] else "",
                is_member=row["is_member"],
                status=label(CaseStatus, row["status"]),
                coordinator=coordinators.get(row["coordinator_id"], ""),
                opened=row["created_at"],
                last_change=max(
                    (row[name] for name in changes if row[name] is not None), default=None
                ),
                direct_danger=warnings.get(row["pk"], SafetyWarnings()).direct_danger,
                review_due=warnings.get(row["pk"], SafetyWarnings()).review_due,
            )
            for row in found
        ],
    )
