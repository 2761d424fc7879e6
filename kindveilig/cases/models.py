"""The dossier: a case (one family), its persons, its professionals, and the base every record
of a case builds on.

``VersionedModel`` carries what every edited record needs: a version for optimistic
concurrency and a history of every change. ``CaseRecord`` adds the link to its case; every model
that belongs to a case (here and in the method's apps) derives from it, and the access door
(``cases.access.access_case_record``), the access-discipline test and the permission matrix find
them through it.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kindveilig.accounts.models import Organisation, Role
from kindveilig.audit.models import AuditObject, AuditSubject
from kindveilig.cases.validators import validate_bsn, validate_not_in_future
from kindveilig.knowledge.models import KnowledgeItemRecord

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

# Lengths of free text: a long narrative (about ten pages) and a short explanation. Text fields
# are limited like every other input, so one request cannot store megabytes.
LONG_TEXT = 20_000
SHORT_TEXT = 2_000


def long_text(label: str | _StrPromise, **kwargs: Any) -> models.TextField:
    """An optional narrative field of a record, limited to ``LONG_TEXT`` like every input."""
    return models.TextField(
        label,
        blank=True,
        max_length=LONG_TEXT,
        validators=[MaxLengthValidator(LONG_TEXT)],
        **kwargs,
    )


class CaseStatus(models.TextChoices):
    INTAKE = "intake", _("Intake")
    INVESTIGATION = "investigation", _("Investigation")
    PLANNING = "planning", _("Help plan")
    EXECUTION = "execution", _("Execution and monitoring")
    EVALUATION = "evaluation", _("Evaluation")
    CLOSED = "closed", _("Closed")


class LegalContext(models.TextChoices):
    VOLUNTARY = "voluntary", _("Voluntary help")
    SUPERVISION_ORDER = "ots", _("Family supervision order (OTS)")
    GUARDIANSHIP = "voogdij", _("Guardianship")


class VersionedModel(models.Model):
    """A record edited with optimistic concurrency (``version``), with a history of changes."""

    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(inherit=True)

    # What the audit log calls this kind of record (a member of the closed vocabulary).
    audit_object: ClassVar[AuditObject]
    # Set by the service that saves, read by simple-history: who made this change.
    _history_user: Any

    class Meta:
        abstract = True

    def audit_subject(self) -> AuditSubject:
        raise NotImplementedError


class Case(VersionedModel):
    """One family (household) with one or more children: the dossier."""

    audit_object = AuditObject.CASE

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="cases", null=True, blank=True
    )
    name = models.CharField(_("name"), max_length=200)
    status = models.CharField(
        _("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.INTAKE
    )
    legal_context = models.CharField(
        _("legal context"),
        max_length=20,
        choices=LegalContext.choices,
        default=LegalContext.VOLUNTARY,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    retention_until = models.DateField(_("retain until"), null=True, blank=True)
    reason_for_concern = models.TextField(
        _("reason for concern"),
        blank=True,
        max_length=LONG_TEXT,
        validators=[MaxLengthValidator(LONG_TEXT)],
        help_text=_("What worries the reporter and you, in plain words: facts and their source."),
    )

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name

    # Set by the access door: whether the user entered through emergency access, and the ids
    # of the case's persons, read with the case (cases.access). Set by
    # cases.selectors.case_persons: the persons, once read.
    entered_via_break_glass: bool = False
    person_ids_read: tuple[int, ...] | None = None
    loaded_persons: list[Person] | None = None

    def audit_subject(self) -> AuditSubject:
        if self.loaded_persons is not None:
            clients = tuple(person.pk for person in self.loaded_persons)
        elif self.person_ids_read is not None:
            clients = self.person_ids_read
        else:
            clients = tuple(self.persons.order_by().values_list("pk", flat=True))
        return self.subject_of(self.pk, clients)

    @staticmethod
    def subject_of(case_id: int, clients: tuple[int, ...]) -> AuditSubject:
        """What an event about the case names, also before the case is read
        (``cases.access._open_door``)."""
        return AuditSubject(AuditObject.CASE, case_id, case_id, clients)


class CaseRecord(VersionedModel):
    """Abstract base of everything that belongs to one case.

    Subclasses set ``audit_object`` and, when the record concerns particular persons (a child,
    a parent), override ``audit_clients`` so the audit log names them as the clients concerned.
    A subclass may redeclare ``case`` to give the reverse relation a readable name.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="%(class)s_set")

    class Meta:
        abstract = True

    def audit_clients(self) -> tuple[int, ...]:
        return ()

    def audit_subject(self) -> AuditSubject:
        return AuditSubject(self.audit_object, self.pk, self.case_id, self.audit_clients())


class PersonRole(models.TextChoices):
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    CAREGIVER = "caregiver", _("Caregiver")
    HOUSEHOLD_MEMBER = "household_member", _("Household member")
    NETWORK = "network", _("Network")


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")


def mask_bsn(bsn: str) -> str:
    """A BSN as the pages show it: only its last four digits ("•••••1234"); empty stays empty.
    The full number is shown only on an explicit, logged request (``person_bsn_reveal``)."""
    return f"•••••{bsn[-4:]}" if bsn else ""


class Person(CaseRecord):
    """A person in one case. Persons are per case: the same parent in two cases is two rows."""

    audit_object = AuditObject.PERSON

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="persons")
    role = models.CharField(_("role"), max_length=20, choices=PersonRole.choices)
    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100)
    birth_date = models.DateField(
        _("date of birth"), null=True, blank=True, validators=[validate_not_in_future]
    )
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, blank=True)
    bsn = models.CharField(_("BSN"), max_length=9, blank=True, validators=[validate_bsn])
    relation = models.CharField(
        _("relation"), max_length=100, blank=True, help_text=_("For example: grandmother")
    )
    has_parental_authority = models.BooleanField(_("has parental authority"), null=True, blank=True)
    lives_in_household = models.BooleanField(_("lives in the household"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ["case", "role", "birth_date", "id"]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"

    def audit_clients(self) -> tuple[int, ...]:
        return (self.pk,)

    @property
    def bsn_masked(self) -> str:
        return mask_bsn(self.bsn)

    def age_on(self, reference: dt.date) -> int | None:
        """Age in whole years on ``reference`` (None without a birth date)."""
        if self.birth_date is None:
            return None
        before_birthday = (reference.month, reference.day) < (
            self.birth_date.month,
            self.birth_date.day,
        )
        return reference.year - self.birth_date.year - int(before_birthday)


class CaseRole(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    CASE_WORKER = "case_worker", _("Case worker")
    BEHAVIOURAL_SCIENTIST = "behavioural_scientist", _("Behavioural scientist")
    EXTERNAL = "external", _("External professional")


# Accounts that can be members of a case: roles that may see case content. Administrators and
# auditors never become members (their roles stay apart from case work).
MEMBER_ACCOUNT_ROLES = {Role.PROFESSIONAL, Role.BEHAVIOURAL_SCIENTIST, Role.TEAM_LEAD}


class CaseMemberQuerySet(models.QuerySet["CaseMember"]):
    def current(self, on: dt.date | None = None) -> CaseMemberQuerySet:
        """Memberships in force on ``on`` (today). One ended today is over: its end date is
        the day it ended, so a removed member loses access on the next request."""
        on = on or timezone.localdate()
        return self.filter(start_date__lte=on).filter(Q(end_date__isnull=True) | Q(end_date__gt=on))


class CaseMember(CaseRecord):
    """A professional's involvement in a case; for internal users the basis of access control."""

    audit_object = AuditObject.CASE_MEMBER

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="members")
    # No index of its own: (user, end_date) below serves every lookup by user. A plain user
    # index misled PostgreSQL into reading all of a user's ended memberships for "Mijn
    # dossiers" (1 s for a user with 50,000 at 1,000,000 cases; the bench in bench/).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="case_memberships",
        db_index=False,
    )
    role = models.CharField(_("role in case"), max_length=30, choices=CaseRole.choices)
    # External professionals have no account; their contact details are kept here.
    name = models.CharField(_("name"), max_length=200, blank=True)
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    discipline = models.CharField(_("discipline"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    availability = models.CharField(_("availability"), max_length=200, blank=True)
    start_date = models.DateField(_("start"), default=timezone.localdate)
    end_date = models.DateField(_("end"), null=True, blank=True)

    objects = CaseMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("case member")
        verbose_name_plural = _("case members")
        ordering = ["case", "role", "id"]
        indexes = [
            # "Is this user a member of this case?" on every request to the case.
            models.Index(fields=["case", "user"], name="case_member_case_user"),
            # "My cases": the user's current memberships among all they ever had (the open
            # ones, and those ending later).
            models.Index(
                fields=["user"],
                condition=Q(end_date__isnull=True),
                name="case_member_user_open",
            ),
            models.Index(fields=["user", "end_date"], name="case_member_user_end"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(name=""),
                name="case_member_user_or_name",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="case_member_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.user is not None:
            return str(self.user)
        return self.name


class MaltreatmentStatus(models.TextChoices):
    SUSPECTED = "suspected", _("Suspected")
    ESTABLISHED = "established", _("Established")


class ChildMaltreatmentForm(KnowledgeItemRecord, CaseRecord):
    """A form of maltreatment (handbook §1.2.1) suspected or established for one child.

    A form that no longer applies (the maltreatment stopped, or the suspicion was not
    confirmed) is ended with a date and a reason, not removed: it stays in the case, and the
    same form can be recorded again for the child later.
    """

    knowledge_list = "maltreatment_forms"
    audit_object = AuditObject.MALTREATMENT_FORM

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="maltreatment_forms")
    child = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="maltreatment_forms")
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=MaltreatmentStatus.choices,
        default=MaltreatmentStatus.SUSPECTED,
    )
    onset = models.CharField(
        _("since when"),
        max_length=200,
        blank=True,
        help_text=_("A date or a period, as precisely as known: for example, since spring 2024"),
    )
    frequency = models.CharField(
        _("frequency"),
        max_length=200,
        blank=True,
        help_text=_("For example: once, several times a month, daily"),
    )
    severity = models.CharField(
        _("severity"),
        max_length=200,
        blank=True,
        help_text=_("What happens and its consequences for the child, in a few words"),
    )
    duration = models.CharField(_("duration"), max_length=200, blank=True)
    source = models.CharField(
        _("source"),
        max_length=300,
        blank=True,
        help_text=_("Who reported it or where the information comes from"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.TextField(
        _("reason for ending"),
        blank=True,
        max_length=SHORT_TEXT,
        validators=[MaxLengthValidator(SHORT_TEXT)],
    )

    class Meta:
        verbose_name = _("maltreatment form")
        verbose_name_plural = _("maltreatment forms")
        ordering = ["child", "recorded_at", "id"]
        constraints = [
            # Once per child while it applies; after it has ended it may be recorded anew.
            models.UniqueConstraint(
                fields=["child", "knowledge_code"],
                condition=Q(ended_on__isnull=True),
                name="maltreatment_form_once_per_child",
                violation_error_message=_(
                    "This form of maltreatment is already recorded for this child."
                ),
            )
        ]

    def __str__(self) -> str:
        entry = self.knowledge_entry()
        return entry.label if entry is not None else self.knowledge_code

    def audit_clients(self) -> tuple[int, ...]:
        return (self.child_id,)

    @property
    def is_current(self) -> bool:
        return self.ended_on is None


class BreakGlassReason(models.TextChoices):
    """Why the glass is broken. Only acute danger allows changing the case; otherwise the
    emergency access is for reading."""

    ACUTE_DANGER = "acute_danger", _("Acute danger to a child: I must act in the case now")
    URGENT_INFORMATION = "urgent_information", _("Urgent need of information: reading only")


class BreakGlassPartner(models.Model):
    """An organisation whose professionals may break the glass on the cases of another
    (a cooperating organisation, e.g. Veilig Thuis for a regional youth-care provider)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="break_glass_partners"
    )
    partner = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("emergency-access partner")
        verbose_name_plural = _("emergency-access partners")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "partner"], name="break_glass_partner_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.partner_id} -> {self.organisation_id}"


class BreakGlassAccess(models.Model):
    """Emergency access of a non-member to a case: a stated reason, limited in time, logged,
    reviewed afterwards by the auditor."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="break_glass_accesses")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="break_glass_accesses"
    )
    reason_category = models.CharField(
        _("kind of emergency"),
        max_length=30,
        choices=BreakGlassReason.choices,
        default=BreakGlassReason.URGENT_INFORMATION,
    )
    reason = models.TextField(
        _("reason"), max_length=SHORT_TEXT, validators=[MaxLengthValidator(SHORT_TEXT)]
    )
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    review_comment = models.TextField(
        _("review comment"),
        blank=True,
        max_length=SHORT_TEXT,
        validators=[MaxLengthValidator(SHORT_TEXT)],
    )

    class Meta:
        verbose_name = _("emergency access")
        verbose_name_plural = _("emergency accesses")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"break-glass {self.case_id} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def is_active(self) -> bool:
        return self.started_at <= timezone.now() < self.expires_at

    @property
    def allows_changes(self) -> bool:
        return self.reason_category == BreakGlassReason.ACUTE_DANGER


class Draft(models.Model):
    """Unsaved form input, autosaved while typing, so a timeout or closed tab loses nothing."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="drafts")
    form_key = models.CharField(max_length=60)
    data = models.JSONField(default=dict)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("draft")
        verbose_name_plural = _("drafts")
        constraints = [
            models.UniqueConstraint(fields=["user", "case", "form_key"], name="draft_once_per_form")
        ]

    def __str__(self) -> str:
        return f"draft {self.form_key}"

    def audit_subject(self) -> AuditSubject:
        return AuditSubject(AuditObject.DRAFT, self.pk, self.case_id)
