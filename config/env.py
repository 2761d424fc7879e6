"""The one place where Kindveilig reads its environment.

Every setting that may differ between machines comes from an environment variable declared in
``VARIABLES`` below, with its default and its help text; settings modules never touch
``os.environ`` themselves, and reading an undeclared variable fails. The README's configuration
table is generated from ``VARIABLES`` (``python -m config.env``); a test fails when they differ.

Reading the environment touches no file system: the data directory and the development secret
are made by the ``kindveilig`` command that needs them (``prepare_data_dir``).
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dj_database_url

REPO_ROOT = Path(__file__).resolve().parent.parent


class ImproperlyConfiguredEnv(RuntimeError):
    """Raised when a required environment variable is missing or malformed."""


@dataclass(frozen=True)
class Variable:
    name: str
    default: str  # as documented
    help: str


VARIABLES: dict[str, Variable] = {
    variable.name: variable
    for variable in [
        Variable(
            "DATABASE_URL",
            "unset → SQLite",
            "e.g. `postgres://user@127.0.0.1:5432/kindveilig`; without it the embedded SQLite "
            "database in the data dir is used",
        ),
        Variable(
            "KINDVEILIG_DATA_DIR",
            "`./data`",
            "SQLite file (WAL mode), generated development secret, collected static files; "
            "created (owner only) by the `kindveilig` command",
        ),
        Variable(
            "KINDVEILIG_SECRET_KEY",
            "generated in the data dir",
            "required with `config.settings.production`; in development `kindveilig` generates "
            "one once and keeps it in the data dir",
        ),
        Variable(
            "KINDVEILIG_AUDIT_KEY",
            "generated in the data dir",
            "key of the audit log's hash chains and checkpoints; required in production, kept "
            "outside the database (whoever holds the database but not this key cannot rewrite "
            "the log unnoticed)",
        ),
        Variable(
            "KINDVEILIG_AUDIT_CHECKPOINTS",
            "`<data dir>/audit-checkpoints.jsonl`",
            "append-only file for the signed checkpoints of the audit chains (put it on "
            "storage the database administrators cannot rewrite); `off` disables them",
        ),
        Variable(
            "KINDVEILIG_AUDIT_CHECKPOINT_EVERY",
            "`100`",
            "a checkpoint per shard after this many events (and at least every minute)",
        ),
        Variable(
            "KINDVEILIG_AUDIT_SHARDS",
            "`64`",
            "audit chains on PostgreSQL that a database connection claims for its lifetime, "
            "so an audit event is one INSERT (more than the web processes of all machines; "
            "8 shared chains take the rest); `0` behind a connection pooler in transaction "
            "mode, where a connection's claim would not be its own",
        ),
        Variable(
            "KINDVEILIG_TRUSTED_PROXIES",
            "`0`",
            "number of reverse proxies in front of Kindveilig (1 behind one TLS proxy): the "
            "client's address for login throttling and the audit log is then taken from "
            "X-Forwarded-For as that many proxies saw it",
        ),
        Variable("KINDVEILIG_DEBUG", "`false`", "Django debug pages (never in production)"),
        Variable(
            "KINDVEILIG_ALLOWED_HOSTS",
            "`127.0.0.1,localhost`",
            "comma-separated host names the server answers to",
        ),
        Variable(
            "KINDVEILIG_CSRF_TRUSTED_ORIGINS",
            "empty",
            "comma-separated origins (`https://kindveilig.example.nl`) when served behind a "
            "proxy on another origin",
        ),
        Variable("KINDVEILIG_IDLE_TIMEOUT_MINUTES", "`15`", "idle session timeout in minutes"),
        Variable("KINDVEILIG_BREAK_GLASS_HOURS", "`4`", "duration of emergency access in hours"),
        Variable(
            "KINDVEILIG_ONE_TIME_PASSWORD_HOURS",
            "`72`",
            "hours a one-time password (from `kindveilig user create` or `reset-password`) "
            "stays valid; the user must replace it at the first login",
        ),
        Variable(
            "KINDVEILIG_API_TOKEN_DAYS",
            "`90`",
            "days a new API token stays valid (from its creation)",
        ),
        Variable(
            "KINDVEILIG_LOG_LEVEL",
            "`INFO`",
            "level of the application log (codes and ids only, never personal data)",
        ),
        Variable(
            "DJANGO_SETTINGS_MODULE",
            "`config.settings.development`",
            "`config.settings.production` in production (`config.settings.test` in the tests)",
        ),
        Variable(
            "KINDVEILIG_CHROMIUM",
            "`/usr/bin/chromium`",
            "the browser of the end-to-end tests (Debian's chromium; never a downloaded one)",
        ),
    ]
}


def _raw(name: str) -> str | None:
    if name not in VARIABLES:
        raise ImproperlyConfiguredEnv(f"{name} is not a declared Kindveilig variable")
    value = os.environ.get(name)
    return value if value not in (None, "") else None


def _read_bool(name: str, default: bool) -> bool:
    raw = _raw(name)
    if raw is None:
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfiguredEnv(f"{name} must be a boolean (true/false), got {raw!r}")


def _read_int(name: str, default: int) -> int:
    raw = _raw(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfiguredEnv(f"{name} must be an integer, got {raw!r}") from exc


def _read_list(name: str, default: list[str]) -> list[str]:
    raw = _raw(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


@dataclass(frozen=True)
class Env:
    data_dir: Path
    database_url: str | None
    secret_key: str | None
    debug: bool
    allowed_hosts: list[str]
    csrf_trusted_origins: list[str]
    idle_timeout_minutes: int
    break_glass_hours: int
    one_time_password_hours: int
    api_token_days: int
    trusted_proxies: int
    log_level: str
    chromium: str
    audit_key: str | None
    audit_checkpoints: Path | None
    audit_checkpoint_every: int
    audit_shards: int

    @property
    def secret_key_file(self) -> Path:
        return self.data_dir / "secret_key"

    @property
    def audit_key_file(self) -> Path:
        return self.data_dir / "audit_key"

    def database(self) -> dict[str, Any]:
        """Database settings: PostgreSQL (or any URL) when DATABASE_URL is set, else SQLite."""
        if self.database_url:
            config: dict[str, Any] = dict(
                dj_database_url.parse(self.database_url, conn_max_age=60, conn_health_checks=True)
            )
            if config["ENGINE"] == "django.db.backends.sqlite3":
                config.setdefault("OPTIONS", {}).update(_SQLITE_OPTIONS)
            elif config["ENGINE"] == "django.db.backends.postgresql":
                # Django's backend with a health check that needs no round trip.
                config["ENGINE"] = "kindveilig.core.postgresql"
                config.setdefault("OPTIONS", {}).update(_POSTGRESQL_OPTIONS)
            return config
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(self.data_dir / "kindveilig.sqlite3"),
            "OPTIONS": dict(_SQLITE_OPTIONS),
            # One connection per worker thread, kept: no set-up per request.
            "CONN_MAX_AGE": 600,
        }


# WAL lets readers continue while one writer writes; IMMEDIATE transactions take the write lock
# at BEGIN so that concurrent writers wait (busy timeout) instead of failing with "locked".
# (Planner statistics are refreshed per connection in core.apps.)
_SQLITE_OPTIONS: dict[str, Any] = {
    "init_command": ("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"),
    "transaction_mode": "IMMEDIATE",
    "timeout": 60,
}


# Django switches psycopg's prepared statements off (prepare_threshold None), which also refuses
# a statement that asks to be prepared. Its own cursors bind on the client and never prepare
# either way; only core.prepared.statement_cursor asks, for the reads and the audit INSERT of
# every request, so no other statement is kept on the server.
_POSTGRESQL_OPTIONS: dict[str, Any] = {"prepare_threshold": 1_000_000_000}


def read_env() -> Env:
    data_dir = Path(_raw("KINDVEILIG_DATA_DIR") or "data").expanduser()
    if not data_dir.is_absolute():
        data_dir = Path.cwd() / data_dir
    return Env(
        data_dir=data_dir,
        database_url=_raw("DATABASE_URL"),
        secret_key=_raw("KINDVEILIG_SECRET_KEY"),
        debug=_read_bool("KINDVEILIG_DEBUG", False),
        allowed_hosts=_read_list("KINDVEILIG_ALLOWED_HOSTS", ["127.0.0.1", "localhost"]),
        csrf_trusted_origins=_read_list("KINDVEILIG_CSRF_TRUSTED_ORIGINS", []),
        idle_timeout_minutes=_read_int("KINDVEILIG_IDLE_TIMEOUT_MINUTES", 15),
        break_glass_hours=_read_int("KINDVEILIG_BREAK_GLASS_HOURS", 4),
        one_time_password_hours=_read_int("KINDVEILIG_ONE_TIME_PASSWORD_HOURS", 72),
        api_token_days=_read_int("KINDVEILIG_API_TOKEN_DAYS", 90),
        trusted_proxies=_read_int("KINDVEILIG_TRUSTED_PROXIES", 0),
        log_level=_raw("KINDVEILIG_LOG_LEVEL") or "INFO",
        chromium=_raw("KINDVEILIG_CHROMIUM") or "/usr/bin/chromium",
        audit_key=_raw("KINDVEILIG_AUDIT_KEY"),
        audit_checkpoints=_checkpoint_path(data_dir),
        audit_checkpoint_every=_read_int("KINDVEILIG_AUDIT_CHECKPOINT_EVERY", 100),
        audit_shards=max(0, _read_int("KINDVEILIG_AUDIT_SHARDS", 64)),
    )


def _checkpoint_path(data_dir: Path) -> Path | None:
    raw = _raw("KINDVEILIG_AUDIT_CHECKPOINTS")
    if raw is None:
        return data_dir / "audit-checkpoints.jsonl"
    return None if raw.lower() == "off" else Path(raw).expanduser()


def _kept_secret(path: Path) -> str:
    """The secret kept in ``path``, generated (owner-readable only) the first time."""
    if not path.exists():
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_urlsafe(64))
    return path.read_text().strip()


def prepare_data_dir(env: Env, *, generate_secret: bool) -> dict[str, str]:
    """Create the data directory (owner only) and, when asked, the development secrets.

    Called by the ``kindveilig`` command before Django starts; returns the environment
    variables to set: the secret key and the audit key kept in the data dir, for those not
    configured. Production (``generate_secret=False``) gets none: it must configure both.
    """
    env.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    (env.data_dir / "static").mkdir(exist_ok=True)
    if not generate_secret:
        return {}
    generated = {}
    if not env.secret_key:
        generated["KINDVEILIG_SECRET_KEY"] = _kept_secret(env.secret_key_file)
    if not env.audit_key:
        generated["KINDVEILIG_AUDIT_KEY"] = _kept_secret(env.audit_key_file)
    return generated


def configuration_table() -> str:
    """The README's configuration table, in Markdown."""
    lines = ["| variable | default | meaning |", "|---|---|---|"]
    lines += [
        f"| `{variable.name}` | {variable.default} | {variable.help} |"
        for variable in VARIABLES.values()
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    print(configuration_table())
