"""The four-eyes approval of judging: a behavioural scientist who is a member of the case and
did not do the work approves it or returns it with a comment.

An approval is given to one version of one subject: a safety or risk assessment (never changed
once saved, so always version 1; a re-assessment is a new record that needs its own approval),
or the conclusion (changed with optimistic concurrency; a changed conclusion needs approval
again). Decisions are kept: the earlier approvals and returns are the history of the review.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kindveilig.audit.models import AuditObject
from kindveilig.cases.models import LONG_TEXT, CaseRecord


class SubjectType(models.TextChoices):
    SAFETY_ASSESSMENT = "safety_assessment", _("Safety assessment")
    RISK_ASSESSMENT = "risk_assessment", _("Risk assessment")
    CONCLUSION = "conclusion", _("Conclusion")


class Decision(models.TextChoices):
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")


class Approval(CaseRecord):
    """One decision of the four-eyes review on one version of a subject."""

    audit_object = AuditObject.APPROVAL

    subject_type = models.CharField(_("what"), max_length=30, choices=SubjectType.choices)
    subject_id = models.PositiveBigIntegerField(_("which"))
    subject_version = models.PositiveIntegerField(_("version"), default=1)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    comment = models.TextField(
        _("comment"),
        blank=True,
        max_length=LONG_TEXT,
        validators=[MaxLengthValidator(LONG_TEXT)],
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)

    class Meta:
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        ordering = ["case", "-decided_at", "-id"]
        indexes = [
            models.Index(fields=["case", "subject_type", "subject_id"], name="approval_subject_idx")
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} {timezone.localtime(self.decided_at):%d-%m-%Y}"
