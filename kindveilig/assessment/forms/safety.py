"""The form of a safety assessment: the alarm signals in their groups with a note each, the
guarantee, research questions 2-4, the substantiation, the review date and an optional
deviation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kindveilig.assessment.models import SafetyAssessment, SafetyDecision
from kindveilig.cases.models import LONG_TEXT
from kindveilig.core.forms import DateField
from kindveilig.knowledge.display import entry_label
from kindveilig.knowledge.loader import knowledge_base
from kindveilig.method.judging import SIBLING_SIGNAL

YES_NO = [("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))]


def _text(name: str, *, required: bool = False, rows: int = 4) -> forms.CharField:
    field = SafetyAssessment._meta.get_field(name)
    assert isinstance(field, models.Field)
    return forms.CharField(
        label=field.verbose_name[:1].upper() + field.verbose_name[1:],
        help_text=field.help_text,
        required=required,
        max_length=LONG_TEXT,
        validators=[MaxLengthValidator(LONG_TEXT)],
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _note_name(code: str) -> str:
    return f"note__{code}"


class SafetyAssessmentForm(forms.Form):
    """A (re-)assessment of one child: the alarm signals with a note each (rendered in their
    groups by the template), the guarantee, research questions 2-4, the substantiation and an
    optional deviation from the outcome."""

    alarm_signals = forms.MultipleChoiceField(
        label=gettext_lazy("Alarm signals"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    responsible_adult_guarantees_safety = forms.TypedChoiceField(
        label=gettext_lazy("Does a responsible adult guarantee the child's safety now?"),
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    responsible_adult = forms.CharField(
        label=gettext_lazy("Who guarantees it"),
        help_text=gettext_lazy("The name and relation of the responsible adult, if yes."),
        required=False,
        max_length=200,
    )
    threatening_acts = _text("threatening_acts")
    child_signals = _text("child_signals")
    consequences = _text("consequences")
    substantiation = _text("substantiation", required=True)
    override_decision = forms.ChoiceField(
        label=gettext_lazy("Decision that holds instead"),
        required=False,
        choices=[("", gettext_lazy("No deviation")), *SafetyDecision.choices],
    )
    override_reason = _text("override_reason", rows=3)
    review_on = DateField(
        label=gettext_lazy("Review on"),
        required=False,
        help_text=gettext_lazy(
            "The agreed date to look at this child's safety again; empty: the usual term."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        signals = knowledge_base()["alarm_signals"]
        self.fields["alarm_signals"].choices = [  # type: ignore[attr-defined]
            (entry.code, entry_label(entry)) for entry in signals
        ]
        for entry in signals:
            self.fields[_note_name(entry.code)] = forms.CharField(
                label=_("Note on “%(signal)s”") % {"signal": entry_label(entry)},
                required=False,
                max_length=LONG_TEXT,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        ticked = set(cleaned.get("alarm_signals") or [])
        for name, value in list(cleaned.items()):
            code = name.removeprefix("note__")
            # A note on the sibling signal may stand without a tick: R2 may add the signal,
            # and the service checks it.
            if name != code and value and code not in ticked and code != SIBLING_SIGNAL:
                self.add_error(name, _("Tick the alarm signal this note belongs to."))
        return cleaned

    def notes(self) -> dict[str, str]:
        return {
            name[6:]: value
            for name, value in self.cleaned_data.items()
            if name.startswith("note__") and value
        }

    def signal_groups(self) -> list[tuple[str, str, list[tuple[Any, forms.BoundField]]]]:
        """(group code, group label, [(checkbox, note field)]) in the knowledge base's order."""
        kb = knowledge_base()
        boxes = {box.data["value"]: box for box in self["alarm_signals"]}
        groups = sorted(kb["alarm_signal_groups"], key=lambda group: getattr(group, "order", 0))
        return [
            (
                group.code,
                entry_label(group),
                [
                    (boxes[entry.code], self[_note_name(entry.code)])
                    for entry in kb["alarm_signals"]
                    if getattr(entry, "group", None) == group.code
                ],
            )
            for group in groups
        ]
