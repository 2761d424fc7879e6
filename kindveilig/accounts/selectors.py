"""Reads for accounts."""

from __future__ import annotations

from django.db.models import QuerySet

from kindveilig.accounts.models import ApiToken, User
from kindveilig.accounts.services import hash_api_token


def api_tokens_of(*, user: User) -> QuerySet[ApiToken]:
    """Every API token of ``user`` (revoked and expired ones too), newest first."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")


def api_token_by_raw(*, user: User, raw_token: str) -> ApiToken | None:
    """``user``'s token with this raw value (just made: the raw value is never stored)."""
    return ApiToken.objects.filter(user=user, token_hash=hash_api_token(raw_token)).first()
