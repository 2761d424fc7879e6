"""The form of a cause (research question 5): a parent factor of one parent, or a concern or
support of the family and environment."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from kindveilig.assessment.models import CauseFactor, CauseKind, CausePolarity
from kindveilig.assessment.services.causes import (
    environment_dimensions,
)
from kindveilig.cases.models import LONG_TEXT, Person
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
