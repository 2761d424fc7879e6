"""Writes for the causes (research question 5, §3.3, table 3.3): a parent factor of one parent
(its polarity follows from the knowledge base), or a concern or source of support in the family
and environment (a Framework dimension of the environment side, its polarity chosen).

Each is added, changed (optimistic concurrency) and removed here; every problem is reported per
field at once and nothing is saved when there is one.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kindveilig.accounts.models import User
from kindveilig.assessment.models import CauseFactor, CauseKind, CausePolarity
from kindveilig.assessment.selectors.current import forget_judging
from kindveilig.audit import events
from kindveilig.cases.models import Case, PersonRole
from kindveilig.cases.records import save_changes, save_new
from kindveilig.knowledge.loader import knowledge_base
from kindveilig.knowledge.schema import FrameworkDimension, ParentFactor

EDITABLE = {"kind", "parent_id", "code", "polarity", "note"}
PARENT_ROLES = (PersonRole.PARENT, PersonRole.CAREGIVER)
ENVIRONMENT_DOMAIN = "omgeving"

Errors = dict[str, list[str]]


def environment_dimensions() -> list[FrameworkDimension]:
    """The Framework dimensions of family and environment (the codes of such a cause)."""
    return [
        dimension
        for dimension in knowledge_base()["framework_dimensions"].typed(FrameworkDimension)
        if dimension.domain == ENVIRONMENT_DOMAIN
    ]


def _cleaned(values: dict[str, Any]) -> dict[str, Any]:
    unknown = set(values) - EDITABLE
    if unknown:
        raise ValidationError({name: [_("This field does not exist.")] for name in unknown})
    return {
        name: value.strip() if isinstance(value, str) else value for name, value in values.items()
    }


def _check(record: CauseFactor) -> None:
    """Fill in what follows from the knowledge base (a parent factor's polarity) and raise
    every problem at once."""
    errors: Errors = {}
    if record.kind == CauseKind.PARENT:
        factors = knowledge_base()["parent_factors"]
        if record.code not in factors:
            errors["code"] = [_("Choose a parent factor from the list.")]
        else:
            record.polarity = factors.get_as(record.code, ParentFactor).polarity
        if (
            record.parent_id is None
            or not record.case.persons.filter(pk=record.parent_id, role__in=PARENT_ROLES).exists()
        ):
            errors["parent"] = [_("Choose a parent or caregiver of this case.")]
    elif record.kind == CauseKind.FAMILY_ENVIRONMENT:
        if record.code not in {dimension.code for dimension in environment_dimensions()}:
            errors["code"] = [_("Choose a dimension of family and environment.")]
        if record.parent_id is not None:
            errors["parent"] = [
                _("A concern or support of the family and environment concerns no one parent.")
            ]
        if record.polarity not in CausePolarity.values:
            errors["polarity"] = [_("Choose whether this is a concern or a source of support.")]
    try:
        # A parent factor's polarity follows from its code (reported under "code").
        exclude = ["case", "polarity"] if record.kind == CauseKind.PARENT else ["case"]
        record.full_clean(exclude=exclude)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, list(messages))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def cause_add(*, actor: User, case: Case, values: dict[str, Any]) -> CauseFactor:
    """Add a cause to ``case``; ValidationError (per field) otherwise."""
    forget_judging(case)  # the case's judgement is read afresh after this
    record = CauseFactor(case=case, **_cleaned(values))
    _check(record)
    return save_new(actor, record)


@transaction.atomic
def cause_change(
    *, actor: User, record: CauseFactor, expected_version: int, values: dict[str, Any]
) -> CauseFactor:
    """Change a cause; ConcurrentEditError when someone saved it since ``expected_version``."""
    forget_judging(record.case)  # the case's judgement is read afresh after this
    changes = _cleaned(values)
    probe = CauseFactor.objects.get(pk=record.pk)
    for name, value in changes.items():
        setattr(probe, name, value)
    _check(probe)
    # The polarity of a parent factor follows from its (possibly new) code.
    changes["polarity"] = probe.polarity
    return save_changes(
        actor=actor, instance=record, expected_version=expected_version, changes=changes
    )


@transaction.atomic
def cause_remove(*, actor: User, record: CauseFactor) -> None:
    """Remove a cause; its history stays and the removal is logged."""
    forget_judging(record.case)  # the case's judgement is read afresh after this
    subject = record.audit_subject()
    record._history_user = actor
    record.delete()
    events.case_data_deleted(actor, subject)
