"""The form of a four-eyes decision on one judgement."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from kindveilig.approvals.models import Decision, SubjectType
from kindveilig.cases.models import LONG_TEXT


class DecisionForm(forms.Form):
    subject_type = forms.ChoiceField(choices=SubjectType.choices, widget=forms.HiddenInput)
    subject_id = forms.IntegerField(min_value=1, max_value=2**62, widget=forms.HiddenInput)
    subject_version = forms.IntegerField(min_value=1, max_value=2**31, widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"), choices=Decision.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=gettext_lazy("Comment"),
        required=False,
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Required when you return it: what has to change."),
    )
