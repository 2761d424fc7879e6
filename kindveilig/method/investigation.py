"""Rules of the investigation (handbook ch. 3-4): R5 conversation with the child, R12
questionnaire suggestions, R13 vulnerable period on the lifeline.

Pure: plain facts in (built by ``investigation.facts`` from the records), outcomes with reasons
out; thresholds come from the knowledge base, dates from the caller.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from kindveilig.knowledge.schema import Questionnaire
from kindveilig.method.outcome import Fact, Outcome, Reason, Rule


def age_in_years(birth_date: dt.date, on: dt.date) -> int:
    """Whole years on ``on`` (the birthday of that year counts once it is reached)."""
    return on.year - birth_date.year - int((on.month, on.day) < (birth_date.month, birth_date.day))


def exact_age(birth_date: dt.date, on: dt.date) -> float:
    """Age in years with the fraction of the current year (for ranges like 1½-5)."""
    whole = age_in_years(birth_date, on)
    try:
        last_birthday = birth_date.replace(year=birth_date.year + whole)
    except ValueError:  # born on 29 February
        last_birthday = dt.date(birth_date.year + whole, 3, 1)
    return whole + (on - last_birthday).days / 365.25


# --- R5: talk with the child, unless there is a reason not to --------------------------------


@dataclass(frozen=True)
class ChildConversationFacts:
    person_id: int
    name: str
    birth_date: dt.date | None
    conversation_held: bool
    reason_not_to_talk: str = ""


def conversation_with_child(
    child: ChildConversationFacts, *, today: dt.date, from_age: float
) -> Outcome[str]:
    """R5: ``needed`` for a child of ``from_age`` or older without a held conversation and
    without a recorded reason not to talk; otherwise ``held``, ``reason_recorded`` or
    ``too_young`` (or ``age_unknown``)."""
    facts: dict[str, Fact] = {"child": child.name, "person_id": child.person_id}
    if child.conversation_held:
        return Outcome(Rule.R5, "held", (Reason.of("r5.held", source="4.4", **facts),))
    if child.reason_not_to_talk.strip():
        return Outcome(
            Rule.R5, "reason_recorded", (Reason.of("r5.reason-recorded", source="4.4", **facts),)
        )
    if child.birth_date is None:
        return Outcome(
            Rule.R5, "age_unknown", (Reason.of("r5.age-unknown", source="4.4", **facts),)
        )
    age = age_in_years(child.birth_date, today)
    if age < from_age:
        reason = Reason.of("r5.too-young", source="4.4", age=age, from_age=from_age, **facts)
        return Outcome(Rule.R5, "too_young", (reason,))
    reason = Reason.of("r5.no-conversation", source="4.4", age=age, **facts)
    return Outcome(Rule.R5, "needed", (reason,))


@dataclass(frozen=True)
class ChildConversationPlan:
    parents_spoken: bool
    parents_first_exception: str
    aftercare: str


def child_conversation_readiness(plan: ChildConversationPlan) -> Outcome[str]:
    """R5, the preparation: parents are spoken to before the child (unless recorded otherwise)
    and aftercare for the child is arranged before the conversation. ``ready`` or
    ``not_ready`` with a reason for each thing still missing."""
    missing = []
    if not plan.parents_spoken and not plan.parents_first_exception.strip():
        missing.append(Reason.of("r5.parents-first", source="4.4"))
    if not plan.aftercare.strip():
        missing.append(Reason.of("r5.aftercare-first", source="4.4"))
    if missing:
        return Outcome(Rule.R5, "not_ready", tuple(missing))
    return Outcome(Rule.R5, "ready", (Reason.of("r5.prepared", source="4.4"),))


# --- R12: questionnaires by age and informant -------------------------------------------------


@dataclass(frozen=True)
class QuestionnaireSuggestion:
    code: str
    version: str
    informants: tuple[str, ...]
    outcome: Outcome[str]


def _in_range(age: float, low: float, high: float) -> bool:
    # Whole-year bounds are inclusive: "up to 5" means until the sixth birthday.
    return low <= age < high + 1


def questionnaire_suggestions(
    questionnaires: Iterable[Questionnaire],
    *,
    birth_date: dt.date,
    today: dt.date,
    informant: str | None = None,
) -> list[QuestionnaireSuggestion]:
    """R12: the questionnaires (and their version) that fit the child's age on ``today``, and
    ``informant`` when given; in the knowledge base's order."""
    age = exact_age(birth_date, today)
    suggestions = []
    for questionnaire in questionnaires:
        if questionnaire.subject != "child":
            continue
        versions = questionnaire.versions or []
        fitting = [v for v in versions if _in_range(age, v.age_min, v.age_max)]
        if versions and not fitting:
            continue
        if not versions and not _in_range(age, questionnaire.age_min, questionnaire.age_max):
            continue
        informants = tuple(questionnaire.informants)
        if informant is not None and informant not in informants:
            continue
        version = fitting[0] if fitting else None
        low, high = (
            (version.age_min, version.age_max)
            if version
            else (
                questionnaire.age_min,
                questionnaire.age_max,
            )
        )
        reason = Reason.of(
            "r12.age-fits",
            source="bijlage 3.1",
            questionnaire=questionnaire.code,
            age=int(age),
            age_min=low,
            age_max=high,
            informants=informants,
        )
        suggestions.append(
            QuestionnaireSuggestion(
                code=questionnaire.code,
                version=version.label if version else "",
                informants=informants,
                outcome=Outcome(Rule.R12, "suggested", (reason,)),
            )
        )
    return suggestions


# --- R13: events in a vulnerable period -------------------------------------------------------


def lifeline_vulnerability(
    *, event_date: dt.date, child_name: str, birth_date: dt.date | None, below_age: float
) -> Outcome[str]:
    """R13: ``vulnerable`` when the child was younger than ``below_age`` on the event's date
    (table 1.1: the young child), ``not_vulnerable`` otherwise, ``unknown`` without a birth
    date or for an event before the birth (``before_birth``: pregnancy counts as vulnerable)."""
    if birth_date is None:
        return Outcome(Rule.R13, "unknown", (Reason.of("r13.age-unknown", child=child_name),))
    if event_date < birth_date:
        reason = Reason.of("r13.before-birth", source="1.3.1", child=child_name)
        return Outcome(Rule.R13, "vulnerable", (reason,))
    age = age_in_years(birth_date, event_date)
    facts: dict[str, Fact] = {"child": child_name, "age": age, "below_age": below_age}
    if age < below_age:
        return Outcome(
            Rule.R13, "vulnerable", (Reason.of("r13.young-child", source="1.3.1", **facts),)
        )
    return Outcome(Rule.R13, "not_vulnerable", (Reason.of("r13.older", source="1.3.1", **facts),))
