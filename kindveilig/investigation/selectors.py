"""Reads for the investigation, each for a case obtained through the access door: the research
plan (the 6 standard questions, also those not yet started, and the specific ones), the
lifeline with its vulnerable periods (R13), questionnaire suggestions (R12), the Framework
overview per person, the conversations with R5 per child, and the facts for the next steps."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from kindveilig.cases.models import Case, Person, PersonRole
from kindveilig.cases.selectors import case_persons
from kindveilig.core.prepared import Prepared
from kindveilig.investigation.models import (
    Conversation,
    ConversationStatus,
    ConversationWith,
    FrameworkFinding,
    LifelineEvent,
    Observation,
    QuestionnaireAdministration,
    QuestionStatus,
    ResearchQuestion,
)
from kindveilig.knowledge.loader import knowledge_base
from kindveilig.knowledge.schema import Questionnaire
from kindveilig.method.investigation import (
    ChildConversationFacts,
    QuestionnaireSuggestion,
    conversation_with_child,
    lifeline_vulnerability,
    questionnaire_suggestions,
)
from kindveilig.method.next_steps import CaseFacts, QuestionFacts, next_steps
from kindveilig.method.outcome import Outcome

# Standard research questions that are asked per child (the others concern the family).
PER_CHILD_QUESTIONS = {"direct-gevaar", "bedreigend-handelen", "kindsignalen", "gevolgen"}


def threshold(code: str) -> float:
    return knowledge_base().threshold(code)


def children(case: Case) -> list[Person]:
    return [person for person in case_persons(case=case) if person.role == PersonRole.CHILD]


@dataclass
class PlanQuestion:
    """A question of the research plan; ``record`` is None for a standard question that has
    not been worked on yet."""

    number: int
    question: str
    standard_code: str
    child: Person | None
    record: ResearchQuestion | None

    @property
    def status(self) -> str:
        return self.record.status if self.record else QuestionStatus.OPEN

    @property
    def answered(self) -> bool:
        return self.status == QuestionStatus.ANSWERED

    @property
    def lacks_counter_evidence(self) -> bool:
        """Answered, but without considered contradicting information: the guard against
        confirming a first impression (§3.1.1)."""
        return self.answered and not (self.record and self.record.counter_evidence.strip())


def research_plan(*, case: Case) -> list[PlanQuestion]:
    """The plan, read once per request (the page, the stage's status and the next steps
    share it; like the persons, it is kept on the request's case object)."""
    cached: list[PlanQuestion] | None = getattr(case, "_research_plan", None)
    if cached is None:
        cached = case._research_plan = _research_plan(case)  # type: ignore[attr-defined]
    return cached


# The investigation's reads of every case page (its progress and next steps), compiled once
# (core.prepared).
_RESEARCH_QUESTIONS = Prepared(
    lambda case_id: ResearchQuestion.objects.filter(case_id=case_id).select_related("child"),
    case_id=int,
)
_CHILD_CONVERSATIONS = Prepared(
    lambda case_id, with_whom: Conversation.objects.filter(
        case_id=case_id, with_whom=with_whom
    ).only("person_ids", "status", "reason_not_held"),
    case_id=int,
    with_whom=str,
)
_FINDING_PERSONS = Prepared(
    lambda case_id: FrameworkFinding.objects.filter(case_id=case_id).order_by().only("person_id"),
    case_id=int,
)
_LIFELINE_EVENT_IDS = Prepared(
    lambda case_id: LifelineEvent.objects.filter(case_id=case_id).order_by().only("pk"),
    case_id=int,
)


def _research_plan(case: Case) -> list[PlanQuestion]:
    kb = knowledge_base()["research_questions"]
    records = _RESEARCH_QUESTIONS.list_of("case", case, case_id=case.pk)
    standard = {(record.standard_code, record.child_id): record for record in records}
    plan = []
    kids = children(case)
    for number, entry in enumerate(kb, start=1):
        text = str(getattr(entry, "question", "") or entry.label)
        targets: list[Person | None] = list(kids) if entry.code in PER_CHILD_QUESTIONS else [None]
        for child in targets or [None]:
            key = (entry.code, child.pk if child else None)
            plan.append(PlanQuestion(number, text, entry.code, child, standard.get(key)))
    specific = [record for record in records if not record.standard_code]
    for offset, record in enumerate(specific, start=len(kb) + 1):
        plan.append(PlanQuestion(offset, record.question, "", record.child, record))
    return plan


@dataclass(frozen=True)
class LifelineRow:
    event: LifelineEvent
    persons: list[Person]
    vulnerable: list[Outcome[str]] = field(default_factory=list)


def lifeline(*, case: Case, child: Person | None = None) -> list[LifelineRow]:
    """The lifeline in date order; each event with, for each child it concerns (or every child
    when it names none), whether it fell in the child's vulnerable period (R13). With ``child``:
    that child's lifeline, the events that concern it (by name, or the whole family)."""
    persons = {person.pk: person for person in case_persons(case=case)}
    below = threshold("r13.kwetsbare-leeftijd-onder")
    rows = []
    for event in LifelineEvent.objects.filter(case=case).order_by("date", "id"):
        named = [persons[pk] for pk in event.person_ids if pk in persons]
        kids = [p for p in named if p.role == PersonRole.CHILD] or children(case)
        if child is not None:
            if child not in kids:
                continue
            kids = [child]
        outcomes = [
            lifeline_vulnerability(
                event_date=event.date,
                child_name=kid.given_name,
                birth_date=kid.birth_date,
                below_age=below,
            )
            for kid in kids
        ]
        vulnerable = [outcome for outcome in outcomes if outcome.decision == "vulnerable"]
        rows.append(LifelineRow(event, named, vulnerable))
    return rows


def observations(*, case: Case) -> list[Observation]:
    return list(Observation.objects.filter(case=case).select_related("person"))


def questionnaires(*, case: Case) -> list[QuestionnaireAdministration]:
    return list(QuestionnaireAdministration.objects.filter(case=case).select_related("child"))


def questionnaire_suggestions_per_child(
    *, case: Case, today: dt.date | None = None
) -> list[tuple[Person, list[QuestionnaireSuggestion]]]:
    today = today or timezone.localdate()
    kb = knowledge_base()["questionnaires"].typed(Questionnaire)
    return [
        (child, questionnaire_suggestions(kb, birth_date=child.birth_date, today=today))
        for child in children(case)
        if child.birth_date is not None
    ]


@dataclass
class DimensionCell:
    code: str
    label: str
    concerns: list[FrameworkFinding] = field(default_factory=list)
    strengths: list[FrameworkFinding] = field(default_factory=list)


@dataclass
class FrameworkSide:
    code: str
    label: str
    cells: list[DimensionCell]


def framework_overviews(*, case: Case) -> list[tuple[Person | None, list[FrameworkSide]]]:
    """The triangle of every child, of each other person with findings, and of the family
    (None), read in one query."""
    by_person: dict[int | None, list[FrameworkFinding]] = defaultdict(list)
    for finding in FrameworkFinding.objects.filter(case=case):
        by_person[finding.person_id].append(finding)
    shown = [
        person
        for person in case_persons(case=case)
        if person.role == PersonRole.CHILD or by_person.get(person.pk)
    ]
    return [
        (person, _triangle(by_person.get(person.pk if person else None, [])))
        for person in [*shown, None]
    ]


def _triangle(findings: list[FrameworkFinding]) -> list[FrameworkSide]:
    """The three sides with, per dimension, the concerns and strengths recorded."""
    kb = knowledge_base()
    by_dimension: dict[str, list[FrameworkFinding]] = defaultdict(list)
    for finding in findings:
        by_dimension[finding.dimension].append(finding)
    sides = []
    for domain in kb["framework_domains"]:
        cells = []
        for dimension in kb["framework_dimensions"]:
            if getattr(dimension, "domain", None) != domain.code:
                continue
            found = by_dimension.get(dimension.code, [])
            cells.append(
                DimensionCell(
                    dimension.code,
                    dimension.label,
                    [finding for finding in found if finding.kind == "concern"],
                    [finding for finding in found if finding.kind == "strength"],
                )
            )
        sides.append(FrameworkSide(domain.code, domain.label, cells))
    return sides


def conversations(*, case: Case) -> list[Conversation]:
    return list(Conversation.objects.filter(case=case))


def _child_conversation_facts(case: Case) -> list[ChildConversationFacts]:
    held: set[int] = set()
    reasons: dict[int, str] = {}
    for conversation in _CHILD_CONVERSATIONS.list(
        case_id=case.pk, with_whom=ConversationWith.CHILD.value
    ):
        for person_id in conversation.person_ids:
            if conversation.status == ConversationStatus.HELD:
                held.add(int(person_id))
            elif conversation.status == ConversationStatus.NOT_HELD:
                reasons[int(person_id)] = conversation.reason_not_held
    return [
        ChildConversationFacts(
            child.pk,
            child.given_name,
            child.birth_date,
            child.pk in held,
            reasons.get(child.pk, ""),
        )
        for child in children(case)
    ]


def talk_with_children(*, case: Case, today: dt.date | None = None) -> list[Outcome[str]]:
    """R5 for each child of the case."""
    today = today or timezone.localdate()
    from_age = threshold("r5.gesprek-kind-vanaf-leeftijd")
    return [
        conversation_with_child(facts, today=today, from_age=from_age)
        for facts in _child_conversation_facts(case)
    ]


def case_facts(*, case: Case) -> CaseFacts:
    plan = research_plan(case=case)
    findings: dict[int, int] = defaultdict(int)
    for finding in _FINDING_PERSONS.list(case_id=case.pk):
        if finding.person_id is not None:
            findings[finding.person_id] += 1
    return CaseFacts(
        children=tuple(_child_conversation_facts(case)),
        reason_for_concern=bool(case.reason_for_concern.strip()),
        questions=tuple(
            QuestionFacts(
                question.number,
                question.question
                + (f" ({question.child.given_name})" if question.child is not None else ""),
                question.answered,
                not question.lacks_counter_evidence,
            )
            for question in plan
        ),
        lifeline_events=len(_LIFELINE_EVENT_IDS.list(case_id=case.pk)),
        findings_per_child=dict(findings),
    )


def case_next_steps(*, case: Case, today: dt.date | None = None) -> list[Outcome[str]]:
    """The next steps of the case (method.next_steps) with their reasons."""
    return next_steps(
        case_facts(case=case),
        today=today or timezone.localdate(),
        talk_from_age=threshold("r5.gesprek-kind-vanaf-leeftijd"),
    )
