"""Writes for accounts: sessions (log in and out), API tokens, two-factor enrolment and
verification, re-authentication, password change, and account administration. Each writes its
audit event."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from django.conf import settings
from django.contrib.auth import login, logout
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from kindveilig.accounts.http import client_address
from kindveilig.accounts.models import (
    ApiToken,
    FailedLogin,
    KnownAddress,
    Organisation,
    Role,
    Team,
    User,
)
from kindveilig.audit import events
from kindveilig.audit.models import AuditObject
from kindveilig.core.errors import NotPermitted
from kindveilig.core.prepared import Prepared


def hash_api_token(raw_token: str) -> str:
    # Tokens carry 256 bits of randomness, so a plain SHA-256 is enough (no slow hash needed).
    return hashlib.sha256(raw_token.encode()).hexdigest()


# A token's last use is written at most this often (unless its address changes), so that the
# API does not write to the database on every call.
API_TOKEN_USE_RESOLUTION = dt.timedelta(minutes=1)


@transaction.atomic
def api_token_create(*, user: User, by: User | None = None, name: str = "cli") -> str:
    """Create an API token for ``user`` and return the raw token (stored only as a hash).

    ``by`` is who asks for it: the user on their security page, or None for the command line.
    The token expires after ``KINDVEILIG_API_TOKEN_DAYS``. A blank name is a ValidationError.
    """
    raw_token = "kv_" + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name.strip(),
        token_hash=hash_api_token(raw_token),
        prefix=raw_token[:8],
        expires_at=timezone.now() + dt.timedelta(days=settings.KINDVEILIG_API_TOKEN_DAYS),
    )
    token.full_clean()
    token.save()
    events.api_token_created(by=by, owner_id=user.pk, token_id=token.pk)
    return raw_token


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by: User | None = None) -> None:
    """Revoke one token now; requests carrying it are refused from the next one on.

    ``by`` is the token's owner, a functional administrator, or None for the command line.
    """
    if by is not None and by.pk != token.user_id:
        _require_administrator(by)
    updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if updated:
        events.api_token_revoked(by=by, owner_id=token.user_id, token_id=token.pk)


def _api_tokens_revoke_all(*, user: User, by: User | None) -> None:
    """Revoke every token of ``user`` that still works, one audit event per token."""
    for token in ApiToken.objects.filter(
        user=user, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ):
        api_token_revoke(token=token, by=by)


def _client_address(raw: str | None) -> str | None:
    """``raw`` as the token stores it (IPv6 normalised), or None when it is no IP address."""
    field = ApiToken._meta.get_field("last_used_address")
    try:
        return field.clean(raw, None) if raw else None
    except ValidationError:
        return None


# Read on every API call, compiled once (core.prepared); a revoked or expired token is not
# found, so revocation still takes effect on the next call.
_LIVE_TOKEN = Prepared(
    lambda token_hash, now: ApiToken.objects.select_related("user", "user__organisation").filter(
        token_hash=token_hash, revoked_at__isnull=True, expires_at__gt=now
    )[:1],
    token_hash=str,
    now=dt.datetime,
)


def api_token_authenticate(*, raw_token: str, address: str | None = None) -> User | None:
    """The active user the token belongs to, or None for an unknown, expired or revoked token.

    ``address`` is the client's IP address. The first use and every use from another address
    than the last one is written and audited; otherwise the last use is written at most once
    per ``API_TOKEN_USE_RESOLUTION``.
    """
    now = timezone.now()
    token = _LIVE_TOKEN.first(token_hash=hash_api_token(raw_token), now=now)
    if token is None or not token.user.is_active:
        return None
    client = _client_address(address)
    if client is not None and client != token.last_used_address:
        _api_token_used_from_new_address(token=token, address=client, now=now)
    elif token.last_used_at is None or now - token.last_used_at >= API_TOKEN_USE_RESOLUTION:
        # Conditional, so that concurrent requests write once.
        ApiToken.objects.filter(pk=token.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - API_TOKEN_USE_RESOLUTION)
        ).update(last_used_at=now)
    return token.user


@transaction.atomic
def _api_token_used_from_new_address(*, token: ApiToken, address: str, now: dt.datetime) -> None:
    # Conditional, so that concurrent requests from the new address log it once.
    moved = (
        ApiToken.objects.filter(pk=token.pk)
        .exclude(last_used_address=address)
        .update(last_used_at=now, last_used_address=address)
    )
    if moved:
        events.api_token_used_from_new_address(token.user, token_id=token.pk, address=address)


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
    for _number in range(settings.KINDVEILIG_RECOVERY_CODE_COUNT):
        code = "-".join(secrets.token_hex(3) for _part in range(2))
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
def second_factor_verify(*, user: User, token: str, step: str = "second factor") -> Device | None:
    """The device that accepts ``token`` (app code or unused recovery code), or None.

    A refused code is logged as a failed login at ``step``.
    """
    token = token.strip().replace(" ", "")
    totp = totp_device_for(user=user)
    if totp is not None and token.isdigit() and totp.verify_token(token):
        return totp
    static = StaticDevice.objects.filter(user=user, confirmed=True).first()
    if static is not None and static.verify_token(token.lower()):
        return static
    events.login_failed(username=user.username, step=step)
    return None


REAUTHENTICATION_STEP = "reauthentication"


@transaction.atomic
def reauthenticate(*, user: User, password: str, code: str) -> bool:
    """Whether a logged-in ``user`` gave their password and a current second-factor code again
    (before a sensitive change of their account). A refusal is logged as a failed login at the
    step "reauthentication"; an accepted recovery code is used up. The code is only tried with
    the right password, so a wrong password does not use up a recovery code.
    """
    # The hasher's function, not User.check_password: that may re-hash the password, which
    # would end this very session.
    if not check_password(password, user.password):
        events.login_failed(username=user.username, step=REAUTHENTICATION_STEP)
        return False
    return second_factor_verify(user=user, token=code, step=REAUTHENTICATION_STEP) is not None


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
    login(request, user, backend="kindveilig.accounts.backends.UserWithOrganisationBackend")
    otp_login(request, device)
    _address_known(user=user, address=client_address(request))
    events.login(user)


def session_devices_replaced(*, request: HttpRequest, user: User) -> None:
    """Keep this session verified after ``user`` replaced the device that verified it (a new
    authenticator app or new recovery codes delete the old ones): it is bound to the user's
    authenticator app (or, without one, to the recovery codes)."""
    device: Device | None = totp_device_for(user=user)
    if device is None:
        device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        otp_login(request, device)


@transaction.atomic
def session_end(*, request: HttpRequest) -> None:
    """Log the current user out of this session."""
    user = request.user
    if isinstance(user, User):
        events.logout(user)
    logout(request)


# --- Login throttling ----------------------------------------------------------------------


def _username_hash(username: str) -> str:
    """A keyed hash of a typed username: countable, not readable (it may be a password)."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, username.strip().casefold().encode(), hashlib.sha256).hexdigest()


def _recent_failures(**lookup: str) -> int:
    since = timezone.now() - settings.KINDVEILIG_LOGIN_WINDOW
    return FailedLogin.objects.filter(at__gte=since, **lookup).count()


def login_refusal(*, username: str, address: str) -> str | None:
    """Why a password step from ``address`` for ``username`` is refused now, or None.

    "address": too many failed passwords from this address (any usernames). "username": too
    many for this username, and its user never completed a login from this address.
    """
    if _recent_failures(address=address) >= settings.KINDVEILIG_LOGIN_FAILURES_PER_ADDRESS:
        return "address"
    failures = _recent_failures(username_hash=_username_hash(username))
    if failures >= settings.KINDVEILIG_LOGIN_FAILURES_PER_USERNAME:
        known = KnownAddress.objects.filter(
            user__username=username.strip(), address=address
        ).exists()
        if not known:
            return "username"
    return None


@transaction.atomic
def password_login_failed(*, username: str, address: str) -> None:
    """A wrong username or password from ``address``: counted for the throttle. A failure for
    an existing account is logged; failures for unknown usernames only add to the count, and
    reaching a limit is logged once."""
    username = username.strip()[:150]
    FailedLogin.objects.filter(
        at__lt=timezone.now() - 4 * settings.KINDVEILIG_LOGIN_WINDOW
    ).delete()
    FailedLogin.objects.create(username_hash=_username_hash(username), address=address)
    account = User.objects.filter(username=username).exists()
    if account:
        events.login_failed(username=username, step="password")
    by_address = _recent_failures(address=address)
    if by_address == settings.KINDVEILIG_LOGIN_FAILURES_PER_ADDRESS:
        events.login_throttled(username="", address=address, scope="address", failures=by_address)
    by_username = _recent_failures(username_hash=_username_hash(username))
    if by_username == settings.KINDVEILIG_LOGIN_FAILURES_PER_USERNAME:
        events.login_throttled(
            username=username if account else "",
            address=address,
            scope="username",
            failures=by_username,
        )


def _address_known(*, user: User, address: str) -> None:
    """A completed login makes ``address`` known for ``user`` and clears its failures there."""
    KnownAddress.objects.update_or_create(
        user=user, address=address, defaults={"last_seen": timezone.now()}
    )
    FailedLogin.objects.filter(
        username_hash=_username_hash(user.username), address=address
    ).delete()


def one_time_password_expired(user: User) -> bool:
    expires_at = user.password_expires_at
    return expires_at is not None and expires_at <= timezone.now()


@transaction.atomic
def password_step_allowed(*, user: User) -> bool:
    """Whether ``user``, who gave the right password, may go on to the second factor: not when
    it is a one-time password that has expired (logged as a failed login)."""
    if one_time_password_expired(user):
        events.login_failed(username=user.username, step="expired one-time password")
        return False
    return True


@transaction.atomic
def logout_everywhere(*, user: User) -> None:
    """End every session of ``user`` (they all carry the old session generation) and revoke
    their API tokens."""
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    events.logout(user, everywhere=True)
    _api_tokens_revoke_all(user=user, by=user)


@transaction.atomic
def password_change(*, user: User, new_password: str) -> None:
    """Set a new (already validated) password of the user's own choosing; the user's other
    sessions end with it and their API tokens are revoked."""
    user.set_password(new_password)
    user.password_expires_at = None
    user.must_change_password = False
    user.save(update_fields=["password", "password_expires_at", "must_change_password"])
    events.password_changed(user)
    _api_tokens_revoke_all(user=user, by=user)


# --- Account administration (the administrator's pages and the command line) -------------
#
# ``by`` is the functional administrator acting in the web UI, or None for the command line
# (an administrator at the server). Anyone else is refused: these change who may log in.


def _require_administrator(by: User | None) -> None:
    if by is not None and by.role != Role.ADMIN:
        raise NotPermitted(
            _("Only a functional administrator manages accounts and organisations."),
            attempted=AuditObject.USER,
        )


@transaction.atomic
def organisation_create(*, by: User | None, name: str) -> Organisation:
    """Add an organisation; a blank or existing name is a ValidationError."""
    _require_administrator(by)
    organisation = Organisation(name=name.strip())
    organisation.full_clean()
    organisation.save()
    events.organisation_created(by=by, organisation_id=organisation.pk)
    return organisation


@transaction.atomic
def user_create(
    *,
    username: str,
    role: str,
    organisation_name: str = "",
    organisation: Organisation | None = None,
    team: Team | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    by: User | None = None,
) -> tuple[User, str]:
    """Create an account with a one-time password; it enrols its second factor at first login
    and then chooses its own password. The organisation is ``organisation``, or the one named
    ``organisation_name`` (made when it does not exist: the command line); a team must belong
    to it."""
    _require_administrator(by)
    if organisation is None:
        if not organisation_name.strip():
            raise ValidationError({"organisation": _("Choose an organisation.")})
        organisation, created = Organisation.objects.get_or_create(name=organisation_name.strip())
        if created:
            events.organisation_created(by=by, organisation_id=organisation.pk)
    if team is not None and team.organisation_id != organisation.pk:
        raise ValidationError({"team": _("This team belongs to another organisation.")})
    user = User(
        username=username.strip(),
        role=role,
        organisation=organisation,
        team=team,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email.strip(),
    )
    password = _set_one_time_password(user)
    user.full_clean()
    user.save()
    events.account_changed(by=by, user_id=user.pk, change=f"create role={role}")
    return user, password


def _set_one_time_password(user: User) -> str:
    """Give ``user`` (unsaved) a new one-time password: it expires after
    ``KINDVEILIG_ONE_TIME_PASSWORD_HOURS`` and must be replaced at the first login."""
    password = secrets.token_urlsafe(12)
    user.set_password(password)
    hours = settings.KINDVEILIG_ONE_TIME_PASSWORD_HOURS
    user.password_expires_at = timezone.now() + dt.timedelta(hours=hours)
    user.must_change_password = True
    return password


@transaction.atomic
def user_password_reset(*, user: User) -> str:
    """Replace the password by a new one-time password and return it (forgotten password).

    The old password stops working, so do the user's sessions (the session hash changes with
    the password) and API tokens. The second factor stays: the user logs in with the one-time
    password and their authenticator, then chooses a new password.

    Command line only: an administrator in the web UI who could both reset the password and
    the second factor would hold everything needed to log in as the user (and see their cases).
    """
    password = _set_one_time_password(user)
    user.save(update_fields=["password", "password_expires_at", "must_change_password"])
    events.account_changed(by=None, user_id=user.pk, change="password reset")
    _api_tokens_revoke_all(user=user, by=None)
    return password


@transaction.atomic
def user_deactivate(*, user: User, by: User | None = None) -> None:
    """Block the account, end its sessions and revoke its API tokens; history and audit keep
    referring to it. An administrator cannot block their own account (nobody would be left to
    undo it); a blocked account is a ValidationError."""
    _require_administrator(by)
    if by is not None and by.pk == user.pk:
        raise ValidationError(_("You cannot block your own account."))
    blocked = User.objects.filter(pk=user.pk, is_active=True).update(
        is_active=False, session_generation=F("session_generation") + 1
    )
    if not blocked:
        raise ValidationError(_("This account is already blocked."))
    user.is_active = False
    events.account_changed(by=by, user_id=user.pk, change="deactivate")
    _api_tokens_revoke_all(user=user, by=by)


@transaction.atomic
def user_reactivate(*, user: User, by: User | None = None) -> None:
    """Let a blocked account log in again (with its password and second factor; its API
    tokens stay revoked). An active account is a ValidationError."""
    _require_administrator(by)
    unblocked = User.objects.filter(pk=user.pk, is_active=False).update(is_active=True)
    if not unblocked:
        raise ValidationError(_("This account is not blocked."))
    user.is_active = True
    events.account_changed(by=by, user_id=user.pk, change="reactivate")


@transaction.atomic
def two_factor_reset(*, user: User, by: User | None = None) -> None:
    """Remove the user's authenticator and recovery codes (lost phone): re-enrol at next login.
    The user's sessions end."""
    _require_administrator(by)
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    events.account_changed(by=by, user_id=user.pk, change="two-factor reset")
