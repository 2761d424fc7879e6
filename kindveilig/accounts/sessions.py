"""Django's database sessions, read together with the login they carry in one statement.

Every request of a logged-in browser reads its session, its user (with the organisation every
audit event names) and the authenticator app that verified it. Django reads them in three
statements, because the user's id sits inside the signed session data. Our session row
(``accounts.LoginSession``) also names the user and the app in columns, filled from the data
whenever the session is saved, so one statement reads all three (compiled once, core.prepared).

The columns are only a lookup aid. The authentication backend and the second-factor
middleware take the user and app read here only when their ids are the ones in the signed
data (``user_read_with`` / ``device_read_with``); otherwise they read them as Django does.
Everything that decides whether a session is valid (the session hash with its generation, an
active account, the app belonging to the user and being confirmed, expiry) is Django's and
django-otp's, unchanged. Saving, expiry, cycling the key at login and ending at logout are
Django's as well. Selected by ``SESSION_ENGINE``.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.core.exceptions import SuspiciousOperation
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from kindveilig.accounts.models import LoginSession, User
from kindveilig.core.prepared import Prepared

_LIVE_SESSION = Prepared(
    lambda session_key, now: LoginSession.objects.select_related(
        "user__organisation", "device"
    ).filter(session_key=session_key, expire_date__gt=now)[:1],
    session_key=str,
    now=dt.datetime,
)

_TOTP_LABEL = TOTPDevice._meta.label_lower


def totp_device_id(persistent_id: Any) -> int | None:
    """The id of the authenticator app a session's device entry names (django-otp's
    ``"otp_totp.totpdevice/<id>"``), or None for another kind of device or a malformed one."""
    if not isinstance(persistent_id, str):
        return None
    label, _, device_id = persistent_id.rpartition("/")
    if label != _TOTP_LABEL or not device_id.isdigit():
        return None
    number = int(device_id)
    return number if 0 < number < 2**63 else None


def user_id_of(value: Any) -> int | None:
    """The user id a session's signed data names, or None when it is not a database id."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


class SessionStore(DatabaseSessionStore):
    def __init__(self, session_key: str | None = None) -> None:
        super().__init__(session_key)
        self._row: LoginSession | None = None

    @classmethod
    def get_model_class(cls) -> type[LoginSession]:
        return LoginSession

    def create_model_instance(self, data: dict[str, Any]) -> LoginSession:
        row = super().create_model_instance(data)
        assert isinstance(row, LoginSession)
        row.user_id = user_id_of(data.get(SESSION_KEY))
        row.device_id = totp_device_id(data.get(DEVICE_ID_SESSION_KEY))
        return row

    def _get_session_from_db(self) -> LoginSession | None:
        self._row = None
        try:
            key = self.session_key
            if key is None:
                return None
            row = _LIVE_SESSION.first(session_key=key, now=timezone.now())
        except SuspiciousOperation as error:
            logging.getLogger(f"django.security.{error.__class__.__name__}").warning(str(error))
            row = None
        if row is None:
            self._session_key = None
        self._row = row
        return row

    def load_once(self) -> None:
        """Read the session, if it was not read yet (Django's lazy loading)."""
        self.get(SESSION_KEY)  # any read loads the session's data on first use

    def user_read_with(self, user_id: int) -> User | None:
        """The user read with this session, when it is the one its signed data names."""
        self.load_once()
        row = self._row
        if row is None or row.user_id is None or row.user_id != user_id:
            return None
        return row.user

    def device_read_with(self, device_id: int) -> TOTPDevice | None:
        """The authenticator app read with this session, when it is the one its signed data
        names (and it still exists)."""
        self.load_once()
        row = self._row
        if row is None or row.device_id is None or row.device_id != device_id:
            return None
        return row.device


# The session of the request being authenticated: Django's backend and django-otp's middleware
# are given ids only, not the request.
_current: contextvars.ContextVar[SessionStore | None] = contextvars.ContextVar(
    "kindveilig_session", default=None
)


@contextmanager
def reading_login_of(session: Any) -> Iterator[None]:
    """Within this block, the backend and the second factor may take the user and the app
    read with ``session`` (when it is one of ours)."""
    token = _current.set(session if isinstance(session, SessionStore) else None)
    try:
        yield
    finally:
        _current.reset(token)


def current_session() -> SessionStore | None:
    return _current.get()
