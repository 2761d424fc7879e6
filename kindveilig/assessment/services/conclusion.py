"""Writes for the conclusion (samenhangend beeld, §3.5): one per case, made on its first save
and changed after that with optimistic concurrency. An approval holds for the version it was
given to, so every change that is saved asks for approval again."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from kindveilig.accounts.models import User
from kindveilig.assessment.models import Conclusion
from kindveilig.assessment.selectors.current import forget_judging
from kindveilig.cases.models import Case
from kindveilig.cases.records import ConcurrentEditError, save_changes, save_new


@transaction.atomic
def conclusion_save(
    *, actor: User, case: Case, expected_version: int, summary: str, sources: str
) -> Conclusion:
    """Save the conclusion of ``case``. ``expected_version`` is the version the editor read
    (0 when there was none yet); a stale one raises ConcurrentEditError and saves nothing."""
    forget_judging(case)  # the case's judgement is read afresh after this
    changes = {"summary": summary.strip(), "sources": sources.strip()}
    existing = Conclusion.objects.filter(case=case).first()
    if existing is not None:
        return save_changes(
            actor=actor, instance=existing, expected_version=expected_version, changes=changes
        )
    if expected_version not in (0, None):
        # It was read, then removed: nothing to compare with; start again from empty.
        raise ConcurrentEditError(current=Conclusion(case=case), attempted=changes)
    try:
        with transaction.atomic():
            return save_new(actor, Conclusion(case=case, **changes))
    except IntegrityError:
        # Someone else made the first version at the same moment.
        current = Conclusion.objects.get(case=case)
        raise ConcurrentEditError(current=current, attempted=changes) from None
