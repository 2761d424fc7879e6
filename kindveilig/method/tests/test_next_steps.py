"""The next-steps panel: what the method asks for now, in its order, each with a reason; and
every reason the engine gives has its words in the knowledge base."""

import datetime as dt
import re
from pathlib import Path

import kindveilig.method
from kindveilig.knowledge.display import reason_sentence
from kindveilig.knowledge.loader import knowledge_base
from kindveilig.method.investigation import ChildConversationFacts
from kindveilig.method.next_steps import CaseFacts, QuestionFacts, next_steps

TODAY = dt.date(2026, 11, 29)
SANNE = ChildConversationFacts(11, "Sanne", dt.date(2017, 3, 14), False)
DAAN = ChildConversationFacts(12, "Daan", dt.date(2023, 2, 2), False)


def facts(**changes) -> CaseFacts:
    base = {
        "children": (SANNE, DAAN),
        "reason_for_concern": True,
        "questions": (
            QuestionFacts(1, "Loopt het kind direct gevaar?", True, True),
            QuestionFacts(2, "Bedreigend handelen?", True, False),
            QuestionFacts(3, "Kindsignalen?", False, False),
        ),
        "lifeline_events": 0,
        "findings_per_child": {12: 2},
    }
    return CaseFacts(**{**base, **changes})


def test_the_steps_follow_the_method_with_their_reasons() -> None:
    steps = next_steps(facts(), today=TODAY, talk_from_age=4)
    assert [(step.decision, step.reasons[0].code) for step in steps] == [
        ("talk-with-child", "r5.no-conversation"),  # Sanne (9); Daan (3) is too young
        ("test-hypothesis", "steps.no-counter-evidence"),
        ("answer-question", "steps.question-open"),
        ("start-lifeline", "steps.no-lifeline"),
        ("framework-findings", "steps.no-findings"),  # Sanne; Daan has findings
    ]
    assert steps[0].reasons[0].fact("child") == "Sanne"
    assert steps[2].reasons[0].fact("number") == 3


def test_a_done_investigation_has_no_steps() -> None:
    done = facts(
        children=(ChildConversationFacts(11, "Sanne", dt.date(2017, 3, 14), True), DAAN),
        questions=(QuestionFacts(1, "Direct gevaar?", True, True),),
        lifeline_events=4,
        findings_per_child={11: 3, 12: 1},
    )
    assert next_steps(done, today=TODAY, talk_from_age=4) == []


def test_an_empty_case_starts_with_the_children_and_the_concern() -> None:
    empty = facts(children=(), reason_for_concern=False, questions=(), findings_per_child={})
    steps = next_steps(empty, today=TODAY, talk_from_age=4)
    assert [step.decision for step in steps] == ["add-children", "record-concern"]


def test_every_reason_of_the_engine_has_words_that_fill_in() -> None:
    package = Path(kindveilig.method.__file__).parent
    codes = set()
    for path in package.glob("*.py"):
        codes |= set(re.findall(r'Reason\.of\(\s*"([a-z0-9.\-]+)"', path.read_text()))
    assert codes >= {"r5.no-conversation", "r12.age-fits", "r13.young-child"}
    assert codes <= knowledge_base()["method_reasons"].codes()
    step = next_steps(facts(), today=TODAY, talk_from_age=4)[0]
    assert reason_sentence(step.reasons[0].code, step.reasons[0].facts) == (
        "Sanne (9) heeft nog geen gesprek gehad."
    )
