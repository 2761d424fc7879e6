"""Pages across cases without their content. The auditor's (role auditor only; anyone else
gets 404): the audit log per client, user or case, filterable by period, a page at a time and
as a CSV file, and the report of emergency (break-the-glass) accesses. The team lead's (role
team lead only): the caseload of the team."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from kindveilig.accounts.http import acting_user
from kindveilig.accounts.models import Role
from kindveilig.audit.models import AuditAction
from kindveilig.core.forms import DateField
from kindveilig.oversight import selectors, services
from kindveilig.oversight.selectors import AuditFilter


def _role_required(
    role: Role,
) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """The view is for one role; for anyone else it does not exist (404)."""

    def decorator(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @wraps(view)
        @login_required
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if getattr(request.user, "role", None) != role:
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


auditor_required = _role_required(Role.AUDITOR)
team_lead_required = _role_required(Role.TEAM_LEAD)


@team_lead_required
def team_overview(request: HttpRequest) -> HttpResponse:
    """The team lead's caseload: the team's cases (stage and page in the URL: codes only)."""
    caseload = services.team_overview(
        actor=acting_user(request),
        status=request.GET.get("status", ""),
        page=request.GET.get("page"),
    )
    query = urlencode({"status": caseload.status}) if caseload.status else ""
    context = {"caseload": caseload, "page": caseload.page, "query": query}
    return render(request, "oversight/team_overview.html", context)


class AuditFilterForm(forms.Form):
    username = forms.CharField(label=_("User (username)"), required=False, max_length=150)
    client_id = forms.IntegerField(label=_("Client (person number)"), required=False, min_value=1)
    bsn = forms.CharField(label=_("Client (BSN)"), required=False, max_length=9)
    case_id = forms.IntegerField(label=_("Case number"), required=False, min_value=1)
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", "—"), *AuditAction.choices]
    )
    date_from = DateField(label=_("From"), required=False)
    date_to = DateField(label=_("Up to and including"), required=False)

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


def _cursor(value: str | None) -> int | None:
    """A paging cursor (an event id) from a button of the form; anything else is None."""
    if value is None or not value.isdigit():
        return None
    number = int(value)
    return number if 0 < number < 2**63 else None


# Filters come as form fields of a POST, so that a BSN or name never appears in a URL or log.
# The page opens (GET) with the newest events; the paging buttons post the filter again with
# the cursor of the page to show.
@auditor_required
def audit_log(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.POST or None)
    page = None
    if request.method != "POST":
        page = services.audit_log_search(actor=acting_user(request), filters=AuditFilter())
    elif form.is_valid():
        page = services.audit_log_search(
            actor=acting_user(request),
            filters=form.to_filter(),
            before=_cursor(request.POST.get("before")),
            after=_cursor(request.POST.get("after")),
        )
    context = {"form": form, "page": page, "page_size": selectors.AUDIT_PAGE_SIZE}
    return render(request, "oversight/audit_log.html", context)


class _Echo:
    """A file-like object for csv.writer that hands each line back instead of storing it."""

    def write(self, value: str) -> str:
        return value


# A cell that starts like a formula is prefixed, so a spreadsheet shows it as text (a reason
# typed by a user could otherwise run as a formula when the file is opened).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _csv_line(row: selectors.AuditRow) -> list[str]:
    return [
        _cell(value)
        for value in (
            timezone.localtime(row.timestamp).isoformat(timespec="seconds"),
            row.action,
            row.username,
            row.organisation,
            row.role,
            row.case_id,
            "; ".join(str(client) for client in row.client_refs),
            row.data,
            row.object_id,
            row.detail,
        )
    ]


@never_cache
@auditor_required
@require_POST
def audit_log_export(request: HttpRequest) -> HttpResponseBase:
    """The events of the current filter as a CSV file (UTF-8, comma-separated), streamed in
    batches; the export is logged."""
    form = AuditFilterForm(request.POST)
    if not form.is_valid():
        context = {"form": form, "page": None, "page_size": selectors.AUDIT_PAGE_SIZE}
        return render(request, "oversight/audit_log.html", context, status=400)
    rows = services.audit_log_export(actor=acting_user(request), filters=form.to_filter())
    language = translation.get_language()
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        with translation.override(language):  # the rows are read after the view returned
            yield "\ufeff"  # so that spreadsheet programs read the file as UTF-8
            yield writer.writerow([_cell(label) for label in CSV_HEADER])
            for row in rows:
                yield writer.writerow(_csv_line(row))

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    filename = f"kindveilig-audit-{timezone.localdate():%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


CSV_HEADER = [
    _("Time"),
    _("Action"),
    _("User"),
    _("Organisation"),
    _("Role"),
    _("Case"),
    _("Clients"),
    _("Data"),
    _("Object id"),
    _("Detail"),
]


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
