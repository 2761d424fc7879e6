"""R5, R12 and R13: the investigation's rules, with their reasons."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kindveilig.knowledge.loader import knowledge_base
from kindveilig.method.investigation import (
    ChildConversationFacts,
    ChildConversationPlan,
    age_in_years,
    child_conversation_readiness,
    conversation_with_child,
    exact_age,
    lifeline_vulnerability,
    questionnaire_suggestions,
)

TODAY = dt.date(2026, 11, 29)


def child(birth: dt.date | None, held=False, reason="") -> ChildConversationFacts:
    return ChildConversationFacts(1, "Sanne", birth, held, reason)


@pytest.mark.parametrize(
    ("birth", "held", "reason", "decision"),
    [
        (dt.date(2017, 3, 14), False, "", "needed"),
        (dt.date(2022, 11, 29), False, "", "needed"),  # 4 today
        (dt.date(2022, 11, 30), False, "", "too_young"),  # 4 tomorrow
        (dt.date(2017, 3, 14), True, "", "held"),
        (
            dt.date(2017, 3, 14),
            False,
            "Kind in crisisopvang, eerst stabiliseren",
            "reason_recorded",
        ),
        (None, False, "", "age_unknown"),
    ],
)
def test_r5_talk_with_every_child_from_four_unless(birth, held, reason, decision) -> None:
    outcome = conversation_with_child(child(birth, held, reason), today=TODAY, from_age=4)
    assert outcome.decision == decision
    if decision == "needed":
        assert outcome.reasons[0].code == "r5.no-conversation"
        assert outcome.reasons[0].fact("child") == "Sanne"


@given(st.booleans(), st.text(max_size=5), st.text(max_size=5))
def test_r5_readiness_names_each_missing_preparation(parents, exception, aftercare) -> None:
    outcome = child_conversation_readiness(ChildConversationPlan(parents, exception, aftercare))
    missing = {reason.code for reason in outcome.reasons} - {"r5.prepared"}
    assert ("r5.parents-first" in missing) == (not parents and not exception.strip())
    assert ("r5.aftercare-first" in missing) == (not aftercare.strip())
    assert (outcome.decision == "ready") == (not missing)


@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=TODAY))
def test_age_in_whole_years_never_exceeds_the_exact_age(birth) -> None:
    whole = age_in_years(birth, TODAY)
    assert whole <= exact_age(birth, TODAY) < whole + 1


def suggested(birth: dt.date, informant=None) -> dict[str, str]:
    found = questionnaire_suggestions(
        knowledge_base()["questionnaires"], birth_date=birth, today=TODAY, informant=informant
    )
    return {suggestion.code: suggestion.version for suggestion in found}


def test_r12_suggests_questionnaires_by_age_and_informant() -> None:
    nine = dt.date(2017, 3, 14)
    three = dt.date(2023, 2, 2)
    assert suggested(nine)["cbcl"] == "CBCL 6-18"
    assert suggested(three)["cbcl"] == "CBCL 1½-5"
    assert "kippi" in suggested(three) and "kippi" not in suggested(nine)
    assert "ysr" not in suggested(nine)  # self-report from 11
    assert "ysr" in suggested(dt.date(2014, 1, 1))
    assert set(suggested(nine, informant="teacher")) == {
        code for code, _ in suggested(nine).items() if code in {"trf", "sdq"}
    }
    outcome = questionnaire_suggestions(
        knowledge_base()["questionnaires"], birth_date=nine, today=TODAY
    )[0].outcome
    assert outcome.reasons[0].code == "r12.age-fits" and outcome.reasons[0].fact("age") == 9


@pytest.mark.parametrize(
    ("event", "decision", "code"),
    [
        (dt.date(2016, 12, 1), "vulnerable", "r13.before-birth"),
        (dt.date(2019, 6, 1), "vulnerable", "r13.young-child"),  # Sanne was 2
        (dt.date(2022, 3, 13), "vulnerable", "r13.young-child"),  # one day before 5
        (dt.date(2022, 3, 14), "not_vulnerable", "r13.older"),
    ],
)
def test_r13_events_of_the_young_child_are_marked(event, decision, code) -> None:
    outcome = lifeline_vulnerability(
        event_date=event, child_name="Sanne", birth_date=dt.date(2017, 3, 14), below_age=5
    )
    assert (outcome.decision, outcome.reasons[0].code) == (decision, code)
