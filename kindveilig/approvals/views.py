"""The approvals page of a case: each current subject of judging (safety per child, risk, the
conclusion) with its state, who did the work, the decision and earlier decisions with their
comments; for a behavioural scientist of the case who did not do the work, a form to approve
or return it; for anyone else, why they cannot."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kindveilig.accounts.http import acting_user
from kindveilig.approvals.forms import DecisionForm
from kindveilig.approvals.selectors import ReviewSubject, review_subjects
from kindveilig.approvals.services import approval_decide, own_work_refusal, refusal
from kindveilig.assessment.views.overview import judging_context
from kindveilig.cases.access import Purpose, access_case
from kindveilig.core.forms import add_validation_errors


def _form_for(subject: ReviewSubject, data: Any = None) -> DecisionForm:
    prefix = f"{subject.subject_type}-{subject.record.pk}"
    initial = {
        "subject_type": subject.subject_type,
        "subject_id": subject.record.pk,
        "subject_version": subject.version,
    }
    return DecisionForm(data, prefix=prefix, initial=initial)


def _show_errors(form: DecisionForm, error: ValidationError) -> None:
    """Errors on what is decided on (hidden fields) are shown at the top of the form."""
    if not hasattr(error, "error_dict"):
        add_validation_errors(form, error)
        return
    for field, field_messages in error.message_dict.items():
        visible = field in form.fields and not form.fields[field].widget.is_hidden
        form.add_error(field if visible else None, field_messages)


@login_required
def approvals_page(request: HttpRequest, case_id: int) -> HttpResponse:
    purpose = Purpose.UPDATE if request.method == "POST" else Purpose.READ
    case = access_case(request.user, case_id, purpose=purpose)
    user = acting_user(request)
    general_refusal = refusal(user, case)
    posted = request.POST.get("form_prefix", "") if request.method == "POST" else ""
    rows = []
    for subject in review_subjects(case=case):
        prefix = f"{subject.subject_type}-{subject.record.pk}"
        form = _form_for(subject, request.POST if posted == prefix else None)
        if posted == prefix and form.is_valid():
            # NotPermitted (not a behavioural scientist, own work) goes to the 403 page.
            try:
                approval_decide(actor=user, case=case, **form.cleaned_data)
            except ValidationError as exc:
                _show_errors(form, exc)
            else:
                messages.success(request, _("Your decision has been saved."))
                return redirect("approvals:approvals", case_id=case.pk)
        cannot = general_refusal
        if cannot is None and user.pk in subject.author_ids:
            cannot = own_work_refusal()
        rows.append({"subject": subject, "form": form, "prefix": prefix, "cannot": cannot})
    if posted and posted not in {row["prefix"] for row in rows}:
        messages.error(request, _("This is no longer current; nothing was saved."))
    context = {**judging_context(case, tab="approvals"), "rows": rows}
    return render(request, "approvals/approvals.html", context)
