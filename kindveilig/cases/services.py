"""Writes for cases. Each service is one atomic state change that validates, writes, records
history (with the acting user) and writes its audit event in the same transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kindveilig.accounts.models import Role, User
from kindveilig.audit.models import AuditAction
from kindveilig.audit.services import audit_record
from kindveilig.cases.models import (
    BreakGlassAccess,
    Case,
    CaseMember,
    CaseRole,
    ChildMaltreatmentForm,
    Draft,
    LegalContext,
    Person,
    PersonRole,
)


class ConcurrentEditError(Exception):
    """Saving was refused: someone else saved the record after the editor opened it.

    ``current`` is the record as stored now (the newer data, which is kept); ``attempted`` holds
    the values the editor tried to save, so that nothing typed is lost.
    """

    def __init__(self, current: models.Model, attempted: dict[str, Any]) -> None:
        super().__init__("stale version")
        self.current = current
        self.attempted = attempted


def _save(instance: models.Model, actor: User) -> None:
    instance.full_clean()
    instance._history_user = actor  # type: ignore[attr-defined]  # read by simple-history
    instance.save()


def _case_client_ids(case: Case) -> list[int]:
    return list(case.persons.values_list("pk", flat=True))


CASE_WORKER_ROLES = {Role.PROFESSIONAL, Role.BEHAVIOURAL_SCIENTIST}


@transaction.atomic
def case_create(*, actor: User, name: str, legal_context: str = LegalContext.VOLUNTARY) -> Case:
    """Open a case for a family; the creating user becomes its coordinator and member.

    Only roles that work cases may open one: team leads, administrators and auditors would
    otherwise gain access to case content by creating it.
    """
    if actor.role not in CASE_WORKER_ROLES:
        raise PermissionDenied(_("Your role cannot open cases."))
    case = Case(
        name=name.strip(),
        legal_context=legal_context,
        organisation=actor.organisation,
        created_by=actor,
    )
    _save(case, actor)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        case_id=case.pk,
        object_type="case",
        object_id=case.pk,
    )
    _member_save(actor, CaseMember(case=case, user=actor, role=CaseRole.COORDINATOR))
    return case


def _update_versioned(
    *, actor: User, instance: models.Model, expected_version: int, changes: dict[str, Any]
) -> tuple[models.Model, list[str]]:
    """Apply ``changes`` if nobody saved ``instance`` since ``expected_version``.

    Returns the stored record and the names of the fields that really changed (nothing is
    written when none did). The row is locked (PostgreSQL) or the write transaction is
    exclusive (SQLite IMMEDIATE), so two editors cannot both pass the version check.
    """
    model = type(instance)
    current = model._default_manager.select_for_update().get(pk=instance.pk)
    if current.version != expected_version:  # type: ignore[attr-defined]
        raise ConcurrentEditError(current=current, attempted=changes)
    changed = sorted(field for field, value in changes.items() if getattr(current, field) != value)
    if changed:
        for field in changed:
            setattr(current, field, changes[field])
        current.version += 1  # type: ignore[attr-defined]
        _save(current, actor)
    return current, changed


@transaction.atomic
def case_update(*, actor: User, case: Case, expected_version: int, changes: dict[str, Any]) -> Case:
    """Change the case's own fields (name, status, legal context, reason for concern)."""
    allowed = {"name", "status", "legal_context", "reason_for_concern"}
    cleaned = {
        key: value.strip() if isinstance(value, str) else value
        for key, value in changes.items()
        if key in allowed
    }
    updated, changed = _update_versioned(
        actor=actor, instance=case, expected_version=expected_version, changes=cleaned
    )
    if changed:
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            case_id=case.pk,
            object_type="case",
            object_id=case.pk,
            clients=_case_client_ids(case),
            detail=",".join(changed),
        )
    assert isinstance(updated, Case)
    return updated


@transaction.atomic
def person_add(
    *,
    actor: User,
    case: Case,
    role: str,
    given_name: str,
    family_name: str,
    birth_date: dt.date | None,
    sex: str = "",
    bsn: str = "",
    relation: str = "",
    has_parental_authority: bool | None = None,
    lives_in_household: bool | None = None,
) -> Person:
    """Add a person to the case. Raises ValidationError (per field) and saves nothing then."""
    person = Person(
        case=case,
        role=role,
        given_name=given_name.strip(),
        family_name=family_name.strip(),
        birth_date=birth_date,
        sex=sex or "",
        bsn=(bsn or "").replace(" ", ""),
        relation=relation.strip(),
        has_parental_authority=has_parental_authority,
        lives_in_household=lives_in_household,
    )
    # Report every problem at once, so the professional can fix the form in one go.
    errors: dict[str, list[str]] = {}
    if person.role == PersonRole.CHILD and person.birth_date is None:
        errors["birth_date"] = [_("A child's date of birth is required.")]
    try:
        person.full_clean()
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    _save(person, actor)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        case_id=case.pk,
        clients=[person.pk],
        object_type="person",
        object_id=person.pk,
    )
    return person


PERSON_EDITABLE = {
    "role",
    "given_name",
    "family_name",
    "birth_date",
    "sex",
    "bsn",
    "relation",
    "has_parental_authority",
    "lives_in_household",
    "phone",
    "email",
}


@transaction.atomic
def person_update(
    *, actor: User, person: Person, expected_version: int, changes: dict[str, Any]
) -> Person:
    """Change a person's details; refused with ConcurrentEditError on a stale version."""
    cleaned: dict[str, Any] = {}
    for key, value in changes.items():
        if key not in PERSON_EDITABLE:
            continue
        if isinstance(value, str):
            value = value.replace(" ", "") if key == "bsn" else value.strip()
        cleaned[key] = value
    updated, changed = _update_versioned(
        actor=actor, instance=person, expected_version=expected_version, changes=cleaned
    )
    if changed:
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            case_id=person.case_id,
            clients=[person.pk],
            object_type="person",
            object_id=person.pk,
            detail=",".join(changed),
        )
    assert isinstance(updated, Person)
    return updated


def _member_save(actor: User, member: CaseMember) -> CaseMember:
    _save(member, actor)
    # Adding a professional to a case changes who may see it.
    audit_record(
        actor=actor,
        action=AuditAction.PERMISSION_CHANGE,
        case_id=member.case_id,
        object_type="case_member",
        object_id=member.pk,
        detail=f"add {member.role} user={member.user_id or '-'}",
    )
    return member


@transaction.atomic
def case_member_add(
    *,
    actor: User,
    case: Case,
    role: str,
    user: User | None = None,
    name: str = "",
    organisation_name: str = "",
    discipline: str = "",
    phone: str = "",
    email: str = "",
    availability: str = "",
) -> CaseMember:
    """Involve a professional (an internal user or an external contact) in the case."""
    member = CaseMember(
        case=case,
        user=user,
        role=role,
        name=name.strip(),
        organisation_name=organisation_name.strip(),
        discipline=discipline.strip(),
        phone=phone.strip(),
        email=email.strip(),
        availability=availability.strip(),
    )
    if user is None and not member.name:
        raise ValidationError({"name": _("An external professional needs a name.")})
    return _member_save(actor, member)


@transaction.atomic
def maltreatment_form_record(
    *,
    actor: User,
    child: Person,
    code: str,
    status: str,
    severity: str = "",
    onset: str = "",
    duration: str = "",
) -> ChildMaltreatmentForm:
    """Record a suspected or established form of maltreatment for a child of the case.

    The record keeps the knowledge-base code and version it was made with.
    """
    if child.role != PersonRole.CHILD:
        raise ValidationError({"child": _("Maltreatment forms are recorded for children only.")})
    record = ChildMaltreatmentForm(
        child=child,
        knowledge_code=code,
        status=status,
        severity=severity.strip(),
        onset=onset.strip(),
        duration=duration.strip(),
    )
    _save(record, actor)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        case_id=child.case_id,
        clients=[child.pk],
        object_type="maltreatment_form",
        object_id=record.pk,
    )
    return record


BREAK_GLASS_ROLES = CASE_WORKER_ROLES
BREAK_GLASS_MIN_REASON = 20


@transaction.atomic
def break_glass_open(*, actor: User, case_id: int, reason: str) -> BreakGlassAccess:
    """Give a non-member time-limited emergency access to a case, for a stated reason.

    Only case workers and behavioural scientists may break the glass; the access is logged as
    break_glass and reported to the auditor.
    """
    reason = reason.strip()
    if actor.role not in BREAK_GLASS_ROLES:
        raise ValidationError(_("Your role does not allow emergency access to case data."))
    if len(reason) < BREAK_GLASS_MIN_REASON:
        raise ValidationError(
            {
                "reason": _("Describe the emergency in at least %(count)d characters.")
                % {"count": BREAK_GLASS_MIN_REASON}
            }
        )
    case = Case.objects.filter(pk=case_id).first()
    if case is None:
        raise ValidationError({"case_id": _("There is no case with this number.")})
    now = timezone.now()
    access = BreakGlassAccess(
        case=case,
        user=actor,
        reason=reason,
        started_at=now,
        expires_at=now + dt.timedelta(hours=settings.KINDVEILIG_BREAK_GLASS_HOURS),
    )
    access.full_clean()
    access.save()
    audit_record(
        actor=actor,
        action=AuditAction.BREAK_GLASS,
        case_id=case.pk,
        clients=_case_client_ids(case),
        object_type="case",
        object_id=case.pk,
        detail=reason,
    )
    return access


DRAFT_IGNORED_FIELDS = {"csrfmiddlewaretoken"}


@transaction.atomic
def draft_save(*, actor: User, case: Case, form_key: str, data: dict[str, Any]) -> Draft:
    """Keep the form input typed so far (one draft per user, case and form)."""
    cleaned = {key: value for key, value in data.items() if key not in DRAFT_IGNORED_FIELDS}
    draft, _created = Draft.objects.update_or_create(
        user=actor,
        case=case,
        form_key=form_key,
        defaults={"data": cleaned, "updated_at": timezone.now()},
    )
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        case_id=case.pk,
        object_type="draft",
        object_id=draft.pk,
        detail=form_key,
    )
    return draft


@transaction.atomic
def draft_discard(*, actor: User, case: Case, form_key: str) -> None:
    deleted, _details = Draft.objects.filter(user=actor, case=case, form_key=form_key).delete()
    if deleted:
        audit_record(
            actor=actor,
            action=AuditAction.DELETE,
            case_id=case.pk,
            object_type="draft",
            detail=form_key,
        )
