"""Create the audit table (unmanaged model) and the append-only triggers."""

from django.db import migrations, models

SQLITE_TRIGGERS = [
    "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent "
    "BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;",
    "CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_auditevent "
    "BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;",
]
POSTGRES_TRIGGERS = [
    "CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'audit log is append-only'; END; $$ LANGUAGE plpgsql;",
    "CREATE TRIGGER audit_event_no_update_delete BEFORE UPDATE OR DELETE ON audit_auditevent "
    "FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();",
    "CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_auditevent "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only();",
]


def create_table_and_triggers(apps, schema_editor):
    schema_editor.create_model(apps.get_model("audit", "AuditEvent"))
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        statements = SQLITE_TRIGGERS
    elif vendor == "postgresql":
        statements = POSTGRES_TRIGGERS
    else:
        raise RuntimeError(f"append-only audit triggers are not defined for {vendor}")
    for statement in statements:
        schema_editor.execute(statement)


def drop_table(apps, schema_editor):
    schema_editor.delete_model(apps.get_model("audit", "AuditEvent"))
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS audit_event_append_only();")


class Migration(migrations.Migration):
    initial = True
    dependencies: list = []

    operations = [
        migrations.CreateModel(
            name="AuditEvent",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False)),
                ("timestamp", models.DateTimeField(db_index=True)),
                ("action", models.CharField(max_length=20)),
                ("user_id", models.BigIntegerField(db_index=True, null=True)),
                ("username", models.CharField(blank=True, max_length=150)),
                ("organisation_id", models.BigIntegerField(null=True)),
                ("organisation_name", models.CharField(blank=True, max_length=200)),
                ("role", models.CharField(blank=True, max_length=32)),
                ("on_behalf_of_id", models.BigIntegerField(null=True)),
                ("case_id", models.BigIntegerField(db_index=True, null=True)),
                ("client_ids", models.CharField(blank=True, max_length=2000)),
                ("object_type", models.CharField(blank=True, max_length=60)),
                ("object_id", models.CharField(blank=True, max_length=60)),
                ("request_id", models.CharField(blank=True, max_length=64)),
                ("detail", models.CharField(blank=True, max_length=500)),
                ("previous_hash", models.CharField(max_length=64)),
                ("hash", models.CharField(max_length=64, unique=True)),
            ],
            options={
                "managed": False,
                "db_table": "audit_auditevent",
                "ordering": ["id"],
                "verbose_name": "audit event",
                "verbose_name_plural": "audit events",
            },
        ),
        migrations.RunPython(create_table_and_triggers, drop_table),
    ]
