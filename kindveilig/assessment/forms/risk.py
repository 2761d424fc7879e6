"""Forms of the risk pages: the risk assessment (factors, notes) with its scenarios (a formset)
and the outcome of a risk instrument. The choices come from the knowledge base; the services
check everything again, so the API is held to the same rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kindveilig.assessment.models import InstrumentOutcome, RiskAssessment, ScenarioKind
from kindveilig.cases.models import LONG_TEXT, SHORT_TEXT
from kindveilig.core.forms import add_validation_errors, model_formfield
from kindveilig.knowledge.display import display_value, entry_label
from kindveilig.knowledge.loader import knowledge_base
from kindveilig.knowledge.schema import Entry

LEVELS = ("ouder", "kind", "gezin", "omgeving")


def _choices(name: str) -> list[tuple[str, str]]:
    return [(entry.code, entry_label(entry)) for entry in knowledge_base()[name]]


def factor_groups(name: str) -> list[tuple[str, str, list[Entry]]]:
    """(level, level in words, entries) of a factor list, in the order of the levels."""
    entries: list[tuple[str, Entry]] = [
        (str(getattr(entry, "level", "")), entry) for entry in knowledge_base()[name]
    ]
    return [
        (level, display_value(level), [entry for of, entry in entries if of == level])
        for level in LEVELS
        if any(of == level for of, _entry in entries)
    ]


class RiskAssessmentForm(forms.Form):
    risk_factors = forms.MultipleChoiceField(
        label=_("Risk factors"), required=False, widget=forms.CheckboxSelectMultiple
    )
    weighty = forms.MultipleChoiceField(
        label=_("Weighty"), required=False, widget=forms.CheckboxSelectMultiple
    )
    protective_factors = forms.MultipleChoiceField(
        label=_("Protective factors"), required=False, widget=forms.CheckboxSelectMultiple
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("risk_factors", "weighty"):
            self.fields[name].choices = _choices("risk_factors")  # type: ignore[attr-defined]
        self.fields["protective_factors"].choices = _choices("protective_factors")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        unchosen = set(data.get("weighty") or []) - set(data.get("risk_factors") or [])
        if unchosen:
            self.add_error(
                "weighty", _("Mark a factor as weighty only when you choose it as a risk factor.")
            )
        return data

    def selected(self, name: str) -> list[str]:
        value = self[name].value() or []
        return [str(item) for item in value]

    @staticmethod
    def initial_from(assessment: RiskAssessment | None) -> dict[str, Any]:
        if assessment is None:
            return {}
        return {
            "risk_factors": assessment.risk_factor_codes,
            "weighty": [item["code"] for item in assessment.risk_factors if item.get("weighty")],
            "protective_factors": list(assessment.protective_factors),
        }


PRIORITY_CHOICES = [
    ("", _("No deviation")),
    ("A", "A"),
    ("B", "B"),
    ("C", "C"),
    ("D", "D"),
]


class ScenarioForm(forms.Form):
    description = forms.CharField(
        label=_("What could happen"),
        required=False,
        max_length=SHORT_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    kind = forms.ChoiceField(
        label=_("Kind of scenario"),
        required=False,
        choices=[("", _("Choose a kind")), *ScenarioKind.choices],
    )
    trigger = forms.CharField(
        label=_("Trigger"),
        required=False,
        max_length=500,
        help_text=_("The event that would set it off, if there is one."),
    )
    probability = forms.IntegerField(
        label=_("Probability (%)"),
        required=False,
        min_value=0,
        max_value=100,
        help_text=_("Your judgement, 0 to 100; not a prediction."),
    )
    severity = forms.IntegerField(
        label=_("Severity (1-5)"),
        required=False,
        min_value=1,
        max_value=5,
        help_text=_("How severe the consequences would be for the child, 1 to 5."),
    )
    override_priority = forms.ChoiceField(
        label=_("Priority of the professional"),
        required=False,
        choices=PRIORITY_CHOICES,
        help_text=_("Only where you deviate from the priority by the rule."),
    )
    override_reason = forms.CharField(
        label=_("Reason for deviating"),
        required=False,
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not any(
            data.get(name) not in (None, "")
            for name in ("description", "trigger", "probability", "severity", "override_reason")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.is_blank() and not self.errors:
            return data
        required = ("description", "kind", "probability", "severity")
        for name in required:
            if data.get(name) in (None, "") and name not in self.errors:
                self.add_error(name, ValidationError(_("This field is required.")))
        return data


ScenarioFormSet = forms.formset_factory(ScenarioForm, extra=3, max_num=30, validate_max=True)


def scenario_initial(assessment: RiskAssessment | None) -> list[dict[str, Any]]:
    """The scenarios of the previous assessment, to re-assess them."""
    if assessment is None:
        return []
    return [
        {
            "description": scenario.description,
            "kind": scenario.kind,
            "trigger": scenario.trigger,
            "probability": scenario.probability,
            "severity": scenario.severity,
            "override_priority": scenario.override_priority,
            "override_reason": scenario.override_reason,
        }
        for scenario in assessment.scenarios.all()
    ]


def show_errors(
    form: RiskAssessmentForm,
    formset: Any,
    error: ValidationError,
    rows: list[int],
) -> None:
    """A service's errors on the fields they name; ``scenarios.<i>.<field>`` on the form of
    the i-th scenario given (``rows`` maps it to its form in the formset)."""
    if not hasattr(error, "error_dict"):
        add_validation_errors(form, error)
        return
    for name, messages in error.message_dict.items():
        parts = name.split(".")
        if parts[0] == "scenarios" and len(parts) == 3 and parts[1].isdigit():
            index = int(parts[1])
            if index < len(rows):
                target = formset.forms[rows[index]]
                target.add_error(parts[2] if parts[2] in target.fields else None, messages)
                continue
        form.add_error(name if name in form.fields else None, messages)


class InstrumentOutcomeForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = InstrumentOutcome
        fields = ["instrument", "administered_on", "administered_by", "outcome", "remarks"]
        formfield_callback = model_formfield
        widgets = {
            "outcome": forms.Textarea(attrs={"rows": 3}),
            "remarks": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["instrument"] = forms.ChoiceField(
            label=_("Instrument"),
            choices=[("", _("Choose an instrument")), *_choices("risk_instruments")],
        )
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}
