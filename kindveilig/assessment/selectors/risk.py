"""Reads of the risk assessment: the current one prepared for display (factors per level, the
context of R4 in the knowledge base's words, the scenarios in R3 order), its history, and the
outcomes of risk instruments with the handbook's caveats."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.safestring import SafeString

from kindveilig.assessment.matrix import risk_matrix_svg
from kindveilig.assessment.models import InstrumentOutcome, RiskAssessment, RiskScenario
from kindveilig.assessment.selectors.current import risk_history, stored_reason_texts
from kindveilig.cases.models import Case
from kindveilig.knowledge.display import display_value, entry_label, entry_text
from kindveilig.knowledge.loader import knowledge_base
from kindveilig.knowledge.schema import Entry

LEVELS = ("ouder", "kind", "gezin", "omgeving")
BASE_RATE_THRESHOLD = "r4.veel-risicofactoren-vanaf"


def context_text(assessment: RiskAssessment) -> str:
    """R4's context in words: the count as the rule gave it, with the base rate of the
    knowledge base (Brown e.a. 1998) — context for the professional's judgement, never a
    prediction."""
    context = [r for r in assessment.reasons if str(r.get("code", "")).startswith("r4.context-")]
    sentence = " ".join(stored_reason_texts(context))
    base_rate = entry_text(knowledge_base()["thresholds"].get(BASE_RATE_THRESHOLD))
    return " ".join(part for part in (sentence, base_rate) if part)


@dataclass(frozen=True)
class Factor:
    code: str
    label: str
    weighty: bool = False
    note: str = ""


@dataclass(frozen=True)
class Level:
    code: str
    label: str
    factors: list[Factor]


@dataclass
class RiskView:
    """One risk assessment as the pages show it."""

    assessment: RiskAssessment
    scenarios: list[RiskScenario]
    risk_levels: list[Level]
    count_by_level: dict[str, int]
    protective: list[Factor]  # may lower the chance (counted)
    child_buffers: list[Factor]  # the child's own: against the consequences only (not counted)
    context: str
    matrix: SafeString | None = None
    reasons: list[str] = field(default_factory=list)

    @property
    def risk_factor_count(self) -> int:
        return sum(self.count_by_level.values())

    @property
    def weighty(self) -> list[Factor]:
        return [factor for level in self.risk_levels for factor in level.factors if factor.weighty]


def risk_view(assessment: RiskAssessment, *, with_matrix: bool = False) -> RiskView:
    kb = knowledge_base()
    risk_entries, protective_entries = kb["risk_factors"], kb["protective_factors"]
    by_level: dict[str, list[Factor]] = {}
    for item in assessment.risk_factors:
        code = item["code"]
        level = getattr(risk_entries.get(code), "level", "") if code in risk_entries else ""
        label = entry_label(risk_entries.get(code)) if code in risk_entries else code
        by_level.setdefault(level, []).append(Factor(code, label, bool(item.get("weighty"))))
    levels = [
        Level(level, display_value(level), factors)
        for level in (*LEVELS, "")
        if (factors := by_level.get(level))
    ]
    protective: list[Factor] = []
    buffers: list[Factor] = []
    for code in assessment.protective_factors:
        if code not in protective_entries:
            protective.append(Factor(code, code))
            continue
        entry = protective_entries.get(code)
        if getattr(entry, "level", "") == "kind":
            buffers.append(Factor(code, entry_label(entry), note=entry.note or ""))
        else:
            protective.append(Factor(code, entry_label(entry)))
    scenarios = list(assessment.scenarios.all())
    return RiskView(
        assessment=assessment,
        scenarios=scenarios,
        risk_levels=levels,
        count_by_level={level.code: len(level.factors) for level in levels},
        protective=protective,
        child_buffers=buffers,
        context=context_text(assessment),
        matrix=risk_matrix_svg(scenarios) if with_matrix else None,
        reasons=stored_reason_texts(
            reason
            for reason in assessment.reasons
            if str(reason.get("code", "")).startswith("r4.")
            and not str(reason.get("code", "")).startswith("r4.context-")
        ),
    )


@dataclass(frozen=True)
class RiskOverview:
    current: RiskView | None
    history: list[RiskView]  # the earlier ones, newest first
    instruments: list[InstrumentOutcome]


def risk_overview(*, case: Case) -> RiskOverview:
    history = risk_history(case=case)
    views = [risk_view(item, with_matrix=index == 0) for index, item in enumerate(history)]
    return RiskOverview(
        current=views[0] if views else None,
        history=views[1:],
        instruments=list(InstrumentOutcome.objects.filter(case=case)),
    )


def guidance(name: str) -> list[Entry]:
    """The entries of a guidance list (risk_questions, risk_scenario_steps,
    risk_instrument_caveats) in the handbook's order."""
    return sorted(knowledge_base()[name], key=lambda entry: entry.order or 0)
