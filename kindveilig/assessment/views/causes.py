"""Pages of judging: causes (research question 5, §3.3, table 3.3). Per parent their negative
and positive factors, the concerns and sources of support of the family and environment, each
with a note, and beside them the Framework findings of the investigation they rest on; a form to
add, an edit page per cause (optimistic concurrency) and removal."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kindveilig.accounts.http import acting_user
from kindveilig.assessment.forms.causes import CauseForm
from kindveilig.assessment.models import CauseFactor
from kindveilig.assessment.selectors.causes import cause_overview, parents
from kindveilig.assessment.services.causes import (
    cause_add,
    cause_change,
    cause_remove,
)
from kindveilig.assessment.views.overview import judging_context
from kindveilig.cases.access import Purpose, access_case, access_case_record
from kindveilig.cases.editing import save_posted_form
from kindveilig.cases.models import Case


def _frame(case: Case) -> dict[str, Any]:
    return judging_context(case, tab="causes")


@login_required
def causes_page(request: HttpRequest, case_id: int) -> HttpResponse:
    """The causes with the findings they rest on, and a form to add one (POST adds)."""
    purpose = Purpose.UPDATE if request.method == "POST" else Purpose.READ
    case = access_case(request.user, case_id, purpose=purpose)
    form = CauseForm(request.POST or None, persons=parents(case))
    saved, _conflict = save_posted_form(
        request,
        form,
        lambda: cause_add(actor=acting_user(request), case=case, values=form.values()),
    )
    if saved:
        return redirect("assessment:causes", case_id=case.pk)
    context = {**_frame(case), "groups": cause_overview(case=case), "form": form}
    return render(request, "assessment/causes.html", context)


@login_required
def cause_edit(request: HttpRequest, case_id: int, record_id: int) -> HttpResponse:
    """Change one cause; a stale save shows the newer version and keeps what was typed."""
    purpose = Purpose.UPDATE if request.method == "POST" else Purpose.READ
    case = access_case(request.user, case_id, purpose=purpose)
    record = access_case_record(request.user, case_id, CauseFactor, record_id, purpose=purpose)
    form = CauseForm(request.POST or None, persons=parents(case), record=record)
    saved, conflict = save_posted_form(
        request,
        form,
        lambda: cause_change(
            actor=acting_user(request),
            record=record,
            expected_version=form.cleaned_data.get("version") or 0,
            values=form.values(),
        ),
        newer=lambda: access_case_record(
            request.user, case_id, CauseFactor, record_id, purpose=Purpose.READ
        ),
    )
    if saved:
        return redirect("assessment:causes", case_id=case.pk)
    context = {**_frame(case), "form": form, "record": record, "conflict": conflict}
    return render(request, "assessment/cause_edit.html", context)


@login_required
@require_POST
def cause_remove_view(request: HttpRequest, case_id: int, record_id: int) -> HttpResponse:
    record = access_case_record(
        request.user, case_id, CauseFactor, record_id, purpose=Purpose.UPDATE
    )
    cause_remove(actor=acting_user(request), record=record)
    messages.success(request, _("Removed. It stays visible in the history of the case."))
    return redirect("assessment:causes", case_id=case_id)


BASE = "dossiers/<int:case_id>/beoordeling/oorzaken/"
urlpatterns: list[URLPattern] = [
    path(BASE, causes_page, name="causes"),
    path(f"{BASE}<int:record_id>/", cause_edit, name="cause_edit"),
    path(f"{BASE}<int:record_id>/verwijderen/", cause_remove_view, name="cause_remove"),
]
