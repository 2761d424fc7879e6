"""The audit vocabulary: one named, typed function per kind of event (NEN 7513).

Only services (and the access door, ``cases.access``) call these, inside the transaction of the
action they record; a test fails when a view, form, template tag or signal does. Each function
fixes the action and the kind of data, so the log holds a closed set of events whose meaning
never drifts. ``by=None`` means the command line (``kindveilig user ...``): an administrator at
the server, recorded as ``kindveilig-cli``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypedDict

from kindveilig.audit.chain import Actor, PendingAppend, append, append_with_read
from kindveilig.audit.models import AuditAction, AuditEvent, AuditObject, AuditSubject

CLI_ACTOR = "kindveilig-cli"


# --- Sessions and accounts ----------------------------------------------------------------


def _event(
    by: Actor | None,
    object_type: AuditObject,
    detail: str,
    *,
    action: AuditAction = AuditAction.PERMISSION_CHANGE,
    object_id: object = "",
    username: str = CLI_ACTOR,
) -> AuditEvent:
    """An event outside any case: accounts, sessions, lists, the auditor's own reading."""
    return append(
        actor=by,
        username=username,
        action=action,
        object_type=object_type,
        object_id=object_id,
        detail=detail,
    )


def login(actor: Actor) -> AuditEvent:
    return _event(actor, AuditObject.SESSION, "", action=AuditAction.LOGIN)


def login_failed(*, username: str, step: str) -> AuditEvent:
    """A failed login attempt; ``step`` is "password" or "second factor"."""
    return _event(
        None, AuditObject.SESSION, step, action=AuditAction.LOGIN_FAILED, username=username
    )


def login_throttled(*, username: str, address: str, scope: str, failures: int) -> AuditEvent:
    """Logins were stopped after ``failures`` failed passwords: from ``address`` (scope
    "address"), or for ``username`` from new addresses (scope "username"). One event per
    lock, not one per attempt; ``username`` is empty when no such account exists."""
    return _event(
        None,
        AuditObject.SESSION,
        f"{scope} locked after {failures} failed logins from {address}",
        action=AuditAction.LOGIN_FAILED,
        username=username,
    )


def logout(actor: Actor, *, everywhere: bool = False) -> AuditEvent:
    detail = "logout everywhere" if everywhere else ""
    return _event(actor, AuditObject.SESSION, detail, action=AuditAction.LOGOUT)


def second_factor_enrolled(actor: Actor, *, device_id: int) -> AuditEvent:
    return _event(actor, AuditObject.TOTP_DEVICE, "two-factor enrolled", object_id=device_id)


def recovery_codes_regenerated(actor: Actor) -> AuditEvent:
    return _event(actor, AuditObject.RECOVERY_CODES, "recovery codes regenerated")


def password_changed(actor: Actor) -> AuditEvent:
    return _event(actor, AuditObject.USER, "password change", object_id=actor.pk)


def account_changed(*, by: Actor | None, user_id: int, change: str) -> AuditEvent:
    """An administrator created, blocked or reset an account (``change`` says which)."""
    return _event(by, AuditObject.USER, change, object_id=user_id)


def organisation_created(*, by: Actor | None, organisation_id: int) -> AuditEvent:
    """An administrator (or the command line, with a new account) added an organisation."""
    return _event(
        by, AuditObject.ORGANISATION, "create", action=AuditAction.CREATE, object_id=organisation_id
    )


def api_token_created(*, by: Actor | None, owner_id: int, token_id: int) -> AuditEvent:
    detail = f"create for user={owner_id}"
    return _event(by, AuditObject.API_TOKEN, detail, object_id=token_id)


def api_token_revoked(*, by: Actor | None, owner_id: int, token_id: int) -> AuditEvent:
    detail = f"revoke for user={owner_id}"
    return _event(by, AuditObject.API_TOKEN, detail, object_id=token_id)


def api_token_used_from_new_address(actor: Actor, *, token_id: int, address: str) -> AuditEvent:
    """The token's owner logged in to the API from an address the token was not last used
    from (its first use included)."""
    detail = f"used from new address {address}"
    return _event(
        actor, AuditObject.API_TOKEN, detail, action=AuditAction.LOGIN, object_id=token_id
    )


# --- Case data ----------------------------------------------------------------------------


def _case_event(
    actor: Actor, action: AuditAction, subject: AuditSubject, detail: str = ""
) -> AuditEvent:
    return append(actor=actor, action=action, detail=detail, **_subject_fields(subject))


def case_data_read(actor: Actor, subject: AuditSubject, *, via_break_glass: bool) -> AuditEvent:
    return _case_event(
        actor, AuditAction.READ, subject, "via break-the-glass" if via_break_glass else ""
    )


def case_data_read_pending(actor: Actor, subject: AuditSubject) -> PendingAppend | None:
    """A member's read of ``subject``, to be written by the statement that reads it
    (``cases.access``); None where that cannot be done (then ``case_data_read`` after it)."""
    return append_with_read(actor=actor, action=AuditAction.READ, **_subject_fields(subject))


class _SubjectFields(TypedDict):
    object_type: AuditObject
    object_id: object
    case_id: int
    clients: Iterable[int]


def _subject_fields(subject: AuditSubject) -> _SubjectFields:
    return {
        "object_type": subject.object_type,
        "object_id": subject.object_id,
        "case_id": subject.case_id,
        "clients": subject.clients,
    }


def case_data_created(actor: Actor, subject: AuditSubject) -> AuditEvent:
    return _case_event(actor, AuditAction.CREATE, subject)


def case_data_changed(actor: Actor, subject: AuditSubject, *, fields: Iterable[str]) -> AuditEvent:
    """A change, naming the fields that changed (never their values)."""
    return _case_event(actor, AuditAction.UPDATE, subject, ",".join(sorted(fields)))


def case_data_deleted(actor: Actor, subject: AuditSubject) -> AuditEvent:
    return _case_event(actor, AuditAction.DELETE, subject)


def bsn_revealed(actor: Actor, subject: AuditSubject) -> AuditEvent:
    """A person's full BSN was shown on an explicit request (pages show it masked). The event
    names the person as the client; the number itself is never logged."""
    return _case_event(actor, AuditAction.REVEAL, subject, "bsn")


def draft_saved(actor: Actor, subject: AuditSubject, *, form_key: str) -> AuditEvent:
    return _case_event(actor, AuditAction.UPDATE, subject, form_key)


def draft_discarded(actor: Actor, subject: AuditSubject, *, form_key: str) -> AuditEvent:
    return _case_event(actor, AuditAction.DELETE, subject, form_key)


def case_access_changed(actor: Actor, subject: AuditSubject, *, change: str) -> AuditEvent:
    """Who may see the case changed (a membership added, changed or ended)."""
    return _case_event(actor, AuditAction.PERMISSION_CHANGE, subject, change)


def access_denied(
    actor: Actor | None,
    *,
    object_type: AuditObject,
    object_id: object,
    case_id: int | None,
    reason: str,
) -> AuditEvent:
    """A refused attempt on case data: not a member (the answer was 404, as for a case that
    does not exist) or a role that may not do it (403). Nothing of the case was shown."""
    return append(
        actor=actor,
        action=AuditAction.ACCESS_DENIED,
        object_type=object_type,
        object_id=object_id,
        case_id=case_id,
        detail=reason,
    )


def cases_listed(actor: Actor, *, case_ids: Iterable[int]) -> AuditEvent:
    """The list "Mijn dossiers" was shown: it reveals which families the user works with."""
    detail = ("cases " + ",".join(str(case_id) for case_id in case_ids))[:480]
    return _event(actor, AuditObject.CASE_LIST, detail, action=AuditAction.READ)


def team_cases_listed(actor: Actor, *, case_ids: Iterable[int]) -> AuditEvent:
    """A page of the team lead's caseload overview was shown: which case numbers, with their
    stage and coordinator (the names of the families only of cases the lead is a member of)."""
    detail = ("cases " + ",".join(str(case_id) for case_id in case_ids))[:480]
    return _event(actor, AuditObject.CASELOAD, detail, action=AuditAction.READ)


def break_glass_opened(
    actor: Actor, *, case_id: int, clients: Iterable[int], reason: str
) -> AuditEvent:
    subject = AuditSubject(AuditObject.CASE, case_id, case_id, tuple(clients))
    return _case_event(actor, AuditAction.BREAK_GLASS, subject, reason)


# --- The auditor's own reading ------------------------------------------------------------


def audit_log_searched(actor: Actor, *, description: str) -> AuditEvent:
    """The auditor searched the log; ``description`` names the filters without personal data."""
    return _event(actor, AuditObject.AUDIT_LOG, description, action=AuditAction.SEARCH)


def audit_log_exported(actor: Actor, *, description: str) -> AuditEvent:
    """The auditor exported the events of a search (CSV); ``description`` names the filters
    without personal data, as for a search."""
    return _event(actor, AuditObject.AUDIT_LOG, description, action=AuditAction.EXPORT)


def break_glass_report_read(actor: Actor) -> AuditEvent:
    return _event(actor, AuditObject.BREAK_GLASS_REPORT, "", action=AuditAction.READ)


def break_glass_reviewed(actor: Actor, *, access_id: int, case_id: int) -> AuditEvent:
    """The auditor marked an emergency access as reviewed (with a comment, kept with it)."""
    subject = AuditSubject(AuditObject.BREAK_GLASS_ACCESS, access_id, case_id)
    return _case_event(actor, AuditAction.UPDATE, subject, "reviewed")


def break_glass_partners_changed(
    *, by: Actor | None, organisation_id: int, change: str
) -> AuditEvent:
    """Which organisations may break the glass on another's cases changed (command line)."""
    return _event(by, AuditObject.ORGANISATION, change, object_id=organisation_id)
