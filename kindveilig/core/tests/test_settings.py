from pathlib import Path

import pytest

from config.env import read_env


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
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["NAME"], database["HOST"], database["PORT"]) == (
        "kindveilig",
        "127.0.0.1",
        5432,
    )


def test_development_secret_is_generated_once_and_kept(monkeypatch, tmp_path) -> None:
    monkeypatch.delenv("KINDVEILIG_SECRET_KEY", raising=False)
    monkeypatch.setenv("KINDVEILIG_DATA_DIR", str(tmp_path))
    first = read_env().development_secret_key()
    assert len(first) > 50
    assert read_env().development_secret_key() == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


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
