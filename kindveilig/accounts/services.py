"""Writes for accounts: API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from kindveilig.accounts.models import ApiToken, User


def hash_api_token(raw_token: str) -> str:
    # Tokens carry 256 bits of randomness, so a plain SHA-256 is enough (no slow hash needed).
    return hashlib.sha256(raw_token.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user: User) -> str:
    """Create an API token for ``user`` and return the raw token (stored only as a hash)."""
    raw_token = "kv_" + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, token_hash=hash_api_token(raw_token), prefix=raw_token[:8])
    return raw_token


def api_token_authenticate(*, raw_token: str) -> User | None:
    """The active user the token belongs to, or None for an unknown or revoked token."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=hash_api_token(raw_token), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user
