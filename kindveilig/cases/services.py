"""Writes for cases. Each service is one atomic state change that validates, writes, records
history (with the acting user) and writes its audit event in the same transaction.

A refusal because of who the actor is raises ``NotPermitted``; wrong input raises
``ValidationError`` (per field) and saves nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kindveilig.accounts.models import Organisation, Role, User
from kindveilig.audit import events
from kindveilig.cases import selectors
from kindveilig.cases.models import (
    LONG_TEXT,
    MEMBER_ACCOUNT_ROLES,
    BreakGlassAccess,
    BreakGlassPartner,
    BreakGlassReason,
    Case,
    CaseMember,
    CaseRole,
    CaseStatus,
    ChildMaltreatmentForm,
    Draft,
    LegalContext,
    Person,
    PersonRole,
)
from kindveilig.cases.records import save_changes, save_new
from kindveilig.cases.workflow import TRANSITIONS
from kindveilig.core.errors import NotPermitted
from kindveilig.knowledge.models import current_knowledge_version


def _stripped(changes: dict[str, Any], allowed: set[str]) -> dict[str, Any]:
    return {
        key: value.strip() if isinstance(value, str) else value
        for key, value in changes.items()
        if key in allowed
    }


CASE_WORKER_ROLES = {Role.PROFESSIONAL, Role.BEHAVIOURAL_SCIENTIST}


@transaction.atomic
def case_create(*, actor: User, name: str, legal_context: str = LegalContext.VOLUNTARY) -> Case:
    """Open a case for a family; the creating user becomes its coordinator and member.

    Only roles that work cases may open one: team leads, administrators and auditors would
    otherwise gain access to case content by creating it.
    """
    if actor.role not in CASE_WORKER_ROLES:
        raise NotPermitted(_("Your role cannot open cases."))
    case = Case(
        name=name.strip(),
        legal_context=legal_context,
        organisation=actor.organisation,
        created_by=actor,
    )
    save_new(actor, case)
    _member_save(actor, CaseMember(case=case, user=actor, role=CaseRole.COORDINATOR))
    return case


CASE_EDITABLE = {"name", "legal_context", "reason_for_concern"}


@transaction.atomic
def case_update(*, actor: User, case: Case, expected_version: int, changes: dict[str, Any]) -> Case:
    """Change the case's own fields (name, legal context, reason for concern).

    The stage (``status``) is not among them: it changes through ``case_stage_change`` only.
    """
    return save_changes(
        actor=actor,
        instance=case,
        expected_version=expected_version,
        changes=_stripped(changes, CASE_EDITABLE),
    )


@transaction.atomic
def case_stage_change(*, actor: User, case: Case, expected_version: int, stage: str) -> Case:
    """Move the case to another stage, as the transition table (``cases.workflow``) allows."""
    if stage not in CaseStatus.values:
        raise ValidationError({"stage": _("This stage does not exist.")})
    if CaseStatus(stage) not in TRANSITIONS[CaseStatus(case.status)]:
        raise NotPermitted(
            _("A case in stage %(current)s cannot move to stage %(target)s here.")
            % {
                "current": CaseStatus(case.status).label,
                "target": CaseStatus(stage).label,
            },
            case_id=case.pk,
        )
    return save_changes(
        actor=actor, instance=case, expected_version=expected_version, changes={"status": stage}
    )


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
    phone: str = "",
    email: str = "",
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
        phone=(phone or "").strip(),
        email=(email or "").strip(),
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
    return save_new(actor, person)


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
    """Change a person's details; refused with ConcurrentEditError on a stale version.

    A child for whom forms of maltreatment are recorded (current or ended) stays a child:
    those records are about a child.
    """
    cleaned = _stripped(changes, PERSON_EDITABLE)
    if isinstance(cleaned.get("bsn"), str):
        cleaned["bsn"] = cleaned["bsn"].replace(" ", "")
    role = cleaned.get("role", person.role)
    birth_date = cleaned.get("birth_date", person.birth_date)
    if role == PersonRole.CHILD and birth_date is None:
        raise ValidationError({"birth_date": [_("A child's date of birth is required.")]})
    if (
        person.role == PersonRole.CHILD
        and role != PersonRole.CHILD
        and ChildMaltreatmentForm.objects.filter(child_id=person.pk).exists()
    ):
        raise ValidationError(
            {
                "role": [
                    _("Forms of maltreatment are recorded for this child: the role stays child.")
                ]
            }
        )
    return save_changes(
        actor=actor, instance=person, expected_version=expected_version, changes=cleaned
    )


@transaction.atomic
def person_remove(*, actor: User, person: Person) -> None:
    """Remove a person from the case; the history of the person stays and the removal is
    logged.

    Refused (ValidationError, saying which kinds of records) while any record of the case
    concerns the person, in any app: removing the person would otherwise delete those records
    with it (or leave them naming nobody). Those records are changed or removed first; a
    child with forms of maltreatment (which are ended, never removed) stays in the case.
    """
    # Locked, so no record can be added for the person between the check and the removal.
    current = Person.objects.select_for_update().get(pk=person.pk)
    kinds = selectors.records_about_person(person=current)
    if kinds:
        names = ", ".join(sorted(str(model._meta.verbose_name_plural) for model in kinds))
        raise ValidationError(
            _(
                "This person cannot be removed: the case holds records about them (%(kinds)s). "
                "Change or remove those records first."
            )
            % {"kinds": names}
        )
    subject = current.audit_subject()
    current._history_user = actor
    current.delete()
    events.case_data_deleted(actor, subject)


@transaction.atomic
def person_bsn_reveal(*, actor: User, person: Person) -> str:
    """The person's full BSN, to show once on an explicit request (pages show it masked).

    The showing is logged as its own event (``reveal``), naming the person but never the
    number. Returns "" (and logs nothing) when no BSN is recorded.
    """
    if not person.bsn:
        return ""
    events.bsn_revealed(actor, person.audit_subject())
    return person.bsn


def _member_save(actor: User, member: CaseMember) -> CaseMember:
    save_new(actor, member, audit=False)
    # Adding a professional to a case changes who may see it.
    events.case_access_changed(
        actor, member.audit_subject(), change=f"add {member.role} user={member.user_id or '-'}"
    )
    return member


# Who manages the team: a current coordinator of the case. Internal members are colleagues of
# the case's organisation in a role that may see case content; administrators and auditors
# never become members (their roles stay separate from case work).
INTERNAL_CASE_ROLES = {CaseRole.COORDINATOR, CaseRole.CASE_WORKER, CaseRole.BEHAVIOURAL_SCIENTIST}


def _require_coordinator(actor: User, case: Case) -> None:
    is_coordinator = (
        CaseMember.objects.current()
        .filter(case=case, user=actor, role=CaseRole.COORDINATOR)
        .exists()
    )
    if not is_coordinator:
        raise NotPermitted(
            _("Only the coordinator of the case can change its team."),
            attempted="case_member",
            case_id=case.pk,
        )


def _other_coordinators(member: CaseMember) -> bool:
    return (
        CaseMember.objects.current()
        .filter(case_id=member.case_id, role=CaseRole.COORDINATOR)
        .exclude(pk=member.pk)
        .exists()
    )


def _check_internal(case: Case, user: User, role: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if (
        not user.is_active
        or user.organisation_id != case.organisation_id
        or user.role not in MEMBER_ACCOUNT_ROLES
    ):
        errors["user"] = [_("This colleague cannot be added to a case of your organisation.")]
    elif CaseMember.objects.current().filter(case=case, user=user).exists():
        errors["user"] = [_("This colleague is already involved in the case.")]
    if role not in INTERNAL_CASE_ROLES:
        errors["role"] = [_("Choose the role of a colleague in the case.")]
    return errors


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
    """Involve a professional in the case: a colleague (``user``, who gets access from now) or
    an external professional without an account (contact details only). Coordinators only."""
    _require_coordinator(actor, case)
    if user is not None:
        errors = _check_internal(case, user, role)
    else:
        errors = {} if role == CaseRole.EXTERNAL else {"role": [_("Choose a valid role.")]}
        if not name.strip():
            errors["name"] = [_("An external professional needs a name.")]
    if errors:
        raise ValidationError(errors)
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
    return _member_save(actor, member)


@transaction.atomic
def case_member_change_role(
    *, actor: User, member: CaseMember, role: str, expected_version: int
) -> CaseMember:
    """Give a colleague another role in the case; at least one coordinator remains."""
    case = Case.objects.get(pk=member.case_id)
    _require_coordinator(actor, case)
    if member.user_id is None or role not in INTERNAL_CASE_ROLES:
        raise ValidationError({"role": [_("Choose the role of a colleague in the case.")]})
    leaves_no_coordinator = member.role == CaseRole.COORDINATOR and role != member.role
    if leaves_no_coordinator and not _other_coordinators(member):
        raise ValidationError({"role": [_("A case always keeps a coordinator.")]})
    updated = save_changes(
        actor=actor,
        instance=member,
        expected_version=expected_version,
        changes={"role": role},
        audit=False,
    )
    if updated.version != expected_version:
        events.case_access_changed(actor, updated.audit_subject(), change=f"role {role}")
    return updated


@transaction.atomic
def case_member_end(*, actor: User, member: CaseMember) -> CaseMember:
    """End a membership today: a colleague loses access at their next request; the history of
    the membership stays. At least one coordinator remains."""
    case = Case.objects.get(pk=member.case_id)
    _require_coordinator(actor, case)
    current = CaseMember.objects.select_for_update().get(pk=member.pk)
    today = timezone.localdate()
    if current.end_date is not None and current.end_date <= today:
        raise ValidationError(_("This membership has already ended."))
    if current.role == CaseRole.COORDINATOR and not _other_coordinators(current):
        raise ValidationError(
            _("A case always keeps a coordinator: first make someone else coordinator.")
        )
    ended = save_changes(
        actor=actor,
        instance=current,
        expected_version=current.version,
        changes={"end_date": today},
        audit=False,
    )
    events.case_access_changed(
        actor, ended.audit_subject(), change=f"end user={ended.user_id or '-'}"
    )
    return ended


# The fields of a form of maltreatment a professional records and changes; ``code`` is the
# knowledge-base code of the form (stored as ``knowledge_code``).
MALTREATMENT_FORM_EDITABLE = {
    "code",
    "status",
    "onset",
    "frequency",
    "severity",
    "duration",
    "source",
}


def _maltreatment_form_errors(exc: ValidationError) -> ValidationError:
    """The model's errors under the names the forms and the API use (``code``)."""
    renamed = {"knowledge_code": "code", NON_FIELD_ERRORS: "code"}
    errors: dict[str, list[str]] = {}
    for field, messages in exc.message_dict.items():
        errors.setdefault(renamed.get(field, field), []).extend(messages)
    return ValidationError(errors)


def _check_maltreatment_form(record: ChildMaltreatmentForm) -> None:
    """Every problem at once, per field: the model's own and the case's."""
    errors: dict[str, list[str]] = {}
    child = record.child
    if child.role != PersonRole.CHILD or child.case_id != record.case_id:
        errors["child"] = [_("Maltreatment forms are recorded for children of the case only.")]
    try:
        record.full_clean()
    except ValidationError as exc:
        errors.update(_maltreatment_form_errors(exc).message_dict)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def maltreatment_form_record(
    *,
    actor: User,
    child: Person,
    code: str,
    status: str,
    onset: str = "",
    frequency: str = "",
    severity: str = "",
    duration: str = "",
    source: str = "",
) -> ChildMaltreatmentForm:
    """Record a suspected or established form of maltreatment for a child of the case.

    The record keeps the knowledge-base code and version it was made with. A form is recorded
    once per child while it applies (ValidationError on ``code`` otherwise).
    """
    record = ChildMaltreatmentForm(
        case_id=child.case_id,
        child=child,
        knowledge_code=code.strip(),
        status=status,
        onset=onset.strip(),
        frequency=frequency.strip(),
        severity=severity.strip(),
        duration=duration.strip(),
        source=source.strip(),
    )
    _check_maltreatment_form(record)
    return save_new(actor, record)


@transaction.atomic
def maltreatment_form_change(
    *,
    actor: User,
    record: ChildMaltreatmentForm,
    expected_version: int,
    changes: dict[str, Any],
) -> ChildMaltreatmentForm:
    """Change a recorded form of maltreatment (also one that has ended); refused with
    ConcurrentEditError when someone saved it since ``expected_version``.

    A changed ``code`` is stored with the current knowledge-base version.
    """
    cleaned = _stripped(changes, MALTREATMENT_FORM_EDITABLE)
    if "code" in cleaned:
        code = cleaned.pop("code")
        if code != record.knowledge_code:
            cleaned["knowledge_code"] = code
            cleaned["knowledge_version"] = current_knowledge_version()
    probe = ChildMaltreatmentForm.objects.select_related("child").get(pk=record.pk)
    for name, value in cleaned.items():
        setattr(probe, name, value)
    _check_maltreatment_form(probe)
    return save_changes(
        actor=actor, instance=record, expected_version=expected_version, changes=cleaned
    )


@transaction.atomic
def maltreatment_form_end(
    *,
    actor: User,
    record: ChildMaltreatmentForm,
    reason: str,
    ended_on: dt.date | None = None,
) -> ChildMaltreatmentForm:
    """End a form of maltreatment that no longer applies (it stopped, or the suspicion was
    not confirmed), on ``ended_on`` (today) and for a stated reason. The record stays in the
    case with its history; the same form may later be recorded anew for the child."""
    current = ChildMaltreatmentForm.objects.select_for_update().get(pk=record.pk)
    today = timezone.localdate()
    ended_on = ended_on or today
    if current.ended_on is not None:
        raise ValidationError(_("This form of maltreatment has already ended."))
    errors: dict[str, list[str]] = {}
    if ended_on > today:
        errors["ended_on"] = [_("The end date cannot be in the future.")]
    if not reason.strip():
        errors["reason"] = [
            _(
                "Write down why: for example, the maltreatment has stopped, or the suspicion was "
                "not confirmed."
            )
        ]
    if errors:
        raise ValidationError(errors)
    try:
        return save_changes(
            actor=actor,
            instance=current,
            expected_version=current.version,
            changes={"ended_on": ended_on, "end_reason": reason.strip()},
        )
    except ValidationError as exc:
        raise ValidationError(
            {
                "reason" if field == "end_reason" else field: messages
                for field, messages in exc.message_dict.items()
            }
        ) from exc


BREAK_GLASS_ROLES = CASE_WORKER_ROLES
BREAK_GLASS_MIN_REASON = 20


def _may_break_the_glass_of(actor: User, case: Case) -> bool:
    """Professionals of the case's own organisation, or of a cooperating one."""
    if actor.organisation_id is None:
        return False
    if actor.organisation_id == case.organisation_id:
        return True
    return BreakGlassPartner.objects.filter(
        organisation=case.organisation, partner_id=actor.organisation_id
    ).exists()


@transaction.atomic
def break_glass_open(
    *,
    actor: User,
    case_id: int,
    reason: str,
    reason_category: str = BreakGlassReason.URGENT_INFORMATION,
) -> BreakGlassAccess:
    """Give a non-member time-limited emergency access to a case, for a stated reason.

    Only case workers and behavioural scientists of the case's organisation (or of an
    organisation it cooperates with) may break the glass, never members of the case. The
    access is for reading, unless the reason is acute danger. It is logged as break_glass and
    reported to the auditor, who reviews it.
    """
    reason = reason.strip()
    if actor.role not in BREAK_GLASS_ROLES:
        raise NotPermitted(
            _("Your role does not allow emergency access to case data."), case_id=case_id
        )
    errors: dict[str, list[str]] = {}
    if len(reason) < BREAK_GLASS_MIN_REASON:
        errors["reason"] = [
            _("Describe the emergency in at least %(count)d characters.")
            % {"count": BREAK_GLASS_MIN_REASON}
        ]
    if reason_category not in BreakGlassReason.values:
        errors["reason_category"] = [_("Choose the kind of emergency.")]
    if errors:
        raise ValidationError(errors)
    case = Case.objects.filter(pk=case_id).first() if 0 < case_id < 2**63 else None
    # One answer for a missing case and one of an organisation that does not cooperate, so
    # the form does not tell which case numbers exist elsewhere.
    if case is None or not _may_break_the_glass_of(actor, case):
        raise NotPermitted(
            _(
                "Emergency access is not possible for this case number: it does not exist, or "
                "it belongs to an organisation yours does not cooperate with."
            ),
            case_id=case_id if case is not None else None,
        )
    if CaseMember.objects.current().filter(case=case, user=actor).exists():
        raise NotPermitted(
            _("You are involved in this case: open it from My cases."), case_id=case.pk
        )
    now = timezone.now()
    access = BreakGlassAccess(
        case=case,
        user=actor,
        reason_category=reason_category,
        reason=reason,
        started_at=now,
        expires_at=now + dt.timedelta(hours=settings.KINDVEILIG_BREAK_GLASS_HOURS),
    )
    access.full_clean()
    access.save()
    events.break_glass_opened(
        actor,
        case_id=case.pk,
        clients=case.audit_subject().clients,
        reason=reason,
    )
    return access


@transaction.atomic
def draft_save(
    *, actor: User, case: Case, form_key: str, data: dict[str, Any], fields: Iterable[str]
) -> Draft:
    """Keep the form input typed so far (one draft per user, case and form): only the form's
    own ``fields``, each at most as long as a long text may be."""
    cleaned = {key: value for key, value in data.items() if key in set(fields)}
    too_long = sorted(key for key, value in cleaned.items() if len(str(value)) > LONG_TEXT)
    if too_long:
        raise ValidationError({key: [_("This text is too long.")] for key in too_long})
    draft, _created = Draft.objects.update_or_create(
        user=actor,
        case=case,
        form_key=form_key,
        defaults={"data": cleaned, "updated_at": timezone.now()},
    )
    events.draft_saved(actor, draft.audit_subject(), form_key=form_key)
    return draft


@transaction.atomic
def draft_discard(*, actor: User, case: Case, form_key: str) -> None:
    draft = Draft.objects.filter(user=actor, case=case, form_key=form_key).first()
    if draft is not None:
        subject = draft.audit_subject()
        draft.delete()
        events.draft_discarded(actor, subject, form_key=form_key)


@transaction.atomic
def break_glass_partner_set(*, organisation_name: str, partner_name: str, allowed: bool) -> bool:
    """Allow (or stop) professionals of ``partner_name`` to break the glass on the cases of
    ``organisation_name``. For administrators at the command line; audited. Returns whether
    anything changed."""
    organisations = {
        organisation.name: organisation
        for organisation in Organisation.objects.filter(name__in=[organisation_name, partner_name])
    }
    missing = [name for name in (organisation_name, partner_name) if name not in organisations]
    if missing:
        raise ValidationError(_("Unknown organisation: %(name)s") % {"name": ", ".join(missing)})
    organisation, partner = organisations[organisation_name], organisations[partner_name]
    if allowed:
        changed = BreakGlassPartner.objects.get_or_create(
            organisation=organisation, partner=partner
        )[1]
    else:
        changed = bool(
            BreakGlassPartner.objects.filter(organisation=organisation, partner=partner).delete()[0]
        )
    if changed:
        events.break_glass_partners_changed(
            by=None,
            organisation_id=organisation.pk,
            change=f"{'allow' if allowed else 'disallow'} partner={partner.pk}",
        )
    return changed
