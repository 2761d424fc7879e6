"""Pages of judging: the conclusion (samenhangend beeld, §3.5). The 6 standard research
questions with their answers (open ones marked, with a link to answer them in the research plan)
and what each rests on, and the coherent picture with its sources (one per case, optimistic
concurrency)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _

from kindveilig.accounts.http import acting_user
from kindveilig.assessment.forms.conclusion import ConclusionForm
from kindveilig.assessment.selectors.conclusion import (
    ConclusionQuestion,
    conclusion_of,
    standard_questions,
)
from kindveilig.assessment.services.conclusion import conclusion_save
from kindveilig.assessment.views.overview import judging_context
from kindveilig.cases.access import Purpose, access_case
from kindveilig.cases.models import Case
from kindveilig.cases.records import ConcurrentEditError


def _answer_url(case: Case, row: ConclusionQuestion) -> str:
    record = row.item.record
    if record is None:
        return reverse("investigation:research_plan", kwargs={"case_id": case.pk})
    return reverse(
        "investigation:research_plan_edit", kwargs={"case_id": case.pk, "record_id": record.pk}
    )


def _rows(case: Case) -> list[dict[str, Any]]:
    links = {
        part: reverse(f"assessment:{part}", kwargs={"case_id": case.pk})
        for part in ("safety", "causes", "risk")
    }
    return [
        {"row": row, "answer_url": _answer_url(case, row), "rests_on_url": links[row.rests_on]}
        for row in standard_questions(case=case)
    ]


@login_required
def conclusion_page(request: HttpRequest, case_id: int) -> HttpResponse:
    """The research questions with what they rest on, and the coherent picture (POST saves)."""
    purpose = Purpose.UPDATE if request.method == "POST" else Purpose.READ
    case = access_case(request.user, case_id, purpose=purpose)
    conclusion = conclusion_of(case=case)
    initial = {
        "summary": conclusion.summary if conclusion else "",
        "sources": conclusion.sources if conclusion else "",
        "version": conclusion.version if conclusion else 0,
    }
    form = ConclusionForm(request.POST or None, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            conclusion_save(
                actor=acting_user(request),
                case=case,
                expected_version=form.cleaned_data.get("version") or 0,
                summary=form.cleaned_data["summary"],
                sources=form.cleaned_data["sources"],
            )
        except ConcurrentEditError as stale:
            conflict = stale.current
        else:
            messages.success(request, _("Saved."))
            return redirect("assessment:conclusion", case_id=case.pk)
    rows = _rows(case)
    context = {
        "case": case,
        **judging_context(case, tab="conclusion"),
        "rows": rows,
        "open_count": sum(1 for entry in rows if entry["row"].open),
        "conclusion": conclusion,
        "form": form,
        "conflict": conflict,
    }
    return render(request, "assessment/conclusion.html", context)


urlpatterns: list[URLPattern] = [
    path("dossiers/<int:case_id>/beoordeling/conclusie/", conclusion_page, name="conclusion"),
]
