"""The stage "Beoordeling": the judgement of the case at a glance (safety per child, risk with
its matrix, causes, conclusion), each part linking to its page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext_lazy

from kindveilig.assessment.matrix import risk_matrix_svg
from kindveilig.assessment.models import RiskAssessment, SafetyDecision
from kindveilig.assessment.selectors.overview import judging_overview
from kindveilig.cases.access import Purpose, access_case
from kindveilig.cases.models import Case
from kindveilig.cases.workspace import workspace

# The parts of judging after the overview: (tab, URL name, label).
JUDGING_TABS = [
    ("safety", "assessment:safety", gettext_lazy("Safety")),
    ("risk", "assessment:risk", gettext_lazy("Risk")),
    ("causes", "assessment:causes", gettext_lazy("Causes")),
    ("conclusion", "assessment:conclusion", gettext_lazy("Conclusion")),
    ("approvals", "approvals:approvals", gettext_lazy("Approval")),
]


def judging_context(case: Case, *, tab: str) -> dict[str, object]:
    """What every page of judging shares: the workspace frame and the tabs of judging."""
    return {
        "case": case,
        **workspace(case, current="assessment"),
        "judging_tab": tab,
        "judging_tabs": [
            (tab, reverse(url_name, args=[case.pk]), label) for tab, url_name, label in JUDGING_TABS
        ],
        "direct_danger": SafetyDecision.DIRECT_DANGER.value,
    }


@login_required
def overview(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_case(request.user, case_id, purpose=Purpose.READ)
    context: dict[str, object] = {
        **judging_context(case, tab="overview"),
        **judging_overview(case=case),
    }
    risk = context["risk"]
    if isinstance(risk, RiskAssessment):
        context["matrix"] = risk_matrix_svg(list(risk.scenarios.all()), id_prefix="kv-overview")
    return render(request, "assessment/overview.html", context)


urlpatterns: list[URLPattern] = [
    path("dossiers/<int:case_id>/beoordeling/", overview, name="overview"),
]
