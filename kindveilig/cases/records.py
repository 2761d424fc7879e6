"""Saving records of a case: the steps every service of every app takes alike.

``save_new`` and ``save_changes`` validate, record history with the acting user, and write the
audit event (creation, or the change naming its fields) in the caller's transaction; the
services of ``cases`` and of the method's apps (investigation, assessment, ...) build on them.
``save_changes`` is optimistic concurrency: a stale version raises ``ConcurrentEditError`` and
nothing is written.
"""

from __future__ import annotations

from typing import Any, TypeVar

from kindveilig.accounts.models import User
from kindveilig.audit import events
from kindveilig.cases.models import VersionedModel

Versioned = TypeVar("Versioned", bound=VersionedModel)


class ConcurrentEditError(Exception):
    """Saving was refused: someone else saved the record after the editor opened it.

    ``current`` is the record as stored now (the newer data, which is kept); ``attempted`` holds
    the values the editor tried to save, so that nothing typed is lost.
    """

    def __init__(self, current: VersionedModel, attempted: dict[str, Any]) -> None:
        super().__init__("stale version")
        self.current = current
        self.attempted = attempted


def _save(instance: VersionedModel, actor: User) -> None:
    instance.full_clean()
    instance._history_user = actor
    instance.save()


def save_new(actor: User, record: Versioned, *, audit: bool = True) -> Versioned:
    """Validate and save a new record, and log its creation (unless the caller logs a more
    specific event, such as a change of who may see the case)."""
    _save(record, actor)
    if audit:
        events.case_data_created(actor, record.audit_subject())
    return record


def save_changes(
    *,
    actor: User,
    instance: Versioned,
    expected_version: int,
    changes: dict[str, Any],
    audit: bool = True,
) -> Versioned:
    """Apply ``changes`` if nobody saved ``instance`` since ``expected_version``.

    Returns the stored record. Nothing is written (and nothing logged) when no field really
    changes; otherwise the version goes up and the change is logged naming the fields. The row
    is locked (PostgreSQL) or the write transaction is exclusive (SQLite IMMEDIATE), so two
    editors cannot both pass the version check. With ``audit=False`` the caller logs a more
    specific event itself (when ``current.version`` went up).
    """
    current = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
    if current.version != expected_version:
        raise ConcurrentEditError(current=current, attempted=changes)
    changed = sorted(field for field, value in changes.items() if getattr(current, field) != value)
    if changed:
        for field in changed:
            setattr(current, field, changes[field])
        current.version += 1
        _save(current, actor)
        if audit:
            events.case_data_changed(actor, current.audit_subject(), fields=changed)
    return current
