"""The auditor's reading of the log is itself logged: these services read and record."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kindveilig.accounts.models import Role, User
from kindveilig.audit import events
from kindveilig.audit.models import AuditObject
from kindveilig.cases.models import BreakGlassAccess
from kindveilig.core.errors import NotPermitted
from kindveilig.oversight import selectors


def _require_auditor(actor: User) -> None:
    if actor.role != Role.AUDITOR:
        raise NotPermitted(
            _("Only the privacy officer reads the audit log."), attempted=AuditObject.AUDIT_LOG
        )


@transaction.atomic
def audit_log_search(
    *,
    actor: User,
    filters: selectors.AuditFilter,
    before: int | None = None,
    after: int | None = None,
) -> selectors.AuditPage:
    """A page of the events matching ``filters`` (see ``selectors.audit_page``); the search is
    logged."""
    _require_auditor(actor)
    page = selectors.audit_page(filters=filters, before=before, after=after)
    events.audit_log_searched(actor, description=filters.describe())
    return page


@transaction.atomic
def audit_log_export(
    *, actor: User, filters: selectors.AuditFilter
) -> Iterator[selectors.AuditRow]:
    """Every event matching ``filters``, to be written out as a file; the export is logged
    (before the first row is read: an export that breaks off is still on record)."""
    _require_auditor(actor)
    events.audit_log_exported(actor, description=filters.describe())
    return selectors.audit_rows_all(filters=filters)


@transaction.atomic
def team_overview(*, actor: User, status: str = "", page: str | None = None) -> selectors.Caseload:
    """A page of the team lead's caseload (no case content: the family's name only of cases
    the lead is a member of); which cases were shown is logged."""
    if actor.role != Role.TEAM_LEAD:
        raise NotPermitted(
            _("The caseload overview is for team leads."), attempted=AuditObject.CASELOAD
        )
    caseload = selectors.caseload(lead=actor, status=status, page=page)
    if caseload.rows:
        events.team_cases_listed(actor, case_ids=[row.case_id for row in caseload.rows])
    return caseload


@transaction.atomic
def denied_access_overview(*, actor: User, days: int) -> list[selectors.DeniedAccessRow]:
    """Denied attempts per user over the last ``days`` days; looking is logged."""
    since = timezone.now() - dt.timedelta(days=days)
    rows = selectors.denied_access_by_user(since=since)
    events.audit_log_searched(actor, description=f"denied access per user, {days} days")
    return rows


@transaction.atomic
def break_glass_report_view(*, actor: User) -> list[BreakGlassAccess]:
    """The newest emergency accesses; looking at them is logged."""
    accesses = list(selectors.break_glass_report()[: selectors.MAX_ROWS])
    events.break_glass_report_read(actor)
    return accesses


@transaction.atomic
def break_glass_review(*, actor: User, access_id: int, comment: str) -> BreakGlassAccess:
    """The auditor marks an emergency access as reviewed, with a comment (required)."""
    if actor.role != Role.AUDITOR:
        raise NotPermitted(_("Only the privacy officer reviews emergency accesses."))
    comment = comment.strip()
    if not comment:
        raise ValidationError({"comment": _("Write what you found, also when all was in order.")})
    access = selectors.break_glass_access(access_id=access_id, for_update=True)
    if access.reviewed_at is not None:
        raise ValidationError(_("This emergency access has already been reviewed."))
    access.reviewed_at = timezone.now()
    access.reviewed_by = actor
    access.review_comment = comment
    access.full_clean()
    access.save(update_fields=["reviewed_at", "reviewed_by", "review_comment"])
    events.break_glass_reviewed(actor, access_id=access.pk, case_id=access.case_id)
    return access
