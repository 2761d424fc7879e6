"""Reads of the audit log that other apps build on."""

from __future__ import annotations

from django.db.models import BigIntegerField
from django.db.models.expressions import RawSQL

from kindveilig.audit.models import AuditAction, AuditEvent

# The actions that change what a case holds or who may see it. Every write of case data is
# audited in the transaction that makes it (PRODUCT §7; ``cases.records``), so their number
# grows with every committed change of the case and never otherwise.
CASE_WRITE_ACTIONS = (
    AuditAction.CREATE,
    AuditAction.UPDATE,
    AuditAction.DELETE,
    AuditAction.PERMISSION_CHANGE,
    AuditAction.BREAK_GLASS,
)
# Literal values, not parameters: a partial index is used only for a condition that matches
# its own (migration ``audit 0003``).
CASE_WRITES_CONDITION = "action IN ({})".format(
    ", ".join(f"'{action.value}'" for action in CASE_WRITE_ACTIONS)
)


def case_write_count_of(case_id_column: str) -> RawSQL:
    """The case's change stamp as a column of a query on cases (``case_id_column``: the quoted
    id column of that query's table): how many changes of its data have been committed (and,
    within a transaction, made). The log is append-only, so a different number means
    different data and the same number the same data. The door reads it with the case, in one
    statement (``cases.access``)."""
    table = AuditEvent._meta.db_table
    sql = (
        f"SELECT COUNT(*) FROM {table} "  # noqa: S608
        f"WHERE case_id = {case_id_column} AND {CASE_WRITES_CONDITION}"
    )
    # Only constants of this module and a column named by the caller go into the SQL.
    return RawSQL(f"({sql})", [], output_field=BigIntegerField())  # noqa: S611
