"""Django's PostgreSQL backend, with a cheaper check that a kept connection still stands.

With ``CONN_HEALTH_CHECKS`` Django sends ``SELECT 1`` before a request's first statement on a
kept connection, so that a connection the server closed (a restart, a failover, an
administrator) is replaced instead of failing the request. That round trip cost ~0.3 ms of
the web process and ~0.1 ms of the database on every request, an eighth of an API read.

A server that closes a connection says so: it sends its reason and closes the socket, which
then becomes readable. Between requests the server sends nothing unasked, so a socket with
nothing to read is a connection that still stands. Here the check looks at the socket
(no round trip) and asks the server only when something arrived unasked, after an error,
or when the connection has not been asked for ``FULL_CHECK_EVERY`` seconds, which also covers
a network that drops a connection without a word.
"""

from __future__ import annotations

import select
import time

from django.db.backends.postgresql import base

FULL_CHECK_EVERY = 10.0  # seconds


class DatabaseWrapper(base.DatabaseWrapper):
    checked_at = 0.0  # when the server last answered a check (time.monotonic)

    def connect(self) -> None:
        super().connect()
        self.checked_at = time.monotonic()  # just opened: the server answered

    def is_usable(self) -> bool:
        connection = self.connection
        if connection is None or connection.closed:
            return False
        # After an error Django asks whether to keep the connection: ask the server.
        recently = time.monotonic() - self.checked_at < FULL_CHECK_EVERY
        if recently and not self.errors_occurred:
            try:
                unasked, _, _ = select.select([connection.pgconn.socket], [], [], 0)
            except (OSError, ValueError):  # the socket is gone
                return False
            if not unasked:
                return True
        usable = bool(super().is_usable())
        if usable:
            self.checked_at = time.monotonic()
        return usable
