"""Keyed, sharded hash chains: every event gets its shard and its number in that shard.

The table is append-only (rows cannot be updated), so the events written before stay as they
were: without a ``seq``, in the one unkeyed chain they were written in, which ``audit verify``
still checks.
"""

from django.db import migrations, models

ADD_COLUMNS = [
    "ALTER TABLE audit_auditevent ADD COLUMN shard smallint NOT NULL DEFAULT 0",
    "ALTER TABLE audit_auditevent ADD COLUMN seq bigint NULL",
    "CREATE UNIQUE INDEX audit_event_once_per_seq ON audit_auditevent (shard, seq)",
    # Actions by user over time (denied-access bursts) and per-shard heads are read often.
    "CREATE INDEX audit_event_action_user ON audit_auditevent (action, user_id, timestamp)",
]


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunSQL(sql) for sql in ADD_COLUMNS],
            state_operations=[
                migrations.AddField("auditevent", "shard", models.SmallIntegerField(default=0)),
                migrations.AddField("auditevent", "seq", models.BigIntegerField(null=True)),
                migrations.AddConstraint(
                    "auditevent",
                    models.UniqueConstraint(
                        fields=["shard", "seq"], name="audit_event_once_per_seq"
                    ),
                ),
            ],
        )
    ]
