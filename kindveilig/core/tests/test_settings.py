import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.conf import settings

from config.env import ImproperlyConfiguredEnv, configuration_table, prepare_data_dir, read_env


def test_without_database_url_sqlite_in_the_data_dir_with_wal(monkeypatch, tmp_path) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("KINDVEILIG_DATA_DIR", str(tmp_path / "d"))
    database = read_env().database()
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert Path(database["NAME"]) == tmp_path / "d" / "kindveilig.sqlite3"
    assert "journal_mode=WAL" in database["OPTIONS"]["init_command"]


def test_database_url_selects_postgresql(monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://kv@127.0.0.1:5432/kindveilig")
    database = read_env().database()
    # Django's PostgreSQL backend with a health check without round trip (core.postgresql),
    # and psycopg allowed to prepare the statements that ask (core.prepared).
    assert database["ENGINE"] == "kindveilig.core.postgresql"
    assert database["CONN_HEALTH_CHECKS"] is True
    assert database["OPTIONS"]["prepare_threshold"] > 0
    assert (database["NAME"], database["HOST"], database["PORT"]) == (
        "kindveilig",
        "127.0.0.1",
        5432,
    )


def test_development_secret_is_generated_once_and_kept(monkeypatch, tmp_path) -> None:
    monkeypatch.delenv("KINDVEILIG_SECRET_KEY", raising=False)
    monkeypatch.setenv("KINDVEILIG_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("KINDVEILIG_AUDIT_KEY", raising=False)
    first = prepare_data_dir(read_env(), generate_secret=True)
    assert set(first) == {"KINDVEILIG_SECRET_KEY", "KINDVEILIG_AUDIT_KEY"}
    assert len(first["KINDVEILIG_SECRET_KEY"]) > 50
    assert first["KINDVEILIG_AUDIT_KEY"] != first["KINDVEILIG_SECRET_KEY"]
    assert prepare_data_dir(read_env(), generate_secret=True) == first
    assert (tmp_path / "data" / "audit_key").stat().st_mode & 0o077 == 0
    assert (tmp_path / "data" / "secret_key").stat().st_mode & 0o077 == 0
    assert (tmp_path / "data").stat().st_mode & 0o077 == 0


def test_production_gets_no_generated_secret(monkeypatch, tmp_path) -> None:
    monkeypatch.delenv("KINDVEILIG_SECRET_KEY", raising=False)
    monkeypatch.setenv("KINDVEILIG_DATA_DIR", str(tmp_path))
    assert prepare_data_dir(read_env(), generate_secret=False) == {}
    assert not (tmp_path / "secret_key").exists()


def test_production_refuses_to_start_without_an_audit_key(monkeypatch) -> None:
    import importlib

    monkeypatch.setenv("KINDVEILIG_SECRET_KEY", "s" * 50)
    monkeypatch.delenv("KINDVEILIG_AUDIT_KEY", raising=False)
    sys.modules.pop("config.settings.production", None)
    with pytest.raises(RuntimeError, match="KINDVEILIG_AUDIT_KEY"):
        importlib.import_module("config.settings.production")


# Run in a fresh interpreter: every write to the file system during the import is reported.
QUIET_IMPORT = textwrap.dedent(
    """
    import sys
    writes = []
    def hook(event, args):
        if event == "open":
            mode = args[1] if isinstance(args[1], str) else ""
            flags = args[2] if isinstance(args[2], int) else 0
            if set(mode) & set("wax+") or flags & 0o3:
                writes.append(f"open {args[0]} {mode} {flags}")
        elif event in ("os.mkdir", "os.chmod", "os.rename", "os.remove", "shutil.copyfile"):
            writes.append(f"{event} {args[0]}")
    sys.addaudithook(hook)
    import importlib
    importlib.import_module(sys.argv[1])
    print("WRITES", writes)
    """
)


@pytest.mark.parametrize("module", ["config.settings.development", "config.settings.production"])
def test_importing_settings_touches_no_file_system(tmp_path, module) -> None:
    data_dir = tmp_path / "nowhere-yet"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("KINDVEILIG_", "DATABASE"))},
        "KINDVEILIG_DATA_DIR": str(data_dir),
        "KINDVEILIG_SECRET_KEY": "s" * 50,
        "KINDVEILIG_AUDIT_KEY": "a" * 50,
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    result = subprocess.run(
        [sys.executable, "-c", QUIET_IMPORT, module],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip().splitlines()[-1] == "WRITES []"
    assert not data_dir.exists()


def test_an_undeclared_variable_cannot_be_read() -> None:
    from config.env import _raw

    with pytest.raises(ImproperlyConfiguredEnv, match="not a declared"):
        _raw("KINDVEILIG_SOMETHING_NEW")


def test_every_variable_read_in_config_env_is_declared_and_the_readme_table_is_generated() -> None:
    source = (Path(settings.BASE_DIR) / "config" / "env.py").read_text(encoding="utf-8")
    readme = (Path(settings.BASE_DIR) / "README.md").read_text(encoding="utf-8")
    start, end = "<!-- configuration-table:start -->", "<!-- configuration-table:end -->"
    documented = readme.split(start)[1].split(end)[0].strip()
    assert documented == configuration_table(), "run: python -m config.env, paste into README"
    for name in ("KINDVEILIG_DATA_DIR", "KINDVEILIG_LOG_LEVEL", "KINDVEILIG_CSRF_TRUSTED_ORIGINS"):
        assert f'_raw("{name}")' in source or f'"{name}", ' in source
        assert f"`{name}`" in documented
    assert "os.environ.get(" in source  # only inside _raw, which checks the declaration
    assert source.count("os.environ.get(") == 1


def test_production_settings_refuse_to_start_without_a_secret(monkeypatch) -> None:
    import importlib
    import sys

    monkeypatch.delenv("KINDVEILIG_SECRET_KEY", raising=False)
    sys.modules.pop("config.settings.production", None)
    with pytest.raises(RuntimeError, match="KINDVEILIG_SECRET_KEY"):
        importlib.import_module("config.settings.production")


@pytest.mark.django_db
def test_sqlite_file_database_runs_in_wal_mode(monkeypatch, tmp_path) -> None:
    from django.db.utils import ConnectionHandler

    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("KINDVEILIG_DATA_DIR", str(tmp_path))
    wrapper = ConnectionHandler({"default": read_env().database()})["default"]
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
    finally:
        wrapper.close()


def test_the_sqlite_database_and_its_journals_are_for_the_owner_only(tmp_path) -> None:
    kindveilig = str(Path(sys.executable).with_name("kindveilig"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KINDVEILIG_", "DATABASE"))}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env["KINDVEILIG_DATA_DIR"] = str(tmp_path / "data")
    subprocess.run([kindveilig, "migrate", "-v", "0"], env=env, check=True)
    # A second process opens the database in WAL mode, which keeps -wal and -shm files.
    subprocess.run([kindveilig, "demo"], env=env, check=True, capture_output=True)
    database = tmp_path / "data" / "kindveilig.sqlite3"
    # While a connection is open in WAL mode, the -wal and -shm files exist; SQLite gives them
    # the permissions of the database file, whatever the opening process's umask.
    import sqlite3

    connection = sqlite3.connect(database)
    try:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("CREATE TABLE probe (x)")
        files = sorted((tmp_path / "data").glob("kindveilig.sqlite3*"))
        assert {path.name for path in files} == {
            "kindveilig.sqlite3",
            "kindveilig.sqlite3-wal",
            "kindveilig.sqlite3-shm",
        }
        for path in [tmp_path / "data", *files]:
            assert path.stat().st_mode & 0o077 == 0, (path.name, oct(path.stat().st_mode))
    finally:
        connection.close()


@pytest.mark.django_db
def test_sqlite_connections_keep_planner_statistics(monkeypatch, tmp_path) -> None:
    from django.db.utils import ConnectionHandler

    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("KINDVEILIG_DATA_DIR", str(tmp_path))
    handler = ConnectionHandler({"default": read_env().database()})
    first = handler["default"]
    with first.cursor() as cursor:
        cursor.execute("CREATE TABLE member (case_id int, user_id int)")
        cursor.execute("CREATE INDEX member_case_user ON member (case_id, user_id)")
        cursor.executemany("INSERT INTO member VALUES (%s, %s)", [(n % 50, n) for n in range(500)])
    first.close()
    again = ConnectionHandler({"default": read_env().database()})["default"]
    try:
        with again.cursor() as cursor:  # a new connection gathers the statistics
            cursor.execute("SELECT tbl, idx FROM sqlite_stat1 WHERE tbl = 'member'")
            assert ("member", "member_case_user") in cursor.fetchall()
    finally:
        again.close()
