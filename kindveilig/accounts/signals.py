"""Log-ins, log-outs and failed log-ins go to the audit log (NEN 7513)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from kindveilig.audit.models import AuditAction
from kindveilig.audit.services import audit_record


@receiver(user_logged_in)
def record_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(actor=user, action=AuditAction.LOGIN, object_type="session")


@receiver(user_logged_out)
def record_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_record(actor=user, action=AuditAction.LOGOUT, object_type="session")


@receiver(user_login_failed)
def record_login_failed(sender: Any, credentials: dict[str, Any], **kwargs: Any) -> None:
    # Django masks the password in ``credentials``; only the username attempted is kept.
    audit_record(
        actor=None,
        action=AuditAction.LOGIN_FAILED,
        object_type="session",
        username=str(credentials.get("username", ""))[:150],
        detail="password",
    )
