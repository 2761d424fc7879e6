"""The database role the application runs as, on PostgreSQL.

The tables belong to the owner that runs the migrations; the application connects as another
role that may read and write the data, may insert and read the audit log, and can neither
update or delete its rows nor alter, disable or drop its triggers (only a table's owner can).
Someone who takes over the application's database credentials therefore still cannot rewrite
the log; and the keyed chains make rewriting by the owner visible (see ``audit.chain``).
"""

from __future__ import annotations

from django.db import connection
from psycopg import sql

AUDIT_TABLE = "audit_auditevent"


def create_app_role(role: str, *, password: str | None = None) -> list[str]:
    """Create (or update) ``role`` with exactly the rights the application needs. Run as the
    owner of the tables, after ``migrate``; returns the statements it ran (for the record)."""
    if connection.vendor != "postgresql":
        raise RuntimeError("database roles exist on PostgreSQL only")
    name = sql.Identifier(role)
    database = sql.Identifier(connection.settings_dict["NAME"])
    statements = [
        sql.SQL(
            "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {literal}) "
            "THEN CREATE ROLE {name} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT; "
            "END IF; END $$"
        ).format(literal=sql.Literal(role), name=name),
        sql.SQL("GRANT CONNECT ON DATABASE {database} TO {name}").format(
            database=database, name=name
        ),
        sql.SQL("GRANT USAGE ON SCHEMA public TO {name}").format(name=name),
        sql.SQL(
            "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {name}"
        ).format(name=name),
        sql.SQL("REVOKE UPDATE, DELETE, TRUNCATE ON {table} FROM {name}").format(
            table=sql.Identifier(AUDIT_TABLE), name=name
        ),
        sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {name}").format(
            name=name
        ),
        # Tables and sequences of later migrations (run by the owner) are usable too.
        sql.SQL(
            "ALTER DEFAULT PRIVILEGES IN SCHEMA public "
            "GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {name}"
        ).format(name=name),
        sql.SQL(
            "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {name}"
        ).format(name=name),
    ]
    if password:
        statements.append(
            sql.SQL("ALTER ROLE {name} PASSWORD {password}").format(
                name=name, password=sql.Literal(password)
            )
        )
    done = []
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
            done.append(statement.as_string(cursor.connection).split(" PASSWORD ")[0])
    return done
