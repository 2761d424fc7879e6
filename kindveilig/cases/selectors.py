"""Reads for cases. Functions here take a case obtained through ``cases.access``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import Case as SqlCase
from django.db.models import IntegerField, OuterRef, QuerySet, Subquery, Value, When
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kindveilig.accounts.models import User
from kindveilig.cases.models import (
    MEMBER_ACCOUNT_ROLES,
    Case,
    CaseMember,
    CaseRecord,
    CaseRole,
    ChildMaltreatmentForm,
    Draft,
    Person,
    PersonRole,
    mask_bsn,
)
from kindveilig.core.prepared import Prepared


def current_case_ids(*, user: User) -> list[int]:
    """Ids of the cases ``user`` is a current member of, read through indexes that hold only
    the user's open memberships: a professional may have tens of thousands of ended ones."""
    today = timezone.localdate()
    mine = CaseMember.objects.filter(user=user, start_date__lte=today).order_by()
    open_ended = mine.filter(end_date__isnull=True).values("case_id")
    ending_later = mine.filter(end_date__gt=today).values("case_id")
    return [row["case_id"] for row in open_ended.union(ending_later)]


def cases_for_user(*, user: User) -> QuerySet[Case]:
    """The cases ``user`` is a current member of: "Mijn dossiers". (The ids come first, in a
    query of their own: in one statement the planner cannot know how few they are.)"""
    return Case.objects.filter(pk__in=current_case_ids(user=user)).order_by("name", "pk")


PERSON_ROLE_ORDER = [
    PersonRole.CHILD,
    PersonRole.PARENT,
    PersonRole.CAREGIVER,
    PersonRole.HOUSEHOLD_MEMBER,
    PersonRole.NETWORK,
]


def case_persons(*, case: Case) -> list[Person]:
    """Persons of the case: children first (oldest first), then parents, carers and network.

    Read once per request: the access door loads them when it logs a read (they are the
    clients the audit event names) and the page shows the same list.
    """
    if case.loaded_persons is None:
        case.loaded_persons = _CASE_PERSONS.list_of("case", case, case_id=case.pk)
    return case.loaded_persons


def _case_persons_ordered(case_id: int) -> QuerySet[Person]:
    role_rank = SqlCase(
        *(When(role=role, then=Value(rank)) for rank, role in enumerate(PERSON_ROLE_ORDER)),
        output_field=IntegerField(),
    )
    return (
        Person.objects.filter(case_id=case_id)
        .annotate(role_rank=role_rank)
        .order_by("role_rank", "birth_date", "pk")
    )


# Read on every request to a case (the door logs them), compiled once (core.prepared).
_CASE_PERSONS = Prepared(_case_persons_ordered, case_id=int)


def case_person(*, case: Case, person_id: int) -> Person | None:
    """The person ``person_id`` of this case, or None (also for a person of another case)."""
    return next((person for person in case_persons(case=case) if person.pk == person_id), None)


def records_about_person(*, person: Person) -> dict[type[CaseRecord], int]:
    """How many records of each kind in the person's case concern them, of every app.

    A record concerns the persons it names as its clients in the audit log
    (``CaseRecord.audit_clients``: a child of a maltreatment form, the person of an
    observation, the persons of a lifeline event ...), so a kind added later is counted
    without a change here. One query per kind of record, within one case.
    """
    counts: dict[type[CaseRecord], int] = {}
    for model in apps.get_models():
        if not issubclass(model, CaseRecord) or model is Person:
            continue
        found = sum(
            1
            for record in model._default_manager.filter(case_id=person.case_id)
            if person.pk in record.audit_clients()
        )
        if found:
            counts[model] = found
    return counts


def case_professionals(*, case: Case) -> list[CaseMember]:
    """Professionals currently involved in the case, internal and external."""
    return _CASE_PROFESSIONALS.list_of("case", case, case_id=case.pk, today=timezone.localdate())


# On every case page (core.prepared).
_CASE_PROFESSIONALS = Prepared(
    lambda case_id, today: (
        CaseMember.objects.current(on=today)
        .filter(case_id=case_id)
        .select_related("user", "user__organisation")
    ),
    case_id=int,
    today=dt.date,
)


def is_coordinator(*, case: Case, user: User) -> bool:
    """Whether ``user`` is a current coordinator of the case (who manages its team)."""
    return case.members.current().filter(user_id=user.pk, role=CaseRole.COORDINATOR).exists()


def eligible_colleagues(*, case: Case) -> QuerySet[User]:
    """Colleagues who may be added to the case: active, of the case's organisation, in a role
    that may do case work, and not already involved."""
    current = CaseMember.objects.current().filter(case=case, user__isnull=False)
    return (
        User.objects.filter(
            is_active=True, organisation=case.organisation, role__in=MEMBER_ACCOUNT_ROLES
        )
        .exclude(pk__in=current.values("user_id"))
        .order_by("last_name", "first_name", "username")
    )


SUGGESTED_COLLEAGUES = 50


def team_colleagues(*, case: Case, user: User) -> list[User]:
    """Colleagues of ``user``'s own team who may be added to the case (suggestions)."""
    if user.team_id is None:
        return []
    return list(eligible_colleagues(case=case).filter(team_id=user.team_id)[:SUGGESTED_COLLEAGUES])


def organisation_colleague_by_username(*, case: Case, username: str) -> User | None:
    """The account with this username in the case's organisation (whether it may join is the
    service's to say), or None: accounts of other organisations are not revealed."""
    if case.organisation_id is None:
        return None
    return User.objects.filter(
        username=username.strip(), organisation_id=case.organisation_id
    ).first()


def organisation_colleague(*, case: Case, user_id: int) -> User | None:
    """The account with this id in the case's organisation (whether it may join is the
    service's to say), or None: accounts of other organisations are not revealed."""
    if not 0 < user_id < 2**63 or case.organisation_id is None:
        return None
    return User.objects.filter(pk=user_id, organisation_id=case.organisation_id).first()


def case_maltreatment_forms(*, case: Case) -> list[ChildMaltreatmentForm]:
    """Suspected and established maltreatment forms of the children in the case."""
    return _CASE_MALTREATMENT_FORMS.list_of("case", case, case_id=case.pk)


# On every case page, in the family at a glance (core.prepared).
_CASE_MALTREATMENT_FORMS = Prepared(
    lambda case_id: ChildMaltreatmentForm.objects.filter(case_id=case_id).select_related("child"),
    case_id=int,
)


def person_ids_with_bsn(*, bsn: str) -> list[int]:
    """Ids (no content) of the persons with this BSN, for the auditor's search per client."""
    return list(Person.objects.filter(bsn=bsn).values_list("pk", flat=True))


def person_names(*, person_ids: Iterable[int]) -> dict[int, str]:
    """The names (given and family name, nothing else) of these persons, by id: for the
    auditor's log, which must say whose data was accessed (NEN 7513)."""
    wanted = {person_id for person_id in person_ids if 0 < person_id < 2**63}
    if not wanted:
        return {}
    rows = (
        Person.objects.filter(pk__in=wanted)
        .order_by()
        .values_list("pk", "given_name", "family_name")
    )
    return {pk: f"{given} {family}" for pk, given, family in rows}


def draft_for(*, user: User, case: Case, form_key: str) -> Draft | None:
    return Draft.objects.filter(user=user, case=case, form_key=form_key).first()


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    when: dt.datetime
    user: str
    kind: str  # "+" created, "~" changed, "-" deleted
    object_type: str
    object_label: str
    changes: list[FieldChange]


HISTORY_HIDDEN_FIELDS = {"version"}
# Fields whose values the history shows masked: a BSN is shown in full only on request.
HISTORY_MASKED_FIELDS: dict[tuple[type[Any], str], Callable[[Any], str]] = {
    (Person, "bsn"): mask_bsn
}


def _display(field: Any, value: object) -> str:
    """A value of the history as the pages show it: the label of a choice (not its code), a
    date as dd-mm-jjjj, yes or no."""
    if value is None or value == "":
        return ""
    if getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, dt.datetime):
        return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, dt.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def _with_previous(source: QuerySet[Any], limit: int) -> list[Any]:
    """The newest ``limit`` history records of ``source``, each with ``previous`` set to the
    record before it of the same object (or None): two queries, however long the history."""
    model = source.model
    earlier = model.objects.filter(
        id=OuterRef("id"), history_date__lt=OuterRef("history_date")
    ).order_by("-history_date", "-history_id")
    records = list(
        source.select_related("history_user")
        .annotate(previous_id=Subquery(earlier.values("history_id")[:1]))
        .order_by("-history_date", "-history_id")[:limit]
    )
    wanted = {record.previous_id for record in records if record.previous_id is not None}
    known = {record.history_id: record for record in records}
    missing = wanted - set(known)
    if missing:
        known.update({record.history_id: record for record in model.objects.filter(pk__in=missing)})
    for record in records:
        record.previous = known.get(record.previous_id)
    return records


def _history_label(record: Any) -> str:
    """What a history record is about, read from the record itself (no queries)."""
    if record.instance_type is CaseMember:
        member = record.instance
        if member.user_id is not None:
            user = record.user
            return (user.get_full_name() or user.username) if user else ""
        return member.name
    return str(record.instance)


def case_history(*, case: Case, limit: int = 200) -> list[HistoryEntry]:
    """Who changed what in the case, newest first: the case, its persons, its professionals
    and recorded maltreatment forms (from the history every save writes). The number of
    queries does not grow with the length of the history."""
    sources = [
        Case.history.filter(id=case.pk),
        Person.history.filter(case_id=case.pk),
        CaseMember.history.filter(case_id=case.pk).select_related("user"),
        ChildMaltreatmentForm.history.filter(case_id=case.pk),
    ]
    records = []
    for source in sources:
        records.extend(_with_previous(source, limit))
    records.sort(key=lambda record: record.history_date, reverse=True)
    entries = []
    for record in records[:limit]:
        model = record.instance_type
        changes: list[FieldChange] = []
        previous = record.previous
        if record.history_type == "~" and previous is not None:
            delta = record.diff_against(previous, excluded_fields=HISTORY_HIDDEN_FIELDS)
            for change in delta.changes:
                field = model._meta.get_field(change.field)
                label = str(field.verbose_name)
                masked = HISTORY_MASKED_FIELDS.get((model, change.field))
                if masked is not None:
                    old, new = masked(change.old), masked(change.new)
                else:
                    old, new = _display(field, change.old), _display(field, change.new)
                changes.append(FieldChange(label, old, new))
            if not changes:
                continue
        user = record.history_user
        entries.append(
            HistoryEntry(
                when=record.history_date,
                user=(user.get_full_name() or user.username) if user else "",
                kind=record.history_type,
                object_type=str(model._meta.verbose_name),
                object_label=_history_label(record),
                changes=changes,
            )
        )
    return entries
