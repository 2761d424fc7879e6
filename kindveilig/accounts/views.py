"""Login in two steps (password, then authenticator code or recovery code), enrolment of the
second factor, re-authentication before sensitive changes, and the account's security page
(password, second factor, API tokens, sessions)."""

from __future__ import annotations

import base64
import functools
import time
from collections.abc import Callable
from typing import Any

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.contrib.auth.views import LoginView, PasswordChangeView
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice

from kindveilig.accounts import selectors, services
from kindveilig.accounts.http import acting_user, client_address
from kindveilig.accounts.models import User

PENDING_USER = "kv_pending_user_id"
PENDING_SINCE = "kv_pending_since"
PENDING_NEXT = "kv_pending_next"
# The password step is valid for a few minutes; after that the password is asked again.
PENDING_SECONDS = 300

# A re-authentication (password and code again) allows sensitive changes for a few minutes.
REAUTHENTICATED_AT = "kv_reauthenticated_at"
REAUTHENTICATION_SECONDS = 300
# Failed re-authentications in one session; at the limit the session ends.
REAUTHENTICATION_FAILURES = "kv_reauthentication_failures"
REAUTHENTICATION_MAX_FAILURES = 5


def _code_field(*, with_help: bool = False, autofocus: bool = False) -> forms.CharField:
    help_text = gettext_lazy(
        "The 6-digit code from your authenticator app, or one of your recovery codes."
    )
    attrs = {"autocomplete": "one-time-code", "inputmode": "numeric"}
    if autofocus:
        attrs["autofocus"] = "autofocus"
    return forms.CharField(
        label=gettext_lazy("Code"),
        max_length=20,
        help_text=help_text if with_help else "",
        widget=forms.TextInput(attrs=attrs),
    )


class CodeForm(forms.Form):
    # The only field of the code pages: the cursor is in it when the page opens.
    code = _code_field(autofocus=True)


class ReauthenticationForm(forms.Form):
    password = forms.CharField(
        label=gettext_lazy("Password"),
        strip=False,
        widget=forms.PasswordInput(
            attrs={"autocomplete": "current-password", "autofocus": "autofocus"}
        ),
    )
    code = _code_field(with_help=True)


class PasswordLoginView(LoginView):
    """Step 1: username and password. Nobody is logged in before the second factor."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        if not services.password_step_allowed(user=user):
            form.add_error(
                None,
                _(
                    "Your one-time password has expired. Ask your functional administrator "
                    "for a new one."
                ),
            )
            # Not self.form_invalid: that would log a wrong password as well.
            return super().form_invalid(form)
        self.request.session.cycle_key()
        self.request.session[PENDING_USER] = user.pk
        self.request.session[PENDING_SINCE] = time.time()
        self.request.session[PENDING_NEXT] = self.get_redirect_url()
        if services.totp_device_for(user=user) is None:
            return redirect("accounts:enrol")
        return redirect("accounts:second_factor")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # Throttled before the password is even checked, so a locked login reveals nothing.
        refusal = services.login_refusal(
            username=str(request.POST.get("username", ""))[:150], address=client_address(request)
        )
        if refusal is not None:
            context = {"reason": refusal, "minutes": _window_minutes()}
            return render(request, "accounts/locked_out.html", context, status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        username = form.cleaned_data.get("username")
        if username and form.cleaned_data.get("password"):
            services.password_login_failed(username=username, address=client_address(self.request))
        return super().form_invalid(form)


def _window_minutes() -> int:
    return int(settings.KINDVEILIG_LOGIN_WINDOW.total_seconds() // 60)


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


# --- Re-authentication before sensitive changes -------------------------------------------


def _recently_reauthenticated(request: HttpRequest) -> bool:
    since = request.session.get(REAUTHENTICATED_AT)
    return since is not None and 0 <= time.time() - float(since) <= REAUTHENTICATION_SECONDS


def _ask_reauthentication(
    request: HttpRequest, after_post: str | None = None
) -> HttpResponseRedirect:
    """To the re-authentication page, coming back to this page (or, after a POST, to
    ``after_post``, by default the security page, where the user repeats the action)."""
    if request.method == "GET":
        back = request.get_full_path()
    else:
        back = after_post or reverse("accounts:security")
        messages.info(request, _("For your safety, first confirm that it is you. Then try again."))
    return redirect(reverse("accounts:reauthenticate") + "?" + urlencode({"next": back}))


View = Callable[..., HttpResponse]


def reauthentication_required_then(back: Callable[..., str]) -> Callable[[View], View]:
    """The view runs only shortly after the user gave their password and a code again; a
    refused POST comes back, after confirming, to ``back(**the view's URL arguments)``: the
    page where the user repeats the action."""

    def decorator(view: View) -> View:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not _recently_reauthenticated(request):
                return _ask_reauthentication(request, back(**kwargs))
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


reauthentication_required = reauthentication_required_then(
    lambda **kwargs: reverse("accounts:security")
)


def _reauthentication_failed(request: HttpRequest, form: forms.Form) -> HttpResponse | None:
    """Count a failed re-authentication: the form gets an error, or, at the limit, the
    session ends (the answer is then the redirect to the login page)."""
    failures = int(request.session.get(REAUTHENTICATION_FAILURES, 0)) + 1
    if failures >= REAUTHENTICATION_MAX_FAILURES:
        services.session_end(request=request)
        messages.error(request, _("Too many failed attempts. You have been logged out."))
        return redirect("accounts:login")
    request.session[REAUTHENTICATION_FAILURES] = failures
    # One message for both: it does not tell which of the two was wrong.
    form.add_error(None, _("The password or the code is not correct."))
    return None


def _safe_next(request: HttpRequest) -> str:
    next_url = request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return reverse("accounts:security")


@sensitive_post_parameters("password", "code")
@login_required
def reauthenticate(request: HttpRequest) -> HttpResponse:
    """Password and a current code again, before a sensitive change (new authenticator app,
    new recovery codes, a new API token)."""
    user = acting_user(request)
    form = ReauthenticationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if services.reauthenticate(user=user, password=data["password"], code=data["code"]):
            request.session[REAUTHENTICATED_AT] = time.time()
            request.session.pop(REAUTHENTICATION_FAILURES, None)
            return redirect(_safe_next(request))
        ended = _reauthentication_failed(request, form)
        if ended is not None:
            return ended
    return render(request, "accounts/reauthenticate.html", {"form": form})


# --- Enrolment of the second factor -------------------------------------------------------


@never_cache  # the page shows the new secret, and then the recovery codes
def enrol(request: HttpRequest) -> HttpResponse:
    """Enrol the second factor: scan the QR code, confirm with a code, get recovery codes.

    Reached after the password step by a user without a confirmed device, or by a logged-in
    user who replaces the authenticator app: they must have re-authenticated just before.
    """
    user: User | None
    if request.user.is_authenticated:
        if not _recently_reauthenticated(request):
            # Someone with only the session (an unlocked computer) must not replace it.
            return _ask_reauthentication(request)
        user = acting_user(request)
    else:
        user = _pending_user(request)
        if user is None:
            return redirect("accounts:login")
        if services.totp_device_for(user=user) is not None:
            # Someone who only knows the password must not replace the existing second factor.
            return redirect("accounts:second_factor")
    device = services.totp_enrolment_start(user=user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = services.totp_enrolment_confirm(user=user, token=form.cleaned_data["code"])
        if codes is not None:
            confirmed = services.totp_device_for(user=user)
            if request.user.is_authenticated:
                services.session_devices_replaced(request=request, user=user)
            elif confirmed is not None:
                _finish_login(request, user, confirmed)
            return render(request, "accounts/recovery_codes.html", {"codes": codes})
        form.add_error("code", _("This code is not correct. Check the time on your phone."))
    context = {"form": form, "qr": _qr_data_uri(device), "secret": _base32_secret(device)}
    return render(request, "accounts/enrol.html", context)


# --- The security page --------------------------------------------------------------------


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy("What the token is for, for example the application that uses it."),
    )


def _security_page(request: HttpRequest, token_form: ApiTokenForm) -> HttpResponse:
    context = {
        "idle_minutes": settings.KINDVEILIG_IDLE_TIMEOUT_MINUTES,
        "api_tokens": selectors.api_tokens_of(user=acting_user(request)),
        "api_token_days": settings.KINDVEILIG_API_TOKEN_DAYS,
        "form": token_form,
    }
    return render(request, "accounts/security.html", context)


@login_required
def security(request: HttpRequest) -> HttpResponse:
    return _security_page(request, ApiTokenForm())


@never_cache
@login_required
@require_POST
@reauthentication_required
def regenerate_recovery_codes(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    codes = services.recovery_codes_regenerate(user=user)
    services.session_devices_replaced(request=request, user=user)
    return render(request, "accounts/recovery_codes.html", {"codes": codes})


@never_cache
@login_required
@require_POST
@reauthentication_required
def api_token_create(request: HttpRequest) -> HttpResponse:
    """A new API token of the user's own; the token is shown on this page only."""
    user = acting_user(request)
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        return _security_page(request, form)
    try:
        raw_token = services.api_token_create(user=user, by=user, name=form.cleaned_data["name"])
    except ValidationError as error:
        form.add_error(None, error)
        return _security_page(request, form)
    token = selectors.api_token_by_raw(user=user, raw_token=raw_token)
    return render(request, "accounts/api_token_created.html", {"raw": raw_token, "token": token})


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    """Revoke one of the user's own tokens (another user's token is a 404)."""
    user = acting_user(request)
    token = selectors.api_tokens_of(user=user).filter(pk=token_id).first()
    if token is None:
        raise Http404
    services.api_token_revoke(token=token, by=user)
    messages.success(request, _("The API token has been revoked."))
    return redirect("accounts:security")


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


class PasswordChangeWithCodeForm(PasswordChangeForm):
    """The current password and a current second-factor code, then the new password twice.

    The current password is checked together with the code (``services.reauthenticate``, which
    logs a failure), after the new password passed its own checks.
    """

    code = _code_field(with_help=True)
    field_order = ["old_password", "code", "new_password1", "new_password2"]

    def clean_old_password(self) -> str:
        return str(self.cleaned_data["old_password"])


class PasswordChange(PasswordChangeView):
    """Change the password (current password and a code again); other sessions end (the
    session hash changes), this one stays."""

    template_name = "accounts/password_change.html"
    form_class = PasswordChangeWithCodeForm

    def get_success_url(self) -> str:
        return reverse("accounts:security")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["must_change"] = acting_user(self.request).must_change_password
        return context

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        user = acting_user(self.request)
        data = form.cleaned_data
        if not services.reauthenticate(user=user, password=data["old_password"], code=data["code"]):
            ended = _reauthentication_failed(self.request, form)
            return ended or self.form_invalid(form)
        self.request.session.pop(REAUTHENTICATION_FAILURES, None)
        if data["new_password1"] == data["old_password"]:
            form.add_error(
                "new_password1", _("Choose a password that differs from the current one.")
            )
            return self.form_invalid(form)
        services.password_change(user=user, new_password=data["new_password1"])
        update_session_auth_hash(self.request, user)
        messages.success(self.request, _("Your password has been changed."))
        return redirect(self.get_success_url())
