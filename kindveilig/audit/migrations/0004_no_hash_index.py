"""Drop the unique index on ``hash``: nothing looks an event up by its MAC, and the chain's
order is already unique by ``(shard, seq)``.

The index cost every audited request a write to a random page of the table's largest index
(64 hex characters per event; at a million cases some 14 million events), and on PostgreSQL
that page's first change after a checkpoint is written whole to the write-ahead log that the
request then waits to flush. Tamper evidence does not rest on it: a copied or forged MAC
fails ``audit verify`` because each MAC is keyed over its event and its predecessor's MAC.

On SQLite the constraint is part of the column definition and cannot be dropped without
rebuilding the append-only table; it stays there (one writer at a time, its pages stay
cached) and the model no longer declares it.
"""

from django.db import migrations, models


def drop_hash_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE audit_auditevent DROP CONSTRAINT IF EXISTS audit_auditevent_hash_key"
        )


def restore_hash_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE audit_auditevent ADD CONSTRAINT audit_auditevent_hash_key UNIQUE (hash)"
        )


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_case_writes_index")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(drop_hash_index, restore_hash_index)],
            state_operations=[
                migrations.AlterField("auditevent", "hash", models.CharField(max_length=64))
            ],
        )
    ]
