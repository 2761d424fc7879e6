"""The form of the coherent picture, with the version it was read at."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from kindveilig.cases.models import LONG_TEXT


class ConclusionForm(forms.Form):
    summary = forms.CharField(
        label=gettext_lazy("Coherent picture"),
        required=False,
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy(
            "How the answers to the research questions hang together: what happened, why, what "
            "it means for the children, and what is needed."
        ),
    )
    sources = forms.CharField(
        label=gettext_lazy("On what it rests"),
        required=False,
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("The findings, conversations and assessments it is based on."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
