"""The NEN 7513 audit log: who did what with which client's data, when, and on whose behalf.

The table is append-only at the database level (triggers reject UPDATE, DELETE and, on
PostgreSQL, TRUNCATE; see migration 0001) and tamper-evident: events form keyed hash chains
(one per shard), anchored by signed checkpoints outside the database; see ``audit.chain`` and
ARCHITECTURE.md for the design and its threat model.

The model is unmanaged so that Django never empties the table (``flush`` skips unmanaged
models); its table and triggers are created by the migrations.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


class AuditAction(models.TextChoices):
    READ = "read", _("Read")
    CREATE = "create", _("Create")
    UPDATE = "update", _("Update")
    DELETE = "delete", _("Delete")
    SEARCH = "search", _("Search")
    EXPORT = "export", _("Export")
    PRINT = "print", _("Print")
    BREAK_GLASS = "break_glass", _("Emergency access")
    LOGIN = "login", _("Log in")
    LOGIN_FAILED = "login_failed", _("Failed login")
    LOGOUT = "logout", _("Log out")
    PERMISSION_CHANGE = "permission_change", _("Permission change")
    ACCESS_DENIED = "access_denied", _("Access denied")
    # Data hidden by default was shown on an explicit request (a person's full BSN).
    REVEAL = "reveal", _("Reveal hidden data")


class AuditObject(models.TextChoices):
    """What an event is about: the closed set of audited kinds of data.

    The codes are stored in the log and never renamed (old events keep their meaning); add a
    new member, with its label, when a new kind of data is audited.
    """

    SESSION = "session", _("Session")
    USER = "user", _("Account")
    TOTP_DEVICE = "totp_device", _("Authenticator app")
    RECOVERY_CODES = "static_device", _("Recovery codes")
    API_TOKEN = "api_token", _("API token")
    CASE = "case", _("Case")
    CASE_LIST = "case_list", _("List of cases")
    PERSON = "person", _("Person")
    CASE_MEMBER = "case_member", _("Case membership")
    MALTREATMENT_FORM = "maltreatment_form", _("Form of maltreatment")
    DRAFT = "draft", _("Draft")
    AUDIT_LOG = "audit_log", _("Audit log")
    BREAK_GLASS_REPORT = "break_glass_report", _("Emergency-access report")
    BREAK_GLASS_ACCESS = "break_glass_access", _("Emergency access")
    ORGANISATION = "organisation", _("Organisation")
    RESEARCH_QUESTION = "research_question", _("Research question")
    LIFELINE_EVENT = "lifeline_event", _("Lifeline event")
    OBSERVATION = "observation", _("Observation")
    QUESTIONNAIRE = "questionnaire", _("Questionnaire")
    FRAMEWORK_FINDING = "framework_finding", _("Framework finding")
    CONVERSATION = "conversation", _("Conversation")
    CASELOAD = "caseload", _("Team caseload")
    SAFETY_ASSESSMENT = "safety_assessment", _("Safety assessment")
    RISK_ASSESSMENT = "risk_assessment", _("Risk assessment")
    INSTRUMENT_OUTCOME = "instrument_outcome", _("Risk instrument outcome")
    CAUSE_FACTOR = "cause_factor", _("Cause (research question 5)")
    CONCLUSION = "conclusion", _("Conclusion")
    APPROVAL = "approval", _("Approval")


@dataclass(frozen=True)
class AuditSubject:
    """Which data of which case an event is about, and the client persons it concerns.

    Every record of a case can describe itself this way (``CaseRecord.audit_subject``), so the
    audit vocabulary needs no knowledge of the models above it.
    """

    object_type: AuditObject
    object_id: int | str
    case_id: int
    clients: tuple[int, ...] = ()


class AuditEvent(models.Model):
    # Users, organisations, cases and persons are referred to by id plus a snapshot of the
    # names needed to read the log, so that the log stands on its own and never cascades.
    timestamp = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices)
    user_id = models.BigIntegerField(_("user"), null=True, db_index=True)
    username = models.CharField(_("username"), max_length=150, blank=True)
    organisation_id = models.BigIntegerField(null=True)
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=32, blank=True)
    on_behalf_of_id = models.BigIntegerField(_("on behalf of"), null=True)
    case_id = models.BigIntegerField(_("case"), null=True, db_index=True)
    # Ids of the client persons concerned, as ",3,7," so that one person's events can be
    # found with a portable LIKE query on SQLite and PostgreSQL alike.
    client_ids = models.CharField(_("clients"), max_length=2000, blank=True)
    object_type = models.CharField(_("data"), max_length=60, choices=AuditObject.choices)
    object_id = models.CharField(_("object id"), max_length=60, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    detail = models.CharField(_("detail"), max_length=500, blank=True)
    # The chain: ``seq`` numbers the events of one shard 1, 2, 3 ...; ``hash`` is the keyed
    # MAC over the event's content and ``previous_hash``, the MAC of the shard's previous event.
    # Events written before the keyed chains have no ``seq`` (one unkeyed chain in id order).
    shard = models.SmallIntegerField(default=0)
    seq = models.BigIntegerField(null=True)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        managed = False
        db_table = "audit_auditevent"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["shard", "seq"], name="audit_event_once_per_seq")
        ]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.timestamp:%Y-%m-%d %H:%M:%S} {self.action} {self.object_type}"

    def client_id_list(self) -> list[int]:
        return [int(part) for part in self.client_ids.split(",") if part]
