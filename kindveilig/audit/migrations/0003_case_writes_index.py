"""An index of the events that changed a case's data: their number is the case's change stamp
(``audit.selectors.case_write_count_of``), read by the door with the case.

Partial, so that the reads (most events) do not grow it; the condition is spelled exactly as
the stamp's query spells it (``CASE_WRITES_CONDITION``, tested), which is what lets SQLite
and PostgreSQL use it.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_keyed_sharded_chain")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX audit_event_case_writes ON audit_auditevent (case_id) WHERE action IN "
            "('create', 'update', 'delete', 'permission_change', 'break_glass')",
            reverse_sql="DROP INDEX audit_event_case_writes",
        )
    ]
