"""Django's database sessions, with the read of every request compiled once (core.prepared).

Everything else (saving, expiry, cycling the key at login, ending at logout) is Django's.
Selected by ``SESSION_ENGINE``.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.core.exceptions import SuspiciousOperation
from django.utils import timezone

from kindveilig.core.prepared import Prepared

_LIVE_SESSION = Prepared(
    lambda session_key, now: Session.objects.filter(session_key=session_key, expire_date__gt=now)[
        :1
    ],
    session_key=str,
    now=dt.datetime,
)


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self) -> Session | None:
        try:
            key = self.session_key
            if key is None:
                return None
            session = _LIVE_SESSION.first(session_key=key, now=timezone.now())
        except SuspiciousOperation as error:
            logging.getLogger(f"django.security.{error.__class__.__name__}").warning(str(error))
            session = None
        if session is None:
            self._session_key = None
        return session
