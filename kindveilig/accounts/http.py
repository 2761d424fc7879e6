from __future__ import annotations

import ipaddress

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from kindveilig.accounts.models import User


def acting_user(request: HttpRequest) -> User:
    """The logged-in user of a view behind login_required (or an API token), typed as User."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


def client_address(request: HttpRequest) -> str:
    """The address of the client: REMOTE_ADDR, or behind ``KINDVEILIG_TRUSTED_PROXIES`` proxies
    the address the outermost of them saw (the n-th from the end of X-Forwarded-For). Entries
    a client adds itself lie further to the left and are ignored."""
    remote = str(request.META.get("REMOTE_ADDR") or "0.0.0.0")  # noqa: S104 - a placeholder
    proxies = settings.KINDVEILIG_TRUSTED_PROXIES
    if proxies <= 0:
        return remote
    forwarded = [
        part.strip() for part in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")
    ]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < proxies:
        return remote
    candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
