from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import auth
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django_otp.middleware import OTPMiddleware
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice

from kindveilig.accounts.models import User
from kindveilig.accounts.services import refusal_record, session_end
from kindveilig.accounts.sessions import current_session, reading_login_of, totp_device_id
from kindveilig.core.errors import NotPermitted
from kindveilig.core.prepared import Prepared

_TOTP_DEVICE = Prepared(
    lambda device_id: TOTPDevice.objects.filter(id=device_id)[:1], device_id=int
)


class SessionLoginMiddleware(AuthenticationMiddleware):
    """Django's ``AuthenticationMiddleware``, letting the backend take the user read with the
    session (accounts.sessions) instead of reading it again. Django's checks of the session
    (its hash, an active account) are unchanged: ``auth.get_user`` makes them."""

    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _user_of_session(request))  # type: ignore[assignment]


# The attribute Django's AuthenticationMiddleware caches the user in (login and logout reset it).
_CACHED_USER = "_cached_user"


def _user_of_session(request: HttpRequest) -> Any:
    if not hasattr(request, _CACHED_USER):
        with reading_login_of(request.session):
            setattr(request, _CACHED_USER, auth.get_user(request))
    return getattr(request, _CACHED_USER)


class SecondFactorMiddleware(OTPMiddleware):
    """django-otp's middleware (``request.user.is_verified()``), taking the authenticator app
    read with the session (accounts.sessions), or reading it with a statement compiled once
    (core.prepared). Other devices (recovery codes) are read as django-otp reads them. Whether
    the app verifies the user (theirs, confirmed) is django-otp's check, unchanged."""

    def _verify_user_sync(self, request: HttpRequest, user: Any) -> Any:
        with reading_login_of(request.session):
            return super()._verify_user_sync(request, user)

    def _device_from_persistent_id(self, persistent_id: str) -> Device | None:
        persistent_id = self._normalize_persistent_id(persistent_id)
        label, _, _ = persistent_id.rpartition("/")
        if label != TOTPDevice._meta.label_lower:
            return super()._device_from_persistent_id(persistent_id)
        device_id = totp_device_id(persistent_id)
        if device_id is None:
            return None
        session = current_session()
        device = session.device_read_with(device_id) if session is not None else None
        return device if device is not None else _TOTP_DEVICE.first(device_id=device_id)


class RequireTwoFactorMiddleware:
    """Every session must have passed the second factor; a session that did not is ended.

    Kindveilig's own login only logs a user in after the TOTP or recovery code, so an
    unverified session can only come from elsewhere (e.g. an admin tool) and is not trusted.
    The JSON API authenticates with tokens and does not use sessions.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not getattr(user, "is_verified", lambda: False)():
            session_end(request=request)
            return redirect("accounts:login")
        return self.get_response(request)


class PasswordChangeRequiredMiddleware:
    """A user still on a one-time password (``must_change_password``) is sent to the password
    change page after a complete login, whatever page they ask for, until they have changed it.

    Only that page, logging out, the language switch, the help and privacy pages and static
    files are let through. It runs
    after ``RequireTwoFactorMiddleware``: a session that gets here has passed both factors.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and getattr(user, "must_change_password", False)
            and not self._allowed(request.path)
        ):
            return redirect("accounts:password_change")
        return self.get_response(request)

    @staticmethod
    def _allowed(path: str) -> bool:
        allowed = {
            reverse("accounts:password_change"),
            reverse("accounts:logout"),
            reverse("set_language"),
            reverse("core:help"),
            reverse("core:privacy"),
        }
        return path in allowed or path.startswith(str(settings.STATIC_URL))


class NotPermittedMiddleware:
    """Answers a service's refusal (``NotPermitted``) with a translated 403 page giving its
    reason, and logs it as a denied access."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, NotPermitted):
            return None
        user = request.user if isinstance(request.user, User) else None
        refusal_record(actor=user, refusal=exception)
        return render(request, "403.html", {"reason": exception.message}, status=403)


class IdleTimeoutMiddleware:
    """The idle timeout without a session write on every request: a session's expiry is moved
    forward when it was last moved more than a minute ago. A session therefore ends between
    ``SESSION_COOKIE_AGE`` minus a minute and ``SESSION_COOKIE_AGE`` after the last activity."""

    REFRESH_SECONDS = 60
    KEY = "kv_active_at"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and request.user.is_authenticated:
            now = int(time.time())
            if now - int(session.get(self.KEY, 0)) >= self.REFRESH_SECONDS:
                session[self.KEY] = now  # modified: saved with a new expiry
        return self.get_response(request)
