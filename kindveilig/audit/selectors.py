"""Reads of the audit log that other apps build on."""

from __future__ import annotations

from django.db import connection
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
# Only constants of this module are formatted in; the case id is a parameter.
CASE_WRITE_COUNT_SQL = (
    f"SELECT COUNT(*) FROM {AuditEvent._meta.db_table} "  # noqa: S608
    f"WHERE case_id = %s AND {CASE_WRITES_CONDITION}"
)


def case_write_count(case_id: int) -> int:
    """The case's change stamp: how many changes of its data have been committed (and, within
    a transaction, made). The log is append-only, so a different number means different data
    and the same number the same data, as seen from this transaction."""
    with connection.cursor() as cursor:
        cursor.execute(CASE_WRITE_COUNT_SQL, [case_id])
        (count,) = cursor.fetchone()
    return int(count)


def case_write_count_of(case_id_column: str) -> RawSQL:
    """The stamp as a column of a query on cases (``case_id_column``, a quoted column of the
    query's own table), so the door reads it with the case in one statement."""
    sql = CASE_WRITE_COUNT_SQL.replace("%s", case_id_column)
    # Only constants of this module and a column named by the caller go into the SQL.
    return RawSQL(f"({sql})", [], output_field=BigIntegerField())  # noqa: S611
