from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from kindveilig.core.dates import DATE_INPUT_FORMATS, DATE_PATTERN


class DateInput(forms.DateInput):
    """A date typed as dd-mm-jjjj whatever the browser's language.

    Not ``<input type="date">``: its display order follows the browser's locale (mm/dd/yyyy on
    an English laptop), so a Dutch professional could not rely on what she reads. A text box
    with a numeric keyboard, a placeholder and a pattern instead; the value is shown as
    dd-mm-jjjj."""

    input_type = "text"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        defaults = {
            "placeholder": _("dd-mm-yyyy"),
            "inputmode": "numeric",
            "pattern": DATE_PATTERN,
            "autocomplete": "off",
            "size": "10",
            "class": "kv-date",
        }
        super().__init__(attrs={**defaults, **(attrs or {})}, format=DATE_INPUT_FORMATS[0])


class DateField(forms.DateField):
    """A date field of the UI: typed as dd-mm-jjjj, with the format in its help text and a
    clear error. Every form uses it, ModelForms through ``model_formfield``."""

    widget = DateInput
    default_error_messages = {
        "invalid": _("Enter the date as day-month-year, for example 31-12-2025."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", DATE_INPUT_FORMATS)
        super().__init__(**kwargs)
        hint = _("Day-month-year, for example 31-12-2025.")
        self.help_text = format_lazy("{} {}", hint, self.help_text) if self.help_text else hint


def model_formfield(db_field: models.Field[Any, Any], **kwargs: Any) -> forms.Field | None:
    """``Meta.formfield_callback`` of the ModelForms: date columns get the ``DateField``."""
    if isinstance(db_field, models.DateField) and not isinstance(db_field, models.DateTimeField):
        kwargs["form_class"] = DateField
    return db_field.formfield(**kwargs)


def add_validation_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: per field where the form has the field,
    otherwise as a general error. The user's input stays in the form."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
