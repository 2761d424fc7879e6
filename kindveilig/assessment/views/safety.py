"""Pages of judging: safety. Per child the current decision (R1, with R2's sibling signal), its
reasons in words, the professional's deviation, and the history of earlier decisions; and the
form of a (re-)assessment of one child. Thin: access → service or selector → render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _

from kindveilig.accounts.http import acting_user
from kindveilig.assessment.forms.safety import SafetyAssessmentForm
from kindveilig.assessment.models import SafetyDecision
from kindveilig.assessment.selectors import safety as selectors
from kindveilig.assessment.services.safety import safety_assessment_record
from kindveilig.assessment.views.overview import judging_context
from kindveilig.cases.access import Purpose, access_case
from kindveilig.cases.models import Case, Person
from kindveilig.core.forms import add_validation_errors
from kindveilig.investigation.selectors import DimensionCell, framework_overviews


def _framework_material(case: Case, child: Person) -> list[DimensionCell]:
    for person, sides in framework_overviews(case=case):
        if person is not None and person.pk == child.pk:
            return [
                cell for side in sides for cell in side.cells if cell.concerns or cell.strengths
            ]
    return []


@login_required
def safety_page(request: HttpRequest, case_id: int) -> HttpResponse:
    """Per child: the current decision, its reasons, the deviation, and the history."""
    case = access_case(request.user, case_id, purpose=Purpose.READ)
    context = {
        "case": case,
        "children_safety": selectors.safety_per_child(case=case),
        "direct_danger": SafetyDecision.DIRECT_DANGER,
        **judging_context(case, tab="safety"),
    }
    return render(request, "assessment/safety.html", context)


@login_required
def safety_add(request: HttpRequest, case_id: int, child_id: int) -> HttpResponse:
    """A (re-)assessment of one child; on wrong input the form comes back with its errors and
    everything typed, and nothing is saved."""
    purpose = Purpose.UPDATE if request.method == "POST" else Purpose.READ
    case = access_case(request.user, case_id, purpose=purpose)
    child = next((kid for kid in selectors.children_of(case) if kid.pk == child_id), None)
    if child is None:
        raise Http404
    form = SafetyAssessmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            safety_assessment_record(
                actor=acting_user(request),
                case=case,
                child_id=child.pk,
                alarm_signals=list(data["alarm_signals"]),
                notes=form.notes(),
                responsible_adult_guarantees_safety=data["responsible_adult_guarantees_safety"],
                responsible_adult=data["responsible_adult"],
                threatening_acts=data["threatening_acts"],
                child_signals=data["child_signals"],
                consequences=data["consequences"],
                substantiation=data["substantiation"],
                override_decision=data["override_decision"],
                override_reason=data["override_reason"],
                review_on=data["review_on"],
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(
                request,
                _("The safety of %(child)s is assessed.") % {"child": child.given_name},
            )
            return redirect("assessment:safety", case_id=case.pk)
    context = {
        "case": case,
        "child": child,
        "form": form,
        "signal_groups": form.signal_groups(),
        "sibling_names": selectors.sibling_signal_applies(case=case, child_id=child.pk),
        "material": _framework_material(case, child),
        **judging_context(case, tab="safety"),
    }
    return render(request, "assessment/safety_add.html", context)


urlpatterns: list[URLPattern] = [
    path("dossiers/<int:case_id>/beoordeling/veiligheid/", safety_page, name="safety"),
    path(
        "dossiers/<int:case_id>/beoordeling/veiligheid/<int:child_id>/nieuw/",
        safety_add,
        name="safety_add",
    ),
]
