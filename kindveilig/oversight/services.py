"""The auditor's reading of the log is itself logged: these services read and record."""

from __future__ import annotations

from django.db import transaction

from kindveilig.accounts.models import User
from kindveilig.audit import events
from kindveilig.cases.models import BreakGlassAccess
from kindveilig.oversight import selectors


@transaction.atomic
def audit_log_search(*, actor: User, filters: selectors.AuditFilter) -> list[selectors.AuditRow]:
    """The newest events matching ``filters`` (at most MAX_ROWS); the search is logged."""
    found = list(selectors.audit_events(filters=filters)[: selectors.MAX_ROWS])
    events.audit_log_searched(actor, description=filters.describe())
    return selectors.audit_rows(found)


@transaction.atomic
def break_glass_report_view(*, actor: User) -> list[BreakGlassAccess]:
    """The newest emergency accesses; looking at them is logged."""
    accesses = list(selectors.break_glass_report()[: selectors.MAX_ROWS])
    events.break_glass_report_read(actor)
    return accesses
