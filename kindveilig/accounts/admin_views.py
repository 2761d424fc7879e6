"""The functional administrator's pages (role admin only; anyone else gets 404): accounts and
organisations. Every change asks for a recent re-authentication (password and code again) and
is audited by its service. The administrator never sees case data here: accounts, their second
factor and API tokens, organisations.

What the command line can do and these pages deliberately cannot: reset a password. An
administrator who could reset both the password and the second factor of an account would hold
everything needed to log in as that user and open their cases.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from kindveilig.accounts import selectors, services
from kindveilig.accounts.http import acting_user
from kindveilig.accounts.models import Organisation, Role, Team, User
from kindveilig.accounts.views import reauthentication_required_then
from kindveilig.core.forms import add_validation_errors

ACCOUNTS_PER_PAGE = 50


def admin_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if getattr(request.user, "role", None) != Role.ADMIN:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _back_to_account(**kwargs: Any) -> str:
    return reverse("administration:account_detail", kwargs={"user_id": kwargs["user_id"]})


def _back_to(name: str) -> Callable[..., str]:
    return lambda **kwargs: reverse(name)


def _account(user_id: int) -> User:
    account = selectors.account(user_id=user_id)
    if account is None:
        raise Http404
    return account


class TeamChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Team) -> str:
        return f"{obj.organisation} – {obj.name}"


class AccountFilterForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Organisation"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        empty_label="—",
    )
    role = forms.ChoiceField(
        label=gettext_lazy("Role"), required=False, choices=[("", "—"), *Role.choices]
    )


class AccountCreateForm(forms.Form):
    username = forms.CharField(
        label=gettext_lazy("Username"),
        max_length=150,
        help_text=gettext_lazy("What the user types to log in."),
    )
    first_name = forms.CharField(label=gettext_lazy("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=gettext_lazy("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=gettext_lazy("E-mail"), required=False)
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=Role.choices)
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Organisation"), queryset=Organisation.objects.order_by("name")
    )
    team = TeamChoiceField(
        label=gettext_lazy("Team"),
        queryset=Team.objects.none(),
        required=False,
        help_text=gettext_lazy("A team of the same organisation."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        team_field = self.fields["team"]
        assert isinstance(team_field, TeamChoiceField)
        team_field.queryset = selectors.teams()


class OrganisationForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)


@admin_required
def accounts(request: HttpRequest) -> HttpResponse:
    """Every account, by organisation, filtered by organisation and role (ids and codes in the
    URL only), 50 to a page."""
    form = AccountFilterForm(request.GET or None)
    organisation: Organisation | None = None
    role = ""
    if form.is_bound and form.is_valid():
        organisation = form.cleaned_data["organisation"]
        role = form.cleaned_data["role"]
    found = selectors.accounts(organisation_id=organisation.pk if organisation else None, role=role)
    page = Paginator(found, ACCOUNTS_PER_PAGE).get_page(request.GET.get("page"))
    params = {"organisation": organisation.pk if organisation else "", "role": role}
    query = urlencode({key: value for key, value in params.items() if value})
    context = {"form": form, "page": page, "query": query}
    return render(request, "accounts/admin/accounts.html", context)


@never_cache  # the answer to a valid form shows the one-time password
@admin_required
@reauthentication_required_then(_back_to("administration:account_create"))
def account_create(request: HttpRequest) -> HttpResponse:
    """A new account with a one-time password, shown once: the user enrols the second factor
    at the first login and then chooses a password (as ``kindveilig user create``)."""
    form = AccountCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account, password = services.user_create(by=acting_user(request), **form.cleaned_data)
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            context = {"account": account, "password": password}
            return render(request, "accounts/admin/account_created.html", context)
    return render(request, "accounts/admin/account_create.html", {"form": form})


@admin_required
def account_detail(request: HttpRequest, user_id: int) -> HttpResponse:
    account = _account(user_id)
    context = {"account": account, "api_tokens": selectors.api_tokens_of(user=account)}
    return render(request, "accounts/admin/account_detail.html", context)


def _change(
    request: HttpRequest, user_id: int, change: Callable[..., None], done: str
) -> HttpResponse:
    try:
        change(user=_account(user_id), by=acting_user(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect("administration:account_detail", user_id=user_id)


@admin_required
@require_POST
@reauthentication_required_then(_back_to_account)
def account_deactivate(request: HttpRequest, user_id: int) -> HttpResponse:
    done = _("The account has been blocked; its sessions and API tokens have ended.")
    return _change(request, user_id, services.user_deactivate, done)


@admin_required
@require_POST
@reauthentication_required_then(_back_to_account)
def account_reactivate(request: HttpRequest, user_id: int) -> HttpResponse:
    done = _("The account can log in again.")
    return _change(request, user_id, services.user_reactivate, done)


@admin_required
@require_POST
@reauthentication_required_then(_back_to_account)
def account_reset_second_factor(request: HttpRequest, user_id: int) -> HttpResponse:
    done = _(
        "The authenticator app and recovery codes have been removed. At the next login the "
        "user sets up two-step verification again."
    )
    return _change(request, user_id, services.two_factor_reset, done)


@admin_required
@require_POST
@reauthentication_required_then(_back_to_account)
def account_token_revoke(request: HttpRequest, user_id: int, token_id: int) -> HttpResponse:
    """Revoke one API token of the account (a token of another account is a 404)."""
    account = _account(user_id)
    token = selectors.api_tokens_of(user=account).filter(pk=token_id).first()
    if token is None:
        raise Http404
    services.api_token_revoke(token=token, by=acting_user(request))
    messages.success(request, _("The API token has been revoked."))
    return redirect("administration:account_detail", user_id=user_id)


def _organisations_page(request: HttpRequest, form: OrganisationForm) -> HttpResponse:
    context = {"organisations": selectors.organisations(), "form": form}
    return render(request, "accounts/admin/organisations.html", context)


@admin_required
def organisations(request: HttpRequest) -> HttpResponse:
    return _organisations_page(request, OrganisationForm())


@admin_required
@require_POST
@reauthentication_required_then(_back_to("administration:organisations"))
def organisation_create(request: HttpRequest) -> HttpResponse:
    form = OrganisationForm(request.POST)
    if form.is_valid():
        try:
            services.organisation_create(by=acting_user(request), name=form.cleaned_data["name"])
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, _("The organisation has been added."))
            return redirect("administration:organisations")
    return _organisations_page(request, form)
