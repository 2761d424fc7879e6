"""Rules of judging (handbook ch. 3 and §1.3): R1 direct danger, R2 the sibling signal, R3 risk
scenario priority, R4 the risk and protective factor inventory.

Pure: codes and numbers in, outcomes with reasons out. Thresholds (R3) and the base-rate
context (R4) come from the knowledge base through the caller, never as literals here. Safety
(R1) and risk (R3, R4) are separate judgements; a probability is the professional's stated
judgement, never a prediction (PRODUCT §2.2-2.3).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from kindveilig.method.outcome import Fact, MethodError, Outcome, Reason, Rule

SIBLING_SIGNAL = "kind.broer-zus-alarmsignaal"

# --- R1: direct danger ------------------------------------------------------------------------

DIRECT_DANGER = "direct_danger"
SAFETY_AGREEMENTS_NEEDED = "safety_agreements_needed"
NO_DIRECT_DANGER = "no_direct_danger"


def direct_danger(
    alarm_signals: Iterable[str], *, responsible_adult_guarantees_safety: bool
) -> Outcome[str]:
    """R1 (§3.2.1): ``direct_danger`` with one or more alarm signals and no responsible adult
    who guarantees the child's safety now; ``safety_agreements_needed`` with signals and such
    an adult; ``no_direct_danger`` without signals — which does not mean the child is safe."""
    signals = tuple(sorted(set(alarm_signals)))
    if not signals:
        return Outcome(Rule.R1, NO_DIRECT_DANGER, (Reason.of("r1.no-signal", source="3.2.1"),))
    if responsible_adult_guarantees_safety:
        reason = Reason.of("r1.signal-with-guarantee", source="3.2.1", signals=signals)
        return Outcome(Rule.R1, SAFETY_AGREEMENTS_NEEDED, (reason,))
    reason = Reason.of("r1.signal-without-guarantee", source="3.2.1", signals=signals)
    return Outcome(Rule.R1, DIRECT_DANGER, (reason,))


def immediate_action_required(decision: str) -> bool:
    """Direct danger asks for action now (intensive help at home or placement), not a plan."""
    return decision == DIRECT_DANGER


# --- R2: an alarm signal in a sibling ---------------------------------------------------------


def sibling_signal(
    child: str, current_signals: Mapping[str, Iterable[str]]
) -> Outcome[bool] | None:
    """R2 (§3.2.1): the sibling signal applies to ``child`` when another child of the case has
    a current assessment with an alarm signal other than the sibling signal itself (which
    would otherwise pass from child to child forever). ``current_signals`` maps every child of
    the case (by a stable key, e.g. the person id) to the signals of its current assessment.
    None when it does not apply."""
    siblings = tuple(
        sorted(
            other
            for other, signals in current_signals.items()
            if other != child and any(signal != SIBLING_SIGNAL for signal in signals)
        )
    )
    if not siblings:
        return None
    reason = Reason.of("r2.sibling-has-signal", source="3.2.1", siblings=siblings)
    return Outcome(Rule.R2, True, (reason,))


def signals_with_siblings(
    child: str, recorded: Iterable[str], current_signals: Mapping[str, Iterable[str]]
) -> list[tuple[str, str]]:
    """The signals that count for ``child``: those recorded (``"recorded"``) and, by R2, the
    sibling signal (``"sibling"``) unless it was recorded by hand already."""
    signals = [(code, "recorded") for code in sorted(set(recorded))]
    if sibling_signal(child, current_signals) and SIBLING_SIGNAL not in dict(signals):
        signals.append((SIBLING_SIGNAL, "sibling"))
    return signals


# --- R3: risk scenarios -----------------------------------------------------------------------

SCENARIO_KINDS = (
    "continuation",
    "recurrence",
    "onset",
    "circumstances-change",
    "positive-development",
)


@dataclass(frozen=True)
class Scenario:
    description: str
    probability: int  # 0-100, the professional's judgement in per cent
    severity: int  # 1-5
    kind: str = "continuation"
    trigger: str = ""

    def __post_init__(self) -> None:
        if not 0 <= self.probability <= 100:
            raise MethodError(f"R3: probability {self.probability} is outside 0-100")
        if not 1 <= self.severity <= 5:
            raise MethodError(f"R3: severity {self.severity} is outside 1-5")
        if self.kind not in SCENARIO_KINDS:
            raise MethodError(f"R3: unknown kind of scenario {self.kind!r}")


@dataclass(frozen=True)
class RankedScenario:
    scenario: Scenario
    outcome: Outcome[str]  # the priority A-D with its reason

    @property
    def priority(self) -> str:
        return self.outcome.decision

    @property
    def requires_safety_plan(self) -> bool:
        """A and B scenarios need agreements in the safety plan, on prevention (who does what
        so it does not happen) and on response (who does what if it happens)."""
        return self.priority in ("A", "B")


def scenario_priority(scenario: Scenario, *, severe_from: int, likely_from: int) -> Outcome[str]:
    """R3 (§3.4): A severe and likely, B severe and unlikely, C not severe and likely, D
    otherwise; severe from ``severe_from`` (1-5), likely from ``likely_from`` per cent."""
    severe = scenario.severity >= severe_from
    likely = scenario.probability >= likely_from
    priority = {(True, True): "A", (True, False): "B", (False, True): "C"}.get(
        (severe, likely), "D"
    )
    reason = Reason.of(
        f"r3.priority-{priority.lower()}",
        source="3.4",
        severity=scenario.severity,
        probability=scenario.probability,
        severe_from=severe_from,
        likely_from=likely_from,
    )
    return Outcome(Rule.R3, priority, (reason,))


def rank_scenarios(
    scenarios: Iterable[Scenario], *, severe_from: int, likely_from: int
) -> list[RankedScenario]:
    """The scenarios by priority, then severity, then probability (both descending); equal
    ones keep the order in which they were given."""
    ranked = [
        RankedScenario(
            scenario,
            scenario_priority(scenario, severe_from=severe_from, likely_from=likely_from),
        )
        for scenario in scenarios
    ]
    return sorted(
        ranked,
        key=lambda item: (item.priority, -item.scenario.severity, -item.scenario.probability),
    )


def risk_matrix(ranked: Sequence[RankedScenario]) -> dict[tuple[int, int], list[int]]:
    """The 5 x 5 matrix: (severity 1-5, probability band 1-5) -> the scenarios' positions in
    ``ranked`` (1-based). Band 1 is 0-19 %, band 5 is 80-100 %."""
    matrix: dict[tuple[int, int], list[int]] = {
        (severity, band): [] for severity in range(1, 6) for band in range(1, 6)
    }
    for position, item in enumerate(ranked, start=1):
        band = min(item.scenario.probability // 20 + 1, 5)
        matrix[(item.scenario.severity, band)].append(position)
    return matrix


# --- R4: the risk and protective factor inventory ---------------------------------------------


@dataclass(frozen=True)
class FactorInventory:
    risk_factor_count: int
    risk_factor_count_by_level: dict[str, int]
    weighty: tuple[str, ...]
    protective_factor_count: int  # those that may lower the chance (not the child's own)
    consequence_buffers: tuple[str, ...]  # the child's factors: against consequences only
    outcome: Outcome[str]


def factor_inventory(
    risk_factors: Mapping[str, str],
    protective_factors: Mapping[str, str],
    *,
    weighty: Iterable[str] = (),
    many_factors_from: int,
) -> FactorInventory:
    """R4 (§1.3, §3.4): counts per level, the factors marked weighty (one can be decisive),
    and the context of the count — never a prediction.

    ``risk_factors`` and ``protective_factors`` map each chosen code to its level (ouder,
    kind, gezin, omgeving). The child's own protective factors protect against the
    *consequences* of maltreatment (research the handbook calls young and contradictory): they
    are listed apart and not counted as lowering the chance. The decision names the context:
    ``many`` from ``many_factors_from`` risk factors, ``some`` below it, ``none`` without."""
    unknown_weighty = set(weighty) - set(risk_factors)
    if unknown_weighty:
        raise MethodError(f"R4: weighty factors not among the risk factors: {unknown_weighty}")
    by_level = dict(sorted(Counter(risk_factors.values()).items()))
    buffers = tuple(sorted(code for code, level in protective_factors.items() if level == "kind"))
    protective = len(protective_factors) - len(buffers)
    count = len(risk_factors)
    context = "none" if count == 0 else "many" if count >= many_factors_from else "some"
    reasons = [
        Reason.of(
            f"r4.context-{context}",
            source="1.3.1",
            count=count,
            many_from=many_factors_from,
        )
    ]
    if weighty:
        reasons.append(Reason.of("r4.weighty", source="3.4", risk_factors=tuple(sorted(weighty))))
    if buffers:
        reasons.append(Reason.of("r4.child-buffers", source="1.4.3", protective_factors=buffers))
    return FactorInventory(
        risk_factor_count=count,
        risk_factor_count_by_level=by_level,
        weighty=tuple(sorted(weighty)),
        protective_factor_count=protective,
        consequence_buffers=buffers,
        outcome=Outcome(Rule.R4, context, tuple(reasons)),
    )


# --- The next steps of judging ----------------------------------------------------------------

AWAITING = "awaiting"
RETURNED = "returned"
APPROVED = "approved"


@dataclass(frozen=True)
class ChildSafetyFacts:
    """One child's current safety assessment as the next steps need it (None: not assessed)."""

    person_id: int
    name: str
    decision: str | None = None
    review_on: dt.date | None = None
    approval: str | None = None  # AWAITING, RETURNED or APPROVED
    # Siblings whose alarm signal was recorded after this child's current assessment (R2).
    siblings_with_newer_signal: tuple[str, ...] = ()
    # Siblings re-assessed without a signal since R2 added the sibling signal to this child's.
    siblings_without_signal_since: tuple[str, ...] = ()


@dataclass(frozen=True)
class JudgingFacts:
    children: tuple[ChildSafetyFacts, ...]
    risk_assessed: bool = False
    risk_approval: str | None = None
    # A and B scenarios of the current risk assessment without safety-plan agreements:
    # (position, description, priority).
    scenarios_without_agreements: tuple[tuple[int, str, str], ...] = ()
    causes_recorded: int = 0
    conclusion_written: bool = False
    conclusion_approval: str | None = None


# Reason codes of the approval steps, per kind of judgement.
APPROVAL_REASONS = {
    ("safety", AWAITING): "steps.safety-awaiting-approval",
    ("safety", RETURNED): "steps.safety-returned",
    ("risk", AWAITING): "steps.risk-awaiting-approval",
    ("risk", RETURNED): "steps.risk-returned",
    ("conclusion", AWAITING): "steps.conclusion-awaiting-approval",
    ("conclusion", RETURNED): "steps.conclusion-returned",
}


def _approval_step(what: str, approval: str | None, **facts: Fact) -> Outcome[str] | None:
    """Four-eyes (§3.5): a judgement waits for a behavioural scientist, or was sent back."""
    code = APPROVAL_REASONS.get((what, approval or ""))
    if code is None:
        return None
    decision = "await-approval" if approval == AWAITING else "revise-after-return"
    return Outcome(Rule.METHOD, decision, (Reason.of(code, source="3.5", **facts),))


def _reassess_step(
    child: ChildSafetyFacts, about: dict[str, Fact], *, today: dt.date
) -> Outcome[str] | None:
    """Why the child's current safety assessment no longer holds, if it does not: R2 changed
    (a sibling's signal since, or the sibling signal lapsed), or the review date passed."""
    for siblings, code in (
        (child.siblings_with_newer_signal, "steps.sibling-signal-since"),
        (child.siblings_without_signal_since, "steps.sibling-signal-lapsed"),
    ):
        if siblings:
            reason = Reason.of(code, source="3.2.1", siblings=siblings, **about)
            return Outcome(Rule.R2, "reassess-safety", (reason,))
    if child.review_on is not None and child.review_on < today:
        due = child.review_on.strftime("%d-%m-%Y")
        reason = Reason.of("steps.safety-review-due", source="3.2.1", review_on=due, **about)
        return Outcome(Rule.R1, "reassess-safety", (reason,))
    return None


def judging_steps(facts: JudgingFacts, *, today: dt.date) -> list[Outcome[str]]:
    """The open steps of judging, most urgent first: a child in direct danger before anything
    else, then children not (or no longer) assessed, then risk, causes, the conclusion and the
    approvals they wait for."""
    urgent: list[Outcome[str]] = []
    steps: list[Outcome[str]] = []
    for child in facts.children:
        about: dict[str, Fact] = {"child": child.name, "person_id": child.person_id}
        if child.decision is None:
            reason = Reason.of("steps.safety-not-assessed", source="3.2.1", **about)
            steps.append(Outcome(Rule.R1, "assess-safety", (reason,)))
            continue
        if child.decision == DIRECT_DANGER:
            reason = Reason.of("steps.direct-danger", source="3.2.1", **about)
            urgent.append(Outcome(Rule.R1, "act-on-direct-danger", (reason,)))
        reassess = _reassess_step(child, about, today=today)
        if reassess:
            steps.append(reassess)
        step = _approval_step("safety", child.approval, **about)
        if step:
            steps.append(step)
    for position, description, priority in facts.scenarios_without_agreements:
        reason = Reason.of(
            "steps.scenario-without-agreements",
            source="3.4",
            position=position,
            description=description,
            priority=priority,
        )
        steps.append(Outcome(Rule.R3, "safety-plan-agreements", (reason,)))
    if not facts.risk_assessed:
        steps.append(
            Outcome(
                Rule.METHOD, "assess-risk", (Reason.of("steps.risk-not-assessed", source="3.4"),)
            )
        )
    else:
        step = _approval_step("risk", facts.risk_approval)
        if step:
            steps.append(step)
    if facts.causes_recorded == 0:
        steps.append(
            Outcome(Rule.METHOD, "record-causes", (Reason.of("steps.no-causes", source="3.3"),))
        )
    if not facts.conclusion_written:
        reason = Reason.of("steps.no-conclusion", source="3.5")
        steps.append(Outcome(Rule.METHOD, "write-conclusion", (reason,)))
    else:
        step = _approval_step("conclusion", facts.conclusion_approval)
        if step:
            steps.append(step)
    return urgent + steps
