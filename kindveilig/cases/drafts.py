"""Which forms keep a draft while the professional types (autosave), and where each lives.

A form registers under a key (``register_draft_form``); the draft of one record's edit form is
kept under ``<key>-<record id>``. The autosave endpoint accepts only registered keys and keeps
only the form's own fields, so a draft can never hold anything else. Apps above cases register
their forms when Django starts (their ``AppConfig.ready``)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django import forms


@dataclass(frozen=True)
class DraftForm:
    fields: Callable[[], Iterable[str]]
    page: Callable[[int, int | None], str]  # (case id, record id) -> the form's page


_forms: dict[str, DraftForm] = {}
_KEY = re.compile(r"^(?P<base>[a-z_-]+?)(?:-(?P<record>[1-9][0-9]{0,9}))?$")


def register_draft_form(
    key: str, form: type[forms.Form | forms.ModelForm], page: Callable[[int, int | None], str]
) -> None:
    _forms[key] = DraftForm(lambda: list(form.base_fields), page)


def draft_form(form_key: str) -> tuple[DraftForm, int | None] | None:
    """The registered form of ``form_key`` and the record it edits (None for a new one)."""
    match = _KEY.match(form_key)
    if match is None or match["base"] not in _forms:
        return None
    return _forms[match["base"]], int(match["record"]) if match["record"] else None


def draft_key(key: str, record_id: int | None = None) -> str:
    return f"{key}-{record_id}" if record_id else key


def autosave_attrs(url: str) -> dict[str, str]:
    """htmx attributes of a long text that saves a draft a moment after the last keystroke
    (the enclosing form's fields are sent; the answer is shown in #draft-status)."""
    return {
        "hx-post": url,
        "hx-trigger": "input changed delay:1500ms",
        "hx-target": "#draft-status",
        "hx-swap": "innerHTML",
    }
