from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer

from kindveilig.accounts.http import client_address
from kindveilig.accounts.models import User
from kindveilig.accounts.services import api_token_authenticate


class BearerToken(HttpBearer):
    """``Authorization: Bearer <token>`` with a token from ``kindveilig apitoken`` or the
    security page. The client's address is recorded with the token's use."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = api_token_authenticate(raw_token=token, address=client_address(request))
        if user is not None:
            request.user = user
        return user
