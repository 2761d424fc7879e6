"""Login in two steps (password, then authenticator code or recovery code), enrolment of the
second factor, and the account's security page."""

from __future__ import annotations

import base64
import time

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.contrib.auth.views import LoginView, PasswordChangeView
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice

from kindveilig.accounts import services
from kindveilig.accounts.http import acting_user
from kindveilig.accounts.models import User

PENDING_USER = "kv_pending_user_id"
PENDING_SINCE = "kv_pending_since"
PENDING_NEXT = "kv_pending_next"
# The password step is valid for a few minutes; after that the password is asked again.
PENDING_SECONDS = 300


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class PasswordLoginView(LoginView):
    """Step 1: username and password. Nobody is logged in before the second factor."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: forms.Form) -> HttpResponse:
        user = form.get_user()  # type: ignore[attr-defined]
        self.request.session.cycle_key()
        self.request.session[PENDING_USER] = user.pk
        self.request.session[PENDING_SINCE] = time.time()
        self.request.session[PENDING_NEXT] = self.get_redirect_url()
        if services.totp_device_for(user=user) is None:
            return redirect("accounts:enrol")
        return redirect("accounts:second_factor")

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        username = form.cleaned_data.get("username")
        if username and form.cleaned_data.get("password"):
            services.password_login_failed(username=username)
        return super().form_invalid(form)


def _pending_user(request: HttpRequest) -> User | None:
    user_id = request.session.get(PENDING_USER)
    since = request.session.get(PENDING_SINCE, 0)
    if user_id is None or time.time() - float(since) > PENDING_SECONDS:
        return None
    return User.objects.filter(pk=user_id, is_active=True).first()


def _finish_login(request: HttpRequest, user: User, device: Device) -> HttpResponseRedirect:
    next_url = request.session.get(PENDING_NEXT) or ""
    for key in (PENDING_USER, PENDING_SINCE, PENDING_NEXT):
        request.session.pop(key, None)
    services.session_start(request=request, user=user, device=device)
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    return redirect(next_url or reverse("cases:my_cases"))


def second_factor(request: HttpRequest) -> HttpResponse:
    """Step 2: a code from the authenticator app, or one of the recovery codes."""
    user = _pending_user(request)
    if user is None:
        messages.info(request, _("Please log in again."))
        return redirect("accounts:login")
    if services.totp_device_for(user=user) is None:
        return redirect("accounts:enrol")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = services.second_factor_verify(user=user, token=form.cleaned_data["code"])
        if device is not None:
            return _finish_login(request, user, device)
        form.add_error("code", _("This code is not correct or has expired. Try the next code."))
    return render(request, "accounts/second_factor.html", {"form": form})


def _qr_data_uri(device: TOTPDevice) -> str:
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    return "data:image/svg+xml;base64," + base64.b64encode(image.to_string()).decode()


def _base32_secret(device: TOTPDevice) -> str:
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def enrol(request: HttpRequest) -> HttpResponse:
    """Enrol the second factor: scan the QR code, confirm with a code, get recovery codes.

    Reached after the password step by a user without a confirmed device, or by a logged-in
    user who replaces the authenticator app.
    """
    user = request.user if request.user.is_authenticated else _pending_user(request)
    if not isinstance(user, User):
        return redirect("accounts:login")
    if not request.user.is_authenticated and services.totp_device_for(user=user) is not None:
        # Someone who only knows the password must not replace the existing second factor.
        return redirect("accounts:second_factor")
    device = services.totp_enrolment_start(user=user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = services.totp_enrolment_confirm(user=user, token=form.cleaned_data["code"])
        if codes is not None:
            confirmed = services.totp_device_for(user=user)
            if not request.user.is_authenticated and confirmed is not None:
                _finish_login(request, user, confirmed)
            return render(request, "accounts/recovery_codes.html", {"codes": codes})
        form.add_error("code", _("This code is not correct. Check the time on your phone."))
    context = {"form": form, "qr": _qr_data_uri(device), "secret": _base32_secret(device)}
    return render(request, "accounts/enrol.html", context)


@login_required
def security(request: HttpRequest) -> HttpResponse:
    context = {"idle_minutes": settings.KINDVEILIG_IDLE_TIMEOUT_MINUTES}
    return render(request, "accounts/security.html", context)


@login_required
@require_POST
def regenerate_recovery_codes(request: HttpRequest) -> HttpResponse:
    codes = services.recovery_codes_regenerate(user=acting_user(request))
    return render(request, "accounts/recovery_codes.html", {"codes": codes})


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    services.session_end(request=request)
    return redirect(settings.LOGOUT_REDIRECT_URL)


@login_required
@require_POST
def logout_everywhere(request: HttpRequest) -> HttpResponse:
    services.logout_everywhere(user=acting_user(request))
    request.session.flush()
    messages.success(request, _("You have been logged out on all devices."))
    return redirect("accounts:login")


class PasswordChange(PasswordChangeView):
    """Change the password; other sessions end (the session hash changes), this one stays."""

    template_name = "accounts/password_change.html"

    def get_success_url(self) -> str:
        return reverse("accounts:security")

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        user = acting_user(self.request)
        services.password_change(user=user, new_password=form.cleaned_data["new_password1"])
        update_session_auth_hash(self.request, user)
        messages.success(self.request, _("Your password has been changed."))
        return redirect(self.get_success_url())
