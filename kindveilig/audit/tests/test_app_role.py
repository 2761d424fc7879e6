"""On PostgreSQL the application runs as a role that may insert and read the audit log but can
neither change its rows nor alter, disable or drop its triggers. Run against a database of its
own (created and dropped here), as CI does with DATABASE_URL pointing to PostgreSQL."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection

pytestmark = pytest.mark.postgres
KINDVEILIG = str(Path(sys.executable).with_name("kindveilig"))


@pytest.fixture
def fresh_database(db):
    if connection.vendor != "postgresql":
        pytest.skip("database roles exist on PostgreSQL only (run with DATABASE_URL)")
    settings = connection.settings_dict
    owner = settings["USER"] or "postgres"
    server = f"postgres://{owner}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
    name, role = f"kv_roles_{uuid.uuid4().hex[:8]}", f"kv_app_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield f"{server}/{name}", role
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'DROP ROLE IF EXISTS "{role}"')


def kindveilig(database_url: str, *args: str, tmp_path: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE"}}
    env.update(DATABASE_URL=database_url, KINDVEILIG_DATA_DIR=str(tmp_path))
    return subprocess.run([KINDVEILIG, *args], env=env, check=True, capture_output=True, text=True)


def test_the_application_role_writes_the_log_but_cannot_tamper_with_it(
    fresh_database, tmp_path
) -> None:
    owner_url, role = fresh_database
    kindveilig(owner_url, "migrate", "-v", "0", tmp_path=tmp_path)
    kindveilig(owner_url, "audit", "app-role", role, tmp_path=tmp_path)
    app_url = owner_url.replace("://" + owner_url.split("://")[1].split("@")[0], f"://{role}")
    # The whole application works as this role: the demo writes cases, persons and events.
    kindveilig(app_url, "demo", tmp_path=tmp_path)
    assert kindveilig(app_url, "audit", "verify", tmp_path=tmp_path).stdout.startswith("OK ")

    refused = [
        "UPDATE audit_auditevent SET detail = 'x'",
        "DELETE FROM audit_auditevent",
        "TRUNCATE audit_auditevent",
        "ALTER TABLE audit_auditevent DISABLE TRIGGER USER",
        "DROP TRIGGER audit_event_no_update_delete ON audit_auditevent",
        "ALTER TABLE audit_auditevent DROP COLUMN hash",
    ]
    with psycopg.connect(app_url, autocommit=True) as app:
        count = app.execute("SELECT count(*) FROM audit_auditevent").fetchone()[0]
        assert count > 0
        for statement in refused:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                app.execute(statement)
        assert app.execute("SELECT count(*) FROM audit_auditevent").fetchone()[0] == count
