"""Reads of the four-eyes review: the subjects of a case that can be approved (the current
safety assessment per child, the current risk assessment, the conclusion), the state of each
for its current version, and the decisions taken before."""

from __future__ import annotations

from dataclasses import dataclass, field

from kindveilig.approvals.models import Approval, Decision, SubjectType
from kindveilig.assessment.models import Conclusion, RiskAssessment, SafetyAssessment
from kindveilig.assessment.selectors.current import (
    current_conclusion,
    current_risk_assessment,
    current_safety_assessments,
)
from kindveilig.cases.models import Case
from kindveilig.core.prepared import Prepared

Subject = SafetyAssessment | RiskAssessment | Conclusion

AWAITING = "awaiting"
APPROVED = "approved"
RETURNED = "returned"


def subject_version(subject_type: str, subject: Subject) -> int:
    """The version an approval is given to: the conclusion's version; 1 for an assessment,
    which is never changed once saved."""
    return subject.version if subject_type == SubjectType.CONCLUSION else 1


def conclusion_authors(conclusion: Conclusion) -> set[int]:
    """Everyone who saved a version of the conclusion (its history)."""
    return {
        user_id
        for user_id in conclusion.history.values_list("history_user_id", flat=True)
        if user_id is not None
    }


def authors(subject_type: str, subject: Subject) -> set[int]:
    """The users whose work the subject is: they may not approve it."""
    if subject_type == SubjectType.CONCLUSION:
        assert isinstance(subject, Conclusion)
        return conclusion_authors(subject)
    assert isinstance(subject, SafetyAssessment | RiskAssessment)
    return {subject.assessed_by_id}


def decisions(subject_type: str, subject: Subject) -> list[Approval]:
    """Every decision on the subject (any version), newest first."""
    return list(
        Approval.objects.filter(
            case_id=subject.case_id, subject_type=subject_type, subject_id=subject.pk
        )
        .select_related("decided_by")
        .order_by("-decided_at", "-id")
    )


def status_of(decision: str | None) -> str:
    """The state of a judgement from the latest decision on its current version (or None)."""
    if decision is None:
        return AWAITING
    return APPROVED if decision == Decision.APPROVED else RETURNED


def _latest_on_version(history: list[Approval], version: int) -> Approval | None:
    return next((d for d in history if d.subject_version == version), None)


def approval_state(subject_type: str, subject: Subject) -> tuple[str, Approval | None]:
    """("approved" | "returned" | "awaiting", the latest decision on the current version)."""
    version = subject_version(subject_type, subject)
    latest = _latest_on_version(decisions(subject_type, subject), version)
    return status_of(latest.decision if latest else None), latest


@dataclass
class ReviewSubject:
    """A subject of the review with its state for its current version."""

    subject_type: str
    record: Subject
    status: str
    latest: Approval | None
    history: list[Approval] = field(default_factory=list)
    author_ids: set[int] = field(default_factory=set)

    @property
    def version(self) -> int:
        return subject_version(self.subject_type, self.record)

    @property
    def label(self) -> str:
        return str(SubjectType(self.subject_type).label)


def _subjects(case: Case) -> list[tuple[str, Subject]]:
    found: list[tuple[str, Subject]] = [
        (SubjectType.SAFETY_ASSESSMENT, assessment)
        for assessment in current_safety_assessments(case=case).values()
    ]
    risk = current_risk_assessment(case=case)
    if risk is not None:
        found.append((SubjectType.RISK_ASSESSMENT, risk))
    conclusion = current_conclusion(case=case)
    if conclusion is not None and conclusion.written:
        found.append((SubjectType.CONCLUSION, conclusion))
    return found


def review_subjects(*, case: Case) -> list[ReviewSubject]:
    """Every current subject of the case with its state and earlier decisions."""
    subjects = []
    for subject_type, record in _subjects(case):
        history = decisions(subject_type, record)
        latest = _latest_on_version(history, subject_version(subject_type, record))
        status = status_of(latest.decision if latest else None)
        subjects.append(
            ReviewSubject(
                subject_type, record, status, latest, history, authors(subject_type, record)
            )
        )
    return subjects


def awaiting_approval(case: Case) -> list[ReviewSubject]:
    """The current subjects whose current version has no decision yet (the next step
    "Beoordeling wacht op goedkeuring"); a returned subject is not awaiting: it is back with
    its author."""
    return [subject for subject in review_subjects(case=case) if subject.status == AWAITING]


def find_subject(*, case: Case, subject_type: str, subject_id: int) -> Subject | None:
    """The subject of that type in this case, or None."""
    if subject_type == SubjectType.SAFETY_ASSESSMENT:
        return SafetyAssessment.objects.filter(case=case, pk=subject_id).first()
    if subject_type == SubjectType.RISK_ASSESSMENT:
        return RiskAssessment.objects.filter(case=case, pk=subject_id).first()
    return Conclusion.objects.filter(case=case, pk=subject_id).first()


def case_approvals(*, case: Case) -> list[Approval]:
    return list(Approval.objects.filter(case=case).select_related("decided_by"))


# Read on every case page (core.prepared): the decisions, oldest first.
_CASE_DECISIONS = Prepared(
    lambda case_id: (
        Approval.objects.filter(case_id=case_id)
        .order_by("decided_at", "id")
        .only("subject_type", "subject_id", "subject_version", "decision")
    ),
    case_id=int,
)


def case_approval_states(case: Case) -> dict[tuple[str, int], str]:
    """(subject type, id) -> the state of each current subject, in one read of the case's
    decisions: what the stage "Beoordeling" needs for its next steps on every case page."""
    latest: dict[tuple[str, int, int], str] = {}
    for approval in _CASE_DECISIONS.list(case_id=case.pk):
        latest[(approval.subject_type, approval.subject_id, approval.subject_version)] = (
            approval.decision
        )
    return {
        (str(subject_type), record.pk): status_of(
            latest.get((subject_type, record.pk, subject_version(subject_type, record)))
        )
        for subject_type, record in _subjects(case)
    }
