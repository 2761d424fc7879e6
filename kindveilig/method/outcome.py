"""What every rule returns, and how a professional's deviation from it is expressed.

Principle 6 of PRODUCT §2: every suggestion, warning and decision says why (which rule, which
facts), and the professional can deviate with a reason, which is recorded. ``Outcome`` carries
the why; ``Override`` the deviation; ``Judgement`` the two together, as the app stores them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

Decision = TypeVar("Decision")

# A fact a reason rests on: a value as recorded (a code, a count, an age, a list of codes).
Fact = str | int | float | bool | tuple[str, ...] | None


class Rule(enum.StrEnum):
    """The method's rules (PRODUCT §5), by their number in the specification."""

    R1 = "R1"  # direct danger, §3.2.1
    R2 = "R2"  # sibling alarm signal, §3.2.1
    R3 = "R3"  # risk scenario priority, §3.4
    R4 = "R4"  # risk and protective factor inventory, §1.3 and §3.4
    R5 = "R5"  # conversation with the child, §4.4
    R6 = "R6"  # goal quality, §5.3
    R7 = "R7"  # change prognosis, §5.4
    R8 = "R8"  # intervention matching, §5.5
    R9 = "R9"  # plan audit, §2.2.2, §2.5
    R10 = "R10"  # monitoring triggers, §5.6
    R11 = "R11"  # closure, §5.6
    R12 = "R12"  # questionnaire suggestions, bijlage 3.1
    R13 = "R13"  # lifeline vulnerability, §3.1.2
    R14 = "R14"  # meldcode afwegingskader 2019
    # A step of the method itself (the handbook's order of work, named by its §), not one of
    # the numbered rules.
    METHOD = "method"


class MethodError(ValueError):
    """A rule or an override was given data that breaks its contract."""


@dataclass(frozen=True)
class Reason:
    """One reason for an outcome: a stable code saying what it is, the facts it rests on, and
    where in the handbook (or the knowledge base) the reasoning comes from.

    Codes are stable (``r1.alarm-signal-without-guarantee``); the text shown to a professional
    is looked up by code in the current language, with the facts filled in.
    """

    code: str
    facts: tuple[tuple[str, Fact], ...] = ()
    source: str = ""

    @classmethod
    def of(cls, code: str, *, source: str = "", **facts: Fact) -> Reason:
        return cls(code=code, facts=tuple(sorted(facts.items())), source=source)

    def fact(self, name: str) -> Fact:
        return dict(self.facts).get(name)

    def as_data(self, rule: Rule) -> dict[str, object]:
        """The reason as a record stores it (JSON): {"rule", "code", "source", "facts"}, the
        facts as an object with lists for tuples."""
        facts = {
            name: list(value) if isinstance(value, tuple) else value for name, value in self.facts
        }
        return {"rule": str(rule), "code": self.code, "source": self.source, "facts": facts}

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Reason:
        """A stored reason (``as_data``) back, so its words can be shown in any language."""
        facts = data.get("facts") or {}
        return cls(
            code=str(data.get("code", "")),
            facts=tuple(
                sorted(
                    (str(name), tuple(value) if isinstance(value, list) else value)
                    for name, value in facts.items()
                )
            ),
            source=str(data.get("source", "")),
        )


@dataclass(frozen=True)
class Outcome(Generic[Decision]):
    """The result of applying one rule: the decision and every reason for it (at least one)."""

    rule: Rule
    decision: Decision
    reasons: tuple[Reason, ...]

    def __post_init__(self) -> None:
        if not self.reasons:
            raise MethodError(f"{self.rule}: an outcome must say why (no reasons given)")

    def reasons_as_data(self) -> list[dict[str, object]]:
        """The reasons as a record stores them (``Reason.as_data``)."""
        return [reason.as_data(self.rule) for reason in self.reasons]


@dataclass(frozen=True)
class Override(Generic[Decision]):
    """A professional's decision that differs from a rule's outcome, with their reason."""

    rule: Rule
    original: Decision
    decision: Decision
    reason: str

    def __post_init__(self) -> None:
        if not self.reason.strip():
            raise MethodError(f"{self.rule}: deviating from the outcome needs a reason")
        if self.decision == self.original:
            raise MethodError(f"{self.rule}: an override must change the decision")


@dataclass(frozen=True)
class Judgement(Generic[Decision]):
    """A rule's outcome with the professional's override, if any: what the app records."""

    outcome: Outcome[Decision]
    override: Override[Decision] | None = None

    def __post_init__(self) -> None:
        if self.override is None:
            return
        if (self.override.rule, self.override.original) != (
            self.outcome.rule,
            self.outcome.decision,
        ):
            raise MethodError(f"{self.override.rule}: the override does not belong to this outcome")

    @property
    def decision(self) -> Decision:
        """The decision that holds: the professional's where they deviated, else the rule's."""
        return self.override.decision if self.override is not None else self.outcome.decision

    @property
    def overridden(self) -> bool:
        return self.override is not None
