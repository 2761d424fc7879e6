"""Authentication backend: Django's, loading the user of a session together with their
organisation, which every audit event of the request names: read with the session itself
when the session row names the same user (accounts.sessions), else in one query of its own
(compiled once)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from kindveilig.accounts.models import User
from kindveilig.accounts.sessions import current_session, user_id_of
from kindveilig.core.prepared import Prepared

# Read on every request, compiled once (core.prepared).
_USER_WITH_ORGANISATION = Prepared(
    lambda user_id: User._default_manager.select_related("organisation").filter(pk=user_id)[:1],
    user_id=int,
)


class UserWithOrganisationBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        pk = user_id_of(user_id)
        if pk is None:
            return None
        session = current_session()
        user = session.user_read_with(pk) if session is not None else None
        if user is None:
            user = _USER_WITH_ORGANISATION.first(user_id=pk)
        return user if user is not None and self.user_can_authenticate(user) else None
