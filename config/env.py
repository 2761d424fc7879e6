"""The one place where Kindveilig reads its environment.

Every setting that may differ between machines comes from an environment variable read here;
settings modules never touch ``os.environ`` themselves.
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


def _read_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfiguredEnv(f"{name} must be a boolean (true/false), got {raw!r}")


def _read_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfiguredEnv(f"{name} must be an integer, got {raw!r}") from exc


def _read_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
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
    log_level: str

    def database(self) -> dict[str, Any]:
        """Database settings: PostgreSQL (or any URL) when DATABASE_URL is set, else SQLite."""
        if self.database_url:
            config: dict[str, Any] = dict(
                dj_database_url.parse(self.database_url, conn_max_age=60, conn_health_checks=True)
            )
            if config["ENGINE"] == "django.db.backends.sqlite3":
                config.setdefault("OPTIONS", {}).update(_SQLITE_OPTIONS)
            return config
        self.data_dir.mkdir(parents=True, exist_ok=True)
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(self.data_dir / "kindveilig.sqlite3"),
            "OPTIONS": dict(_SQLITE_OPTIONS),
        }

    def development_secret_key(self) -> str:
        """The configured secret, or one generated once and kept in the data directory.

        Only for development and demo use; production settings insist on KINDVEILIG_SECRET_KEY.
        """
        if self.secret_key:
            return self.secret_key
        self.data_dir.mkdir(parents=True, exist_ok=True)
        path = self.data_dir / "secret_key"
        if not path.exists():
            path.write_text(secrets.token_urlsafe(64))
            path.chmod(0o600)
        return path.read_text().strip()


# WAL lets readers continue while one writer writes; IMMEDIATE transactions take the write lock
# at BEGIN so that concurrent writers wait (busy timeout) instead of failing with "locked".
_SQLITE_OPTIONS: dict[str, Any] = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}


def read_env() -> Env:
    data_dir = Path(os.environ.get("KINDVEILIG_DATA_DIR") or "data").expanduser()
    if not data_dir.is_absolute():
        data_dir = Path.cwd() / data_dir
    return Env(
        data_dir=data_dir,
        database_url=os.environ.get("DATABASE_URL") or None,
        secret_key=os.environ.get("KINDVEILIG_SECRET_KEY") or None,
        debug=_read_bool("KINDVEILIG_DEBUG", False),
        allowed_hosts=_read_list("KINDVEILIG_ALLOWED_HOSTS", ["127.0.0.1", "localhost"]),
        csrf_trusted_origins=_read_list("KINDVEILIG_CSRF_TRUSTED_ORIGINS", []),
        idle_timeout_minutes=_read_int("KINDVEILIG_IDLE_TIMEOUT_MINUTES", 15),
        break_glass_hours=_read_int("KINDVEILIG_BREAK_GLASS_HOURS", 4),
        log_level=os.environ.get("KINDVEILIG_LOG_LEVEL") or "INFO",
    )
