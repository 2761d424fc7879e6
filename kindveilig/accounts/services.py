"""Writes for accounts: sessions (log in and out), API tokens, two-factor enrolment and
verification, password change, and account administration. Each writes its audit event."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth import login, logout
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from kindveilig.accounts.models import ApiToken, Organisation, User
from kindveilig.audit import events
from kindveilig.audit.models import AuditObject
from kindveilig.core.errors import NotPermitted


def hash_api_token(raw_token: str) -> str:
    # Tokens carry 256 bits of randomness, so a plain SHA-256 is enough (no slow hash needed).
    return hashlib.sha256(raw_token.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user: User, by: User | None = None) -> str:
    """Create an API token for ``user`` and return the raw token (stored only as a hash).

    ``by`` is who asks for it: the user on their security page, or None for the command line.
    """
    raw_token = "kv_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, token_hash=hash_api_token(raw_token), prefix=raw_token[:8]
    )
    events.api_token_created(by=by, owner_id=user.pk, token_id=token.pk)
    return raw_token


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by: User | None = None) -> None:
    """Revoke one token now; requests carrying it are refused from the next one on."""
    updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if updated:
        events.api_token_revoked(by=by, owner_id=token.user_id, token_id=token.pk)


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
    events.second_factor_enrolled(user, device_id=device.pk)
    return _new_recovery_codes(user)


@transaction.atomic
def recovery_codes_regenerate(*, user: User) -> list[str]:
    codes = _new_recovery_codes(user)
    events.recovery_codes_regenerated(user)
    return codes


@transaction.atomic
def second_factor_verify(*, user: User, token: str) -> Device | None:
    """The device that accepts ``token`` (app code or unused recovery code), or None.

    A refused code is logged as a failed login.
    """
    token = token.strip().replace(" ", "")
    totp = totp_device_for(user=user)
    if totp is not None and token.isdigit() and totp.verify_token(token):
        return totp
    static = StaticDevice.objects.filter(user=user, confirmed=True).first()
    if static is not None and static.verify_token(token.lower()):
        return static
    events.login_failed(username=user.username, step="second factor")
    return None


# --- Refusals -----------------------------------------------------------------------------


@transaction.atomic
def refusal_record(*, actor: User | None, refusal: NotPermitted) -> None:
    """Log a service's refusal as a denied access (called where the refusal is answered)."""
    try:
        attempted = AuditObject(refusal.attempted)
    except ValueError:
        attempted = AuditObject.CASE
    events.access_denied(
        actor,
        object_type=attempted,
        object_id=refusal.case_id or "",
        case_id=refusal.case_id,
        reason=f"role {actor.role}" if actor else "role",
    )


# --- Sessions -----------------------------------------------------------------------------


@transaction.atomic
def session_start(*, request: HttpRequest, user: User, device: Device) -> None:
    """Log ``user`` in on this request after both steps (password and ``device``)."""
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    otp_login(request, device)
    events.login(user)


@transaction.atomic
def session_end(*, request: HttpRequest) -> None:
    """Log the current user out of this session."""
    user = request.user
    if isinstance(user, User):
        events.logout(user)
    logout(request)


def password_login_failed(*, username: str) -> None:
    """A wrong username or password was given (django-axes counts it for the lockout)."""
    events.login_failed(username=username[:150], step="password")


@transaction.atomic
def logout_everywhere(*, user: User) -> None:
    """End every session of ``user`` (they all carry the old session generation)."""
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    events.logout(user, everywhere=True)


@transaction.atomic
def password_change(*, user: User, new_password: str) -> None:
    """Set a new (already validated) password; the user's other sessions end with it."""
    user.set_password(new_password)
    user.save(update_fields=["password"])
    events.password_changed(user)


# --- Account administration (CLI) ---------------------------------------------------------


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
    events.account_changed(by=None, user_id=user.pk, change=f"create role={role}")
    return user, password


@transaction.atomic
def user_deactivate(*, user: User) -> None:
    """Block the account and end its sessions; history and audit keep referring to it."""
    User.objects.filter(pk=user.pk).update(
        is_active=False, session_generation=F("session_generation") + 1
    )
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    events.account_changed(by=None, user_id=user.pk, change="deactivate")


@transaction.atomic
def two_factor_reset(*, user: User) -> None:
    """Remove the user's authenticator and recovery codes (lost phone): re-enrol at next login."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    events.account_changed(by=None, user_id=user.pk, change="two-factor reset")
