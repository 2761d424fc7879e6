from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.contrib.sessions.backends.base import SessionBase
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="team_unique_per_org")
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    """Organisation-wide roles of PRODUCT §1. Coordinator is a role per case (CaseMember)."""

    PROFESSIONAL = "professional", _("Case worker")
    BEHAVIOURAL_SCIENTIST = "behavioural_scientist", _("Behavioural scientist")
    TEAM_LEAD = "team_lead", _("Team lead")
    ADMIN = "admin", _("Functional administrator")
    AUDITOR = "auditor", _("Privacy officer / auditor")


class User(AbstractUser):
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="users",
        null=True,
        blank=True,
        verbose_name=_("organisation"),
    )
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("team")
    )
    role = models.CharField(
        _("role"), max_length=32, choices=Role.choices, default=Role.PROFESSIONAL
    )
    # Raised by "log out everywhere": every session made before carries the old value in its
    # auth hash, so Django ends it at its next request.
    session_generation = models.PositiveIntegerField(default=0)
    # A one-time password (set by ``kindveilig user create`` or ``reset-password``) stops working
    # at this moment; None for a password the user chose.
    password_expires_at = models.DateTimeField(_("password expires at"), null=True, blank=True)
    # Until the user chooses their own password, a complete login leads only to the password
    # change page (PasswordChangeRequiredMiddleware).
    must_change_password = models.BooleanField(_("must change password"), default=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_session_auth_hash(self) -> str:
        from django.utils.crypto import salted_hmac

        return salted_hmac(
            "kindveilig.accounts.User.get_session_auth_hash",
            f"{self.password}:{self.session_generation}",
            algorithm="sha256",
        ).hexdigest()


class ApiTokenStatus(models.TextChoices):
    """Whether a token still opens the API (derived from its dates, not stored)."""

    ACTIVE = "active", _("Active")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")


class ApiToken(models.Model):
    """A Bearer token for the JSON API. Only a hash is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(
        _("name"), max_length=100, help_text=_("What the token is for, e.g. the application")
    )
    token_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8, help_text=_("First characters, to recognise a token"))
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    # Written at most once a minute, and whenever the client's address changes.
    last_used_at = models.DateTimeField(null=True, blank=True)
    last_used_address = models.GenericIPAddressField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}…"

    @property
    def status(self) -> ApiTokenStatus:
        if self.revoked_at is not None:
            return ApiTokenStatus.REVOKED
        if self.expires_at <= timezone.now():
            return ApiTokenStatus.EXPIRED
        return ApiTokenStatus.ACTIVE


class FailedLogin(models.Model):
    """A failed password step, counted for login throttling (per address, per username).

    The username is kept as a keyed hash only: people type passwords into the username field,
    and the attempts of unknown usernames must be countable without being readable.
    """

    username_hash = models.CharField(max_length=64, db_index=True)
    address = models.GenericIPAddressField(db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("failed login")
        verbose_name_plural = _("failed logins")

    def __str__(self) -> str:
        return f"failed login {self.at:%Y-%m-%d %H:%M}"


class KnownAddress(models.Model):
    """An address from which a user completed a login (both factors): a username lock does not
    keep the user out from here, so an attacker cannot lock a colleague out of her own desk."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="known_addresses")
    address = models.GenericIPAddressField()
    last_seen = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("known address")
        verbose_name_plural = _("known addresses")
        constraints = [
            models.UniqueConstraint(fields=["user", "address"], name="known_address_once")
        ]

    def __str__(self) -> str:
        return f"known address of {self.user_id}"


class LoginSession(AbstractBaseSession):
    """A browser's session (Django's database session) that also names, in columns, the user
    and the authenticator app its signed data is logged in with, so that the read every request
    makes can bring the user, their organisation and the app along in one statement
    (``accounts.sessions``).

    The columns are a lookup aid, never trusted: the signed session data stays the authority,
    and a row whose columns disagree with it is read as Django reads any session (the user and
    the app in statements of their own). The app may be deleted while its id is still here
    (replaced, or the second factor reset); the join then finds nothing and the session is not
    verified, as before."""

    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    device = models.ForeignKey(
        TOTPDevice,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )

    @classmethod
    def get_session_store_class(cls) -> type[SessionBase]:
        from kindveilig.accounts.sessions import SessionStore

        return SessionStore
