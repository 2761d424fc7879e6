"""Pages of judging: causes (research question 5, §3.3, table 3.3). Per parent their negative
and positive factors, the concerns and sources of support of the family and environment, each
with a note, and beside them the Framework findings of the investigation they rest on; a form to
add, an edit page per cause (optimistic concurrency) and removal."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kindveilig.accounts.http import acting_user
from kindveilig.assessment.models import CauseFactor, CauseKind, CausePolarity
from kindveilig.assessment.selectors.causes import cause_overview, parents
from kindveilig.assessment.services.causes import (
    cause_add,
    cause_change,
    cause_remove,
    environment_dimensions,
)
from kindveilig.assessment.views.overview import judging_context
from kindveilig.cases.access import Purpose, access_case, access_case_record
from kindveilig.cases.models import LONG_TEXT, Case, Person
from kindveilig.cases.records import ConcurrentEditError
from kindveilig.core.forms import add_validation_errors
from kindveilig.knowledge.display import entry_label
from kindveilig.knowledge.loader import knowledge_base
from kindveilig.knowledge.schema import ParentFactor


def _parent_factor_choices() -> list[tuple[str, Any]]:
    factors = knowledge_base()["parent_factors"].typed(ParentFactor)
    groups: list[tuple[str, Any]] = [("", "—")]
    for polarity in CausePolarity:
        groups.append(
            (
                str(polarity.label),
                [(f.code, entry_label(f)) for f in factors if f.polarity == polarity.value],
            )
        )
    return groups


class CauseForm(forms.Form):
    """A cause: a parent factor of one parent, or a concern or support of the family and
    environment. The service checks it again (the API is held to the same rules)."""

    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"), choices=CauseKind.choices, widget=forms.RadioSelect
    )
    parent = forms.TypedChoiceField(
        label=gettext_lazy("Parent or caregiver"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=gettext_lazy("For a parent factor."),
    )
    parent_factor = forms.ChoiceField(
        label=gettext_lazy("Parent factor"),
        required=False,
        help_text=gettext_lazy(
            "For a parent factor: what weighs on the parenting capacity, or what strengthens it."
        ),
    )
    dimension = forms.ChoiceField(
        label=gettext_lazy("Family and environment"),
        required=False,
        help_text=gettext_lazy("For the family and environment: the dimension it concerns."),
    )
    polarity = forms.ChoiceField(
        label=gettext_lazy("Concern or support"),
        required=False,
        choices=CausePolarity.choices,
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "For the family and environment. A parent factor's nature follows from the factor."
        ),
    )
    note = forms.CharField(
        label=gettext_lazy("Note"),
        required=False,
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("What you saw or heard, and from whom."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, persons: list[Person], **kwargs: Any) -> None:
        record: CauseFactor | None = kwargs.pop("record", None)
        if record is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "kind": record.kind,
                "parent": record.parent_id,
                "parent_factor": record.code if record.kind == CauseKind.PARENT else "",
                "dimension": record.code if record.kind == CauseKind.FAMILY_ENVIRONMENT else "",
                "polarity": record.polarity,
                "note": record.note,
                "version": record.version,
            }
        super().__init__(*args, **kwargs)
        self._set(
            "parent", [("", "—"), *[(p.pk, f"{p.given_name} {p.family_name}") for p in persons]]
        )
        self._set("parent_factor", _parent_factor_choices())
        self._set(
            "dimension",
            [("", "—"), *[(d.code, entry_label(d)) for d in environment_dimensions()]],
        )

    def _set(self, name: str, choices: list[tuple[Any, Any]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        if data["kind"] == CauseKind.PARENT:
            return {
                "kind": data["kind"],
                "parent_id": data["parent"],
                "code": data["parent_factor"],
                "note": data["note"],
            }
        return {
            "kind": data["kind"],
            "parent_id": None,
            "code": data["dimension"],
            "polarity": data["polarity"],
            "note": data["note"],
        }

    def add_errors(self, error: ValidationError) -> None:
        """The service's errors on the fields of this form (``code`` is the factor or the
        dimension, whichever the kind asks for)."""
        if not hasattr(error, "error_dict"):
            add_validation_errors(self, error)
            return
        code_field = (
            "parent_factor" if self.cleaned_data.get("kind") == CauseKind.PARENT else "dimension"
        )
        for field, field_messages in error.message_dict.items():
            name = {"code": code_field, "parent_id": "parent"}.get(field, field)
            self.add_error(name if name in self.fields else None, field_messages)


def _frame(case: Case) -> dict[str, Any]:
    return judging_context(case, tab="causes")


@login_required
def causes_page(request: HttpRequest, case_id: int) -> HttpResponse:
    """The causes with the findings they rest on, and a form to add one (POST adds)."""
    purpose = Purpose.UPDATE if request.method == "POST" else Purpose.READ
    case = access_case(request.user, case_id, purpose=purpose)
    form = CauseForm(request.POST or None, persons=parents(case))
    if request.method == "POST" and form.is_valid():
        try:
            cause_add(actor=acting_user(request), case=case, values=form.values())
        except ValidationError as exc:
            form.add_errors(exc)
        else:
            messages.success(request, _("Saved."))
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
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            cause_change(
                actor=acting_user(request),
                record=record,
                expected_version=form.cleaned_data.get("version") or 0,
                values=form.values(),
            )
        except ConcurrentEditError:
            conflict = access_case_record(
                request.user, case_id, CauseFactor, record_id, purpose=Purpose.READ
            )
        except ValidationError as exc:
            form.add_errors(exc)
        else:
            messages.success(request, _("Saved."))
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
