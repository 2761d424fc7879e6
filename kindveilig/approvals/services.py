"""The four-eyes decision: approve or return a safety assessment, a risk assessment or the
conclusion.

Who may decide: a behavioural scientist (by account role) who is a current member of the case,
and never on their own work (the assessor of an assessment; anyone who saved a version of the
conclusion). Anyone else is refused with ``NotPermitted`` (logged as a denied access where it
is answered). What is decided on must be the current subject in its current version (an older
assessment or a changed conclusion is wrong input, a ``ValidationError``), and a return needs
a comment that says what has to change.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kindveilig.accounts.models import Role, User
from kindveilig.approvals import selectors
from kindveilig.approvals.models import Approval, Decision, SubjectType
from kindveilig.approvals.selectors import authors, find_subject
from kindveilig.assessment.models import SafetyAssessment
from kindveilig.assessment.selectors.current import (
    current_risk_assessment,
    current_safety_assessments,
    forget_judging,
)
from kindveilig.audit.models import AuditObject
from kindveilig.cases.access import user_is_case_member
from kindveilig.cases.models import Case
from kindveilig.cases.records import save_new
from kindveilig.core.errors import NotPermitted


def refusal(actor: User, case: Case) -> str | None:
    """Why ``actor`` may not decide on approvals in ``case`` at all, or None."""
    if actor.role != Role.BEHAVIOURAL_SCIENTIST:
        return _("Only a behavioural scientist approves or returns an assessment or conclusion.")
    if not user_is_case_member(actor, case.pk):
        return _("Only a behavioural scientist who is a member of this case can approve its work.")
    return None


def own_work_refusal() -> str:
    return _("You cannot approve your own work; another behavioural scientist has to.")


def _is_current(case: Case, subject_type: str, subject: object) -> bool:
    if subject_type == SubjectType.SAFETY_ASSESSMENT:
        assert isinstance(subject, SafetyAssessment)
        return current_safety_assessments(case=case).get(subject.child_id) == subject
    if subject_type == SubjectType.RISK_ASSESSMENT:
        return current_risk_assessment(case=case) == subject
    return True


@transaction.atomic
def approval_decide(
    *,
    actor: User,
    case: Case,
    subject_type: str,
    subject_id: int,
    subject_version: int,
    decision: str,
    comment: str,
) -> Approval:
    """Record the decision of ``actor`` on a subject of ``case``."""
    forget_judging(case)  # which assessment is current: as stored, not as read before
    if subject_type not in SubjectType.values:
        raise ValidationError({"subject_type": [_("Choose what you decide on.")]})
    reason = refusal(actor, case)
    if reason is not None:
        raise NotPermitted(reason, attempted=AuditObject.APPROVAL, case_id=case.pk)
    subject = find_subject(case=case, subject_type=subject_type, subject_id=subject_id)
    if subject is None:
        raise ValidationError({"subject_id": [_("This is not an assessment of this case.")]})
    if actor.pk in authors(subject_type, subject):
        raise NotPermitted(own_work_refusal(), attempted=AuditObject.APPROVAL, case_id=case.pk)
    errors: dict[str, list[str]] = {}
    if not _is_current(case, subject_type, subject):
        errors["subject_id"] = [
            _("This is no longer the current assessment; decide on the current one.")
        ]
    if subject_version != selectors.subject_version(subject_type, subject):
        errors["subject_version"] = [
            _("This has been changed since you read it; read the current version and decide again.")
        ]
    if decision not in Decision.values:
        errors["decision"] = [_("Choose whether you approve or return it.")]
    comment = comment.strip()
    if decision == Decision.RETURNED and not comment:
        errors["comment"] = [_("Say what has to change before it can be approved.")]
    if errors:
        raise ValidationError(errors)
    approval = Approval(
        case=case,
        subject_type=subject_type,
        subject_id=subject.pk,
        subject_version=subject_version,
        decision=decision,
        comment=comment,
        decided_by=actor,
        decided_at=timezone.now(),
    )
    return save_new(actor, approval)
