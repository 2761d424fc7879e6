"""The save step that every page adding or changing a record of a case shares.

A page validates its form, asks a service to save, and then either moves on with "Opgeslagen",
shows the service's objections on the fields, or — when a colleague saved first — shows the newer
version beside what was typed (nothing typed is lost). Written once here so each page states only
what is particular to it: which service, which record to read again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _

from kindveilig.cases.records import ConcurrentEditError
from kindveilig.core.forms import add_validation_errors

Record = TypeVar("Record")


def save_posted_form(
    request: HttpRequest,
    form: forms.BaseForm,
    save: Callable[[], Any],
    *,
    newer: Callable[[], Record] | None = None,
) -> tuple[bool, Record | None]:
    """Save a posted and valid ``form`` with ``save()``; returns ``(saved, conflict)``.

    ``saved`` is True once saved (a success message is queued). A stale version gives
    ``conflict``, the record as it is now (read with ``newer``); a ``ValidationError`` of the
    service is put on the form's fields (by the form's own ``add_errors`` where it maps codes
    to fields). A GET or an invalid form saves nothing.
    """
    if request.method != "POST" or not form.is_valid():
        return False, None
    try:
        save()
    except ConcurrentEditError:
        if newer is None:
            raise
        return False, newer()
    except ValidationError as error:
        add_errors = getattr(form, "add_errors", None)
        if add_errors is not None:
            add_errors(error)
        else:
            add_validation_errors(form, error)
        return False, None
    messages.success(request, _("Saved."))
    return True, None
