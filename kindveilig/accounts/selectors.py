"""Reads for accounts."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice

from kindveilig.accounts.models import ApiToken, Organisation, Team, User
from kindveilig.accounts.services import hash_api_token


def api_tokens_of(*, user: User) -> QuerySet[ApiToken]:
    """Every API token of ``user`` (revoked and expired ones too), newest first."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")


def api_token_by_raw(*, user: User, raw_token: str) -> ApiToken | None:
    """``user``'s token with this raw value (just made: the raw value is never stored)."""
    return ApiToken.objects.filter(user=user, token_hash=hash_api_token(raw_token)).first()


# --- For the functional administrator: accounts and organisations, never case data --------


def accounts(*, organisation_id: int | None = None, role: str = "") -> QuerySet[User]:
    """Accounts by organisation and username, each with ``has_second_factor`` (a confirmed
    authenticator app); filtered by organisation and role when given."""
    confirmed = TOTPDevice.objects.filter(user_id=OuterRef("pk"), confirmed=True)
    found = User.objects.select_related("organisation", "team").annotate(
        has_second_factor=Exists(confirmed)
    )
    if organisation_id is not None:
        found = found.filter(organisation_id=organisation_id)
    if role:
        found = found.filter(role=role)
    return found.order_by("organisation__name", "username", "pk")


def account(*, user_id: int) -> User | None:
    """One account (with ``has_second_factor``), or None."""
    if not 0 < user_id < 2**63:
        return None
    return accounts().filter(pk=user_id).first()


def organisations() -> QuerySet[Organisation]:
    """Every organisation with its number of accounts and of active accounts."""
    return Organisation.objects.annotate(
        accounts=Count("users"), active_accounts=Count("users", filter=Q(users__is_active=True))
    ).order_by("name")


def teams() -> QuerySet[Team]:
    return Team.objects.select_related("organisation").order_by("organisation__name", "name")
