"""Writes for accounts: API tokens, two-factor enrolment and verification, sessions."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_otp.models import Device
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from kindveilig.accounts.models import ApiToken, User
from kindveilig.audit.models import AuditAction
from kindveilig.audit.services import audit_record


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


# --- Two-factor authentication ------------------------------------------------------------


def totp_current_code(device: TOTPDevice) -> str:
    """The code the authenticator app shows now (for the demo and the tests)."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def totp_device_for(*, user: User) -> TOTPDevice | None:
    """The user's confirmed authenticator-app device, if enrolled."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


@transaction.atomic
def totp_enrolment_start(*, user: User) -> TOTPDevice:
    """An unconfirmed TOTP device to show as QR code; reused while enrolment is unfinished."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator-app", confirmed=False)
    return device


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Herstelcodes", confirmed=True)
    codes = []
    for _ in range(settings.KINDVEILIG_RECOVERY_CODE_COUNT):
        code = "-".join(secrets.token_hex(3) for _ in range(2))
        StaticToken.objects.create(device=device, token=code)
        codes.append(code)
    return codes


@transaction.atomic
def totp_enrolment_confirm(*, user: User, token: str) -> list[str] | None:
    """Confirm enrolment with a code from the app; return new recovery codes, or None."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None or not device.verify_token(token.replace(" ", "")):
        return None
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(
        actor=user,
        action=AuditAction.PERMISSION_CHANGE,
        object_type="totp_device",
        object_id=device.pk,
        detail="two-factor enrolled",
    )
    return _new_recovery_codes(user)


@transaction.atomic
def recovery_codes_regenerate(*, user: User) -> list[str]:
    codes = _new_recovery_codes(user)
    audit_record(
        actor=user,
        action=AuditAction.PERMISSION_CHANGE,
        object_type="static_device",
        detail="recovery codes regenerated",
    )
    return codes


def second_factor_verify(*, user: User, token: str) -> Device | None:
    """The device that accepts ``token`` (app code or unused recovery code), or None."""
    token = token.strip().replace(" ", "")
    totp = totp_device_for(user=user)
    if totp is not None and token.isdigit() and totp.verify_token(token):
        return totp
    static = StaticDevice.objects.filter(user=user, confirmed=True).first()
    if static is not None and static.verify_token(token.lower()):
        return static
    return None


@transaction.atomic
def logout_everywhere(*, user: User) -> None:
    """End every session of ``user`` (they all carry the old session generation)."""
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    audit_record(
        actor=user, action=AuditAction.LOGOUT, object_type="session", detail="logout everywhere"
    )


# --- Account administration (CLI) ---------------------------------------------------------

CLI_ACTOR = "kindveilig-cli"


def _record_account_change(user: User, detail: str) -> None:
    audit_record(
        actor=None,
        username=CLI_ACTOR,
        action=AuditAction.PERMISSION_CHANGE,
        object_type="user",
        object_id=user.pk,
        detail=detail,
    )


@transaction.atomic
def user_create(
    *,
    username: str,
    role: str,
    organisation_name: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
) -> tuple[User, str]:
    """Create an account with a one-time password; it enrols its second factor at first login."""
    from kindveilig.accounts.models import Organisation

    organisation, _created = Organisation.objects.get_or_create(name=organisation_name.strip())
    password = secrets.token_urlsafe(12)
    user = User(
        username=username.strip(),
        role=role,
        organisation=organisation,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email.strip(),
    )
    user.set_password(password)
    user.full_clean()
    user.save()
    _record_account_change(user, f"create role={role}")
    return user, password


@transaction.atomic
def user_deactivate(*, user: User) -> None:
    """Block the account and end its sessions; history and audit keep referring to it."""
    User.objects.filter(pk=user.pk).update(
        is_active=False, session_generation=F("session_generation") + 1
    )
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    _record_account_change(user, "deactivate")


@transaction.atomic
def two_factor_reset(*, user: User) -> None:
    """Remove the user's authenticator and recovery codes (lost phone): re-enrol at next login."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    _record_account_change(user, "two-factor reset")
