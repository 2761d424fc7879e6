"""Reads for the conclusion page: the conclusion of the case (if saved), and the 6 standard
research questions (per child where they concern a child) with their answers and what each
rests on: questions 1-4 the child's current safety assessment, 5 the causes, 6 the current risk
assessment."""

from __future__ import annotations

from dataclasses import dataclass

from kindveilig.assessment.models import Conclusion, RiskAssessment, SafetyAssessment
from kindveilig.assessment.selectors.current import (
    current_risk_assessment,
    current_safety_assessments,
)
from kindveilig.cases.models import Case
from kindveilig.investigation.selectors import PER_CHILD_QUESTIONS, PlanQuestion, research_plan

CAUSES_QUESTION = "oorzaken"
RISK_QUESTION = "toekomstige-risicos"
# Research questions 2-4 and the field of the safety assessment that answers them there.
ASSESSMENT_ANSWERS = {
    "bedreigend-handelen": "threatening_acts",
    "kindsignalen": "child_signals",
    "gevolgen": "consequences",
}


def conclusion_of(*, case: Case) -> Conclusion | None:
    return Conclusion.objects.filter(case=case).first()


@dataclass
class ConclusionQuestion:
    """A standard research question with what its answer rests on: ``rests_on`` is "safety"
    (with the child's current ``safety`` assessment, if any), "causes" or "risk" (with the
    current ``risk`` assessment, if any)."""

    item: PlanQuestion
    rests_on: str
    safety: SafetyAssessment | None = None
    risk: RiskAssessment | None = None

    @property
    def open(self) -> bool:
        return not self.item.answered

    @property
    def in_assessment(self) -> str:
        """What the child's current safety assessment says to this question (research
        questions 2-4 are answered there too): material for the answer, not the answer."""
        field = ASSESSMENT_ANSWERS.get(self.item.standard_code)
        if self.safety is None or field is None:
            return ""
        return str(getattr(self.safety, field))


def standard_questions(*, case: Case) -> list[ConclusionQuestion]:
    safety = current_safety_assessments(case=case)
    risk = current_risk_assessment(case=case)
    rows = []
    for item in research_plan(case=case):
        if not item.standard_code:
            continue
        if item.standard_code in PER_CHILD_QUESTIONS:
            current = safety.get(item.child.pk) if item.child is not None else None
            rows.append(ConclusionQuestion(item, "safety", safety=current))
        elif item.standard_code == CAUSES_QUESTION:
            rows.append(ConclusionQuestion(item, "causes"))
        else:
            rows.append(ConclusionQuestion(item, "risk", risk=risk))
    return rows
