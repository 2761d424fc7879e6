"""Pages of judging: risk. The current risk assessment with its scenarios (R3), factors (R4),
matrix and history; the form of a (re-)assessment; the outcomes of risk instruments (add,
edit with optimistic concurrency, remove). Thin: access → service or selector → render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kindveilig.accounts.http import acting_user
from kindveilig.assessment.forms import risk as risk_forms
from kindveilig.assessment.models import InstrumentOutcome
from kindveilig.assessment.selectors.current import current_risk_assessment
from kindveilig.assessment.selectors.risk import guidance, risk_overview
from kindveilig.assessment.services import risk as services
from kindveilig.assessment.views.overview import judging_context
from kindveilig.cases.access import Purpose, access_case, access_case_record
from kindveilig.cases.editing import save_posted_form
from kindveilig.cases.models import Case


def _frame(case: Case) -> dict[str, Any]:
    return judging_context(case, tab="risk")


@login_required
def risk_page(request: HttpRequest, case_id: int) -> HttpResponse:
    """The current risk assessment, its history, and the outcomes of risk instruments."""
    case = access_case(request.user, case_id, purpose=Purpose.READ)
    overview = risk_overview(case=case)
    context = {
        **_frame(case),
        "overview": overview,
        "current": overview.current,
        "thresholds": services.risk_thresholds(),
        "questions": guidance("risk_questions"),
        "steps": guidance("risk_scenario_steps"),
        "caveats": guidance("risk_instrument_caveats"),
    }
    return render(request, "assessment/risk.html", context)


@login_required
def risk_add(request: HttpRequest, case_id: int) -> HttpResponse:
    """A (re-)assessment of the risk: the factors and the scenarios, the previous assessment's
    filled in to start from."""
    purpose = Purpose.UPDATE if request.method == "POST" else Purpose.READ
    case = access_case(request.user, case_id, purpose=purpose)
    previous = current_risk_assessment(case=case)
    if request.method == "POST":
        form = risk_forms.RiskAssessmentForm(request.POST)
        formset = risk_forms.ScenarioFormSet(request.POST, prefix="scenario")
    else:
        form = risk_forms.RiskAssessmentForm(
            initial=risk_forms.RiskAssessmentForm.initial_from(previous)
        )
        formset = risk_forms.ScenarioFormSet(
            prefix="scenario", initial=risk_forms.scenario_initial(previous)
        )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        rows = [index for index, row in enumerate(formset.forms) if not row.is_blank()]
        weighty = set(form.cleaned_data["weighty"])
        try:
            services.risk_assessment_record(
                actor=acting_user(request),
                case=case,
                risk_factors=[
                    {"code": code, "weighty": code in weighty}
                    for code in form.cleaned_data["risk_factors"]
                ],
                protective_factors=form.cleaned_data["protective_factors"],
                scenarios=[formset.forms[index].cleaned_data for index in rows],
                notes=form.cleaned_data["notes"],
            )
        except ValidationError as exc:
            risk_forms.show_errors(form, formset, exc, rows)
        else:
            messages.success(request, _("The risk assessment is saved."))
            return redirect("assessment:risk", case_id=case.pk)
    context = {
        **_frame(case),
        "form": form,
        "formset": formset,
        "previous": previous,
        "risk_groups": risk_forms.factor_groups("risk_factors"),
        "protective_groups": risk_forms.factor_groups("protective_factors"),
        "selected_risk": form.selected("risk_factors"),
        "selected_weighty": form.selected("weighty"),
        "selected_protective": form.selected("protective_factors"),
        "thresholds": services.risk_thresholds(),
        "questions": guidance("risk_questions"),
        "steps": guidance("risk_scenario_steps"),
    }
    return render(request, "assessment/risk_add.html", context)


@login_required
def instrument_add(request: HttpRequest, case_id: int) -> HttpResponse:
    purpose = Purpose.UPDATE if request.method == "POST" else Purpose.READ
    case = access_case(request.user, case_id, purpose=purpose)
    form = risk_forms.InstrumentOutcomeForm(request.POST or None)
    saved, _conflict = save_posted_form(
        request,
        form,
        lambda: services.instrument_outcome_add(
            actor=acting_user(request), case=case, values=form.values()
        ),
    )
    if saved:
        return redirect("assessment:risk", case_id=case.pk)
    context = {
        **_frame(case),
        "form": form,
        "record": None,
        "conflict": None,
        "caveats": guidance("risk_instrument_caveats"),
    }
    return render(request, "assessment/instrument_form.html", context)


@login_required
def instrument_edit(request: HttpRequest, case_id: int, record_id: int) -> HttpResponse:
    purpose = Purpose.UPDATE if request.method == "POST" else Purpose.READ
    case = access_case(request.user, case_id, purpose=purpose)
    record = access_case_record(
        request.user, case_id, InstrumentOutcome, record_id, purpose=purpose
    )
    form = risk_forms.InstrumentOutcomeForm(request.POST or None, instance=record)
    saved, conflict = save_posted_form(
        request,
        form,
        lambda: services.instrument_outcome_change(
            actor=acting_user(request),
            record=record,
            expected_version=form.cleaned_data.get("version") or 0,
            values=form.values(),
        ),
        newer=lambda: access_case_record(
            request.user, case_id, InstrumentOutcome, record_id, purpose=Purpose.READ
        ),
    )
    if saved:
        return redirect("assessment:risk", case_id=case.pk)
    context = {
        **_frame(case),
        "form": form,
        "record": record,
        "conflict": conflict,
        "caveats": guidance("risk_instrument_caveats"),
    }
    return render(request, "assessment/instrument_form.html", context)


@login_required
@require_POST
def instrument_remove(request: HttpRequest, case_id: int, record_id: int) -> HttpResponse:
    record = access_case_record(
        request.user, case_id, InstrumentOutcome, record_id, purpose=Purpose.UPDATE
    )
    services.instrument_outcome_remove(actor=acting_user(request), record=record)
    messages.success(request, _("Removed. It stays visible in the history of the case."))
    return redirect("assessment:risk", case_id=case_id)


BASE = "dossiers/<int:case_id>/beoordeling/risico/"
urlpatterns: list[URLPattern] = [
    path(BASE, risk_page, name="risk"),
    path(f"{BASE}nieuw/", risk_add, name="risk_add"),
    path(f"{BASE}instrumenten/nieuw/", instrument_add, name="instrument_add"),
    path(f"{BASE}instrumenten/<int:record_id>/", instrument_edit, name="instrument_edit"),
    path(
        f"{BASE}instrumenten/<int:record_id>/verwijderen/",
        instrument_remove,
        name="instrument_remove",
    ),
]
