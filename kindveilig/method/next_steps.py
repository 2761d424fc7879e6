"""The "next steps" of a case: what the method asks for now, each with its reason.

Computed from plain facts of the case (``investigation.facts`` builds them), in the method's
order: first the family itself (who are the children, what is the concern), then talking with
each child (R5), then the research questions (answered, and tested against counter-evidence),
then the lifeline and the Framework findings per child. A step is an ``Outcome`` whose decision
is the step's code; its reason names the facts (which child, which question).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kindveilig.method.investigation import ChildConversationFacts, conversation_with_child
from kindveilig.method.outcome import Fact, Outcome, Reason, Rule


@dataclass(frozen=True)
class QuestionFacts:
    number: int
    question: str
    answered: bool
    counter_evidence_considered: bool


@dataclass(frozen=True)
class CaseFacts:
    children: tuple[ChildConversationFacts, ...]
    reason_for_concern: bool
    questions: tuple[QuestionFacts, ...]
    lifeline_events: int
    findings_per_child: dict[int, int]


def _step(code: str, rule: Rule, reason: Reason) -> Outcome[str]:
    return Outcome(rule, code, (reason,))


def next_steps(facts: CaseFacts, *, today: dt.date, talk_from_age: float) -> list[Outcome[str]]:
    """The open steps of the investigation, most urgent first; an empty list when none."""
    steps: list[Outcome[str]] = []
    if not facts.children:
        steps.append(_step("add-children", Rule.METHOD, Reason.of("steps.no-child", source="3.1")))
    if not facts.reason_for_concern:
        steps.append(
            _step("record-concern", Rule.METHOD, Reason.of("steps.no-concern", source="3.1"))
        )
    for child in facts.children:
        talk = conversation_with_child(child, today=today, from_age=talk_from_age)
        if talk.decision == "needed":
            steps.append(Outcome(Rule.R5, "talk-with-child", talk.reasons))
    for question in facts.questions:
        about: dict[str, Fact] = {"number": question.number, "question": question.question}
        if not question.answered:
            reason = Reason.of("steps.question-open", source="3.1.1", **about)
            steps.append(_step("answer-question", Rule.METHOD, reason))
        elif not question.counter_evidence_considered:
            reason = Reason.of("steps.no-counter-evidence", source="3.1.1", **about)
            steps.append(_step("test-hypothesis", Rule.METHOD, reason))
    if facts.children and facts.lifeline_events == 0:
        steps.append(
            _step("start-lifeline", Rule.METHOD, Reason.of("steps.no-lifeline", source="3.1.2"))
        )
    for child in facts.children:
        if not facts.findings_per_child.get(child.person_id):
            reason = Reason.of(
                "steps.no-findings", source="3.1.2", child=child.name, person_id=child.person_id
            )
            steps.append(_step("framework-findings", Rule.METHOD, reason))
    return steps
