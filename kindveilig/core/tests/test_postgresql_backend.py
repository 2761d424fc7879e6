"""The PostgreSQL health check without a round trip (core.postgresql): a kept connection that
the server closed is still replaced before a request uses it; one that stands costs nothing."""

import select
import time

import pytest
from django.db import connection, connections
from django.db.backends.postgresql.base import DatabaseWrapper as DjangoWrapper

from kindveilig.core import postgresql

pytestmark = pytest.mark.django_db


@pytest.fixture
def kept():
    """A second connection as a web process keeps it between requests."""
    if connection.vendor != "postgresql":
        pytest.skip("the PostgreSQL backend (run with DATABASE_URL)")
    other = connections.create_connection("default")
    other.ensure_connection()
    other.health_check_enabled, other.health_check_done = True, False
    yield other
    other.close()


def _asked(monkeypatch) -> list[int]:
    """Counts the round-trip checks (Django's SELECT 1)."""
    asked: list[int] = []
    original = DjangoWrapper.is_usable

    def counting(self):
        asked.append(1)
        return original(self)

    monkeypatch.setattr(DjangoWrapper, "is_usable", counting)
    return asked


def test_a_standing_connection_is_kept_without_asking_the_server(kept, monkeypatch) -> None:
    assert isinstance(kept, postgresql.base.DatabaseWrapper)
    asked = _asked(monkeypatch)
    before = kept.connection
    kept.close_if_health_check_failed()
    assert kept.connection is before and asked == []
    with kept.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


def test_a_connection_the_server_closed_is_replaced_before_use(kept, monkeypatch) -> None:
    before = kept.connection
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [before.info.backend_pid])
    # The server says it closes the connection: its socket becomes readable.
    deadline = time.monotonic() + 5
    while not select.select([before.pgconn.socket], [], [], 0.05)[0]:
        assert time.monotonic() < deadline
    asked = _asked(monkeypatch)
    kept.close_if_health_check_failed()
    assert asked == [1]  # something arrived unasked: the server was asked, and failed
    with kept.cursor() as cursor:  # a new connection, no error for the request
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
    assert kept.connection is not before


def test_a_connection_unchecked_for_a_while_is_asked(kept, monkeypatch) -> None:
    kept.checked_at -= postgresql.base.FULL_CHECK_EVERY + 1
    asked = _asked(monkeypatch)
    kept.close_if_health_check_failed()
    assert asked == [1]
    assert time.monotonic() - kept.checked_at < 1  # and counts as checked now


def test_after_an_error_the_server_is_asked(kept, monkeypatch) -> None:
    kept.errors_occurred = True
    asked = _asked(monkeypatch)
    assert kept.is_usable() is True
    assert asked == [1]
