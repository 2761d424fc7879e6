"""Auditor pages (role auditor only; anyone else gets 404): the audit log per client, user or
case, filterable by period, and the report of emergency (break-the-glass) accesses."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from kindveilig.accounts.http import acting_user
from kindveilig.accounts.models import Role
from kindveilig.audit.models import AuditAction
from kindveilig.oversight import selectors, services


def auditor_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if getattr(request.user, "role", None) != Role.AUDITOR:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


class AuditFilterForm(forms.Form):
    username = forms.CharField(label=_("User (username)"), required=False, max_length=150)
    client_id = forms.IntegerField(label=_("Client (person number)"), required=False, min_value=1)
    bsn = forms.CharField(label=_("Client (BSN)"), required=False, max_length=9)
    case_id = forms.IntegerField(label=_("Case number"), required=False, min_value=1)
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", "—"), *AuditAction.choices]
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Up to and including"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def to_filter(self) -> selectors.AuditFilter:
        data = self.cleaned_data
        return selectors.AuditFilter(
            username=data["username"].strip(),
            client_id=data["client_id"],
            bsn=data["bsn"].replace(" ", ""),
            case_id=data["case_id"],
            action=data["action"],
            date_from=data["date_from"],
            date_to=data["date_to"],
        )


# Filters come as form fields of a POST, so that a BSN or name never appears in a URL or log.
@auditor_required
def audit_log(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.POST or None)
    rows = None
    if request.method == "POST" and form.is_valid():
        rows = services.audit_log_search(actor=acting_user(request), filters=form.to_filter())
    context = {"form": form, "events": rows, "max_rows": selectors.MAX_ROWS}
    return render(request, "oversight/audit_log.html", context)


DENIED_ACCESS_DAYS = 7


@auditor_required
def denied_access(request: HttpRequest) -> HttpResponse:
    rows = services.denied_access_overview(actor=acting_user(request), days=DENIED_ACCESS_DAYS)
    context = {"rows": rows, "days": DENIED_ACCESS_DAYS, "burst": selectors.DENIED_BURST}
    return render(request, "oversight/denied_access.html", context)


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("Review"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Was the access justified? What did you do about it?"),
    )


@auditor_required
def break_glass_report(request: HttpRequest) -> HttpResponse:
    accesses = services.break_glass_report_view(actor=acting_user(request))
    unreviewed = sum(1 for access in accesses if access.reviewed_at is None)
    context = {"accesses": accesses, "unreviewed": unreviewed}
    return render(request, "oversight/break_glass.html", context)


@auditor_required
@require_POST
def break_glass_review(request: HttpRequest, access_id: int) -> HttpResponse:
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.break_glass_review(
                actor=acting_user(request),
                access_id=access_id,
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The emergency access has been marked as reviewed."))
    else:
        messages.error(request, _("Write what you found, also when all was in order."))
    return redirect("oversight:break_glass_report")
