from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from kindveilig.cases import selectors
from kindveilig.cases.access import Purpose, access_case


@login_required
def my_cases(request: HttpRequest) -> HttpResponse:
    cases = selectors.cases_for_user(user=request.user)  # type: ignore[arg-type]
    return render(request, "cases/my_cases.html", {"cases": cases})


@login_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_case(request.user, case_id, purpose=Purpose.READ)
    context = {
        "case": case,
        "persons": selectors.case_persons(case=case),
        "professionals": selectors.case_professionals(case=case),
        "maltreatment_forms": selectors.case_maltreatment_forms(case=case),
        "today": timezone.localdate(),
    }
    return render(request, "cases/case_detail.html", context)
