from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from kindveilig.accounts.models import User


def acting_user(request: HttpRequest) -> User:
    """The logged-in user of a view behind login_required (or an API token), typed as User."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user
