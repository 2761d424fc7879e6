"""The audit log in words: labels for the stored codes, and the stored details (written in a
fixed, code-like form so that they never drift) as sentences in the reader's language.

A detail this module does not know (an event of an older or newer kind, a free-text reason of
an emergency access) is shown as stored.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext as _

from kindveilig.accounts.models import Role
from kindveilig.audit.models import AuditAction, AuditEvent, AuditObject
from kindveilig.cases.models import CaseRole


def label(choices: type[models.TextChoices], code: str) -> str:
    """The readable label of a stored code; an unknown (old) code reads as itself."""
    try:
        return str(choices(code).label)
    except ValueError:
        return code


@functools.cache
def _model_of(object_type: str) -> type[models.Model] | None:
    """The model whose records the log calls ``object_type`` (``audit_object``)."""
    for model in apps.get_models():
        if getattr(model, "audit_object", None) == object_type:
            return model
    return None


def _field_label(object_type: str, name: str) -> str:
    model = _model_of(object_type)
    if model is None:
        return name
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    return str(getattr(field, "verbose_name", name))


def _numbers(text: str) -> str:
    return ", ".join(part for part in text.split(",") if part)


def _account_change(detail: str) -> str | None:
    fixed = {
        "deactivate": _("Account blocked"),
        "reactivate": _("Account unblocked"),
        "two-factor reset": _("Two-step verification removed"),
        "password reset": _("One-time password issued"),
        "password change": _("Password changed"),
    }
    if detail in fixed:
        return fixed[detail]
    if match := re.fullmatch(r"create role=(\w+)", detail):
        return _("Account created with the role %(role)s") % {"role": label(Role, match[1])}
    return None


def _token(detail: str) -> str | None:
    if match := re.fullmatch(r"create for user=(\d+)", detail):
        return _("Made for account %(id)s") % {"id": match[1]}
    if match := re.fullmatch(r"revoke for user=(\d+)", detail):
        return _("Revoked, of account %(id)s") % {"id": match[1]}
    if match := re.fullmatch(r"used from new address (\S+)", detail):
        return _("Used from a new address: %(address)s") % {"address": match[1]}
    return None


def _session(detail: str) -> str | None:
    fixed = {
        "password": _("Wrong password"),
        "second factor": _("Wrong code"),
        "reauthentication": _("Wrong password or code when confirming"),
        "expired one-time password": _("Expired one-time password"),
        "logout everywhere": _("Logged out on all devices"),
    }
    if detail in fixed:
        return fixed[detail]
    if match := re.fullmatch(
        r"(address|username) locked after (\d+) failed logins from (\S+)", detail
    ):
        values = {"count": match[2], "address": match[3]}
        if match[1] == "address":
            return _("Logins from %(address)s stopped after %(count)s failed attempts") % values
        text = _("Logins with this username stopped after %(count)s failed attempts (%(address)s)")
        return text % values
    return None


def _denied(detail: str) -> str | None:
    fixed = {
        "not a member": _("Not a member of the case"),
        "not in this case": _("Not part of this case"),
        "role": _("Not allowed with this role"),
    }
    if detail in fixed:
        return fixed[detail]
    if match := re.fullmatch(r"role (\w+)", detail):
        return _("Not allowed with the role %(role)s") % {"role": label(Role, match[1])}
    return None


def _membership(detail: str) -> str | None:
    if match := re.fullmatch(r"add (\w+) user=(\d+|-)", detail):
        role = label(CaseRole, match[1])
        if match[2] == "-":
            return _("Added as %(role)s") % {"role": role}
        return _("Added as %(role)s (account %(id)s)") % {"role": role, "id": match[2]}
    if match := re.fullmatch(r"role (\w+)", detail):
        return _("Role changed to %(role)s") % {"role": label(CaseRole, match[1])}
    if re.fullmatch(r"end user=(\d+|-)", detail):
        return _("Involvement ended")
    return None


def _organisation(detail: str) -> str | None:
    if detail == "create":
        return _("Organisation added")
    if match := re.fullmatch(r"(allow|disallow) partner=(\d+)", detail):
        if match[1] == "allow":
            return _("Organisation %(id)s may use emergency access") % {"id": match[2]}
        return _("Organisation %(id)s may no longer use emergency access") % {"id": match[2]}
    return None


def _search(detail: str) -> str | None:
    if match := re.fullmatch(r"denied access per user, (\d+) days", detail):
        return _("Denied access per user, last %(days)s days") % {"days": match[1]}
    names = {
        "username": _("User"),
        "client_id": _("Client"),
        "bsn": _("BSN"),
        "case_id": _("Case"),
        "action": _("Action"),
        "date_from": _("From"),
        "date_to": _("Up to and including"),
    }
    parts = []
    for part in detail.split(" "):
        key, _sep, value = part.partition("=")
        if key not in names or not value:
            return None
        if key == "action":
            value = label(AuditAction, value)
        parts.append(f"{names[key]}: {value}")
    return "; ".join(parts)


def _case_data(event: AuditEvent) -> str | None:
    detail = event.detail
    if detail == "via break-the-glass":
        return _("Through emergency access")
    if event.object_type == AuditObject.BREAK_GLASS_ACCESS and detail == "reviewed":
        return _("Reviewed")
    if event.action == AuditAction.UPDATE and event.object_type != AuditObject.DRAFT:
        fields = [_field_label(event.object_type, name) for name in detail.split(",") if name]
        return _("Changed: %(fields)s") % {"fields": ", ".join(fields)}
    return None


BY_KIND: dict[str, Callable[[str], str | None]] = {
    AuditObject.USER: _account_change,
    AuditObject.TOTP_DEVICE: lambda d: _("Authenticator app set up") if d else None,
    AuditObject.RECOVERY_CODES: lambda d: _("New recovery codes made") if d else None,
    AuditObject.API_TOKEN: _token,
    AuditObject.SESSION: _session,
    AuditObject.ORGANISATION: _organisation,
    AuditObject.AUDIT_LOG: _search,
}


def detail_text(event: AuditEvent) -> str:
    """The event's detail as a sentence (the stored text when it has no known form)."""
    detail = event.detail
    if not detail:
        return ""
    found: str | None
    if event.action == AuditAction.ACCESS_DENIED:
        found = _denied(detail)
    elif event.object_type in (AuditObject.CASE_LIST, AuditObject.CASELOAD):
        found = _("Cases %(numbers)s") % {"numbers": _numbers(detail.removeprefix("cases "))}
    elif event.object_type == AuditObject.CASE_MEMBER and event.action == (
        AuditAction.PERMISSION_CHANGE
    ):
        found = _membership(detail)
    elif event.object_type in BY_KIND:
        found = BY_KIND[event.object_type](detail)
    else:
        found = _case_data(event)
    return found or detail
