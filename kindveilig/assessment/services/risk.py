"""Writes of the risk assessment (§3.4, research question 6): a risk assessment with its risk
and protective factors (R4) and its scenarios ranked by R3, and the outcomes of risk
instruments.

A risk assessment is never changed: a re-assessment is a new record, so the history shows how
the risk changed over time. The engine's outcome is stored as it was (context, reasons, each
scenario's priority); a professional who deviates from a scenario's priority records the
priority that holds and why.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kindveilig.accounts.models import User
from kindveilig.assessment.models import (
    InstrumentOutcome,
    RiskAssessment,
    RiskScenario,
    ScenarioKind,
)
from kindveilig.assessment.selectors.current import forget_judging
from kindveilig.assessment.services.overrides import override_errors
from kindveilig.audit import events
from kindveilig.cases.models import Case
from kindveilig.cases.records import save_changes, save_new
from kindveilig.knowledge.loader import knowledge_base
from kindveilig.knowledge.schema import ProtectiveFactor, RiskFactor
from kindveilig.method.judging import (
    FactorInventory,
    RankedScenario,
    Scenario,
    factor_inventory,
    rank_scenarios,
    scenario_priority,
)
from kindveilig.method.outcome import Rule

Errors = dict[str, list[str]]
PRIORITIES = ("A", "B", "C", "D")


@dataclass(frozen=True)
class RiskThresholds:
    """The thresholds of R3 and R4 as the knowledge base sets them."""

    severe_from: int
    likely_from: int
    many_factors_from: int


def risk_thresholds() -> RiskThresholds:
    kb = knowledge_base()

    def value(code: str) -> int:
        return int(kb.threshold(code))

    return RiskThresholds(
        severe_from=value("r3.ernst-hoog"),
        likely_from=value("r3.kans-groot"),
        many_factors_from=value("r4.veel-risicofactoren-vanaf"),
    )


def risk_factor_levels() -> dict[str, str]:
    return {entry.code: entry.level for entry in knowledge_base()["risk_factors"].typed(RiskFactor)}


def protective_factor_levels() -> dict[str, str]:
    entries = knowledge_base()["protective_factors"].typed(ProtectiveFactor)
    return {entry.code: entry.level for entry in entries}


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _chosen(
    codes: Sequence[str], levels: Mapping[str, str], unknown: str, twice: str
) -> tuple[dict[str, str], list[str]]:
    """The chosen factors (code -> level) and the problems: a code not in the knowledge base
    (``unknown``) or given twice (``twice``), both messages with %(code)s."""
    chosen: dict[str, str] = {}
    messages: list[str] = []
    for code in codes:
        if code not in levels:
            messages.append(unknown % {"code": code})
        elif code in chosen:
            messages.append(twice % {"code": code})
        else:
            chosen[code] = levels[code]
    return chosen, messages


def _factors(
    risk_factors: Sequence[str | Mapping[str, Any]],
    protective_factors: Sequence[str],
    errors: Errors,
) -> tuple[dict[str, str], dict[str, str], list[str]]:
    """The chosen risk factors (code → level), protective factors (code → level) and the
    codes marked weighty; problems go to ``errors``."""
    risk: list[tuple[str, bool]] = [
        (str(item.get("code", "")), bool(item.get("weighty", False)))
        if isinstance(item, Mapping)
        else (str(item), False)
        for item in risk_factors
    ]
    chosen_risk, messages = _chosen(
        [code for code, _weighty in risk],
        risk_factor_levels(),
        _("“%(code)s” is not a risk factor of the knowledge base."),
        _("The risk factor “%(code)s” is given more than once."),
    )
    if messages:
        errors["risk_factors"] = messages
    chosen_protective, messages = _chosen(
        [str(code) for code in protective_factors],
        protective_factor_levels(),
        _("“%(code)s” is not a protective factor of the knowledge base."),
        _("The protective factor “%(code)s” is given more than once."),
    )
    if messages:
        errors["protective_factors"] = messages
    weighty = list(
        dict.fromkeys(code for code, is_weighty in risk if is_weighty and code in chosen_risk)
    )
    return chosen_risk, chosen_protective, weighty


def _int_in(value: Any, low: int, high: int) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int):
        try:
            value = int(str(value).strip())
        except ValueError:
            return None
    return value if low <= value <= high else None


def _scenarios(
    scenarios: Sequence[Mapping[str, Any]], thresholds: RiskThresholds, errors: Errors
) -> list[tuple[RankedScenario, str, str, int]]:
    """The scenarios ranked by R3, each with its override priority and reason and its index in
    the input; problems go to ``errors`` (fields named ``scenarios.<index>.<field>``)."""
    given: list[tuple[Scenario, str, str, int]] = []
    for index, values in enumerate(scenarios):
        field = f"scenarios.{index}."
        description = _text(values.get("description"))
        kind = str(values.get("kind") or "")
        probability = _int_in(values.get("probability"), 0, 100)
        severity = _int_in(values.get("severity"), 1, 5)
        override = _text(values.get("override_priority")).upper()
        reason = _text(values.get("override_reason"))
        if not description:
            errors[field + "description"] = [_("Describe what could happen.")]
        if kind not in ScenarioKind.values:
            errors[field + "kind"] = [
                _("“%(kind)s” is not a kind of scenario.") % {"kind": kind},
            ]
        if probability is None:
            errors[field + "probability"] = [
                _("The probability is a percentage from 0 to 100, not “%(value)s”.")
                % {"value": values.get("probability")}
            ]
        if severity is None:
            errors[field + "severity"] = [
                _("The severity is a number from 1 to 5, not “%(value)s”.")
                % {"value": values.get("severity")}
            ]
        if not (description and kind in ScenarioKind.values and probability is not None):
            continue
        if severity is None:
            continue
        scenario = Scenario(
            description=description,
            probability=probability,
            severity=severity,
            kind=kind,
            trigger=_text(values.get("trigger")),
        )
        given.append((scenario, override, reason, index))
        rule_priority = scenario_priority(
            scenario, severe_from=thresholds.severe_from, likely_from=thresholds.likely_from
        ).decision
        problems = override_errors(
            Rule.R3,
            rule_priority,
            override,
            reason,
            choices={priority: priority for priority in PRIORITIES},
        )
        for part, message in problems.items():
            name = "override_priority" if part == "decision" else "override_reason"
            errors[field + name] = [message]
    by_identity = {
        id(scenario): (override, reason, index) for scenario, override, reason, index in given
    }
    ranked = rank_scenarios(
        [scenario for scenario, *_rest in given],
        severe_from=thresholds.severe_from,
        likely_from=thresholds.likely_from,
    )
    result = []
    for item in ranked:
        override, reason, index = by_identity[id(item.scenario)]
        result.append((item, override, reason, index))
    return result


@transaction.atomic
def risk_assessment_record(
    *,
    actor: User,
    case: Case,
    risk_factors: Sequence[str | Mapping[str, Any]],
    protective_factors: Sequence[str],
    scenarios: Sequence[Mapping[str, Any]],
    notes: str = "",
) -> RiskAssessment:
    """Record a (re-)assessment of the risk: R4's inventory of the factors and R3's ranking of
    the scenarios, stored as computed now. ValidationError per field (``risk_factors``,
    ``scenarios.0.probability`` ...) and nothing saved when the input is wrong."""
    forget_judging(case)  # the case's judgement is read afresh after this
    errors: Errors = {}
    thresholds = risk_thresholds()
    chosen_risk, chosen_protective, weighty = _factors(risk_factors, protective_factors, errors)
    ranked = _scenarios(scenarios, thresholds, errors)
    notes = _text(notes)
    if errors:
        raise ValidationError(errors)
    inventory: FactorInventory = factor_inventory(
        chosen_risk,
        chosen_protective,
        weighty=weighty,
        many_factors_from=thresholds.many_factors_from,
    )
    reasons = inventory.outcome.reasons_as_data()
    for item, *_rest in ranked:
        reasons.extend(item.outcome.reasons_as_data())
    assessment = RiskAssessment(
        case=case,
        assessed_by=actor,
        risk_factors=[{"code": code, "weighty": code in weighty} for code in chosen_risk],
        protective_factors=list(chosen_protective),
        context=inventory.outcome.decision,
        reasons=reasons,
        notes=notes,
    )
    rows = [
        RiskScenario(
            assessment=assessment,
            position=position,
            description=item.scenario.description,
            kind=item.scenario.kind,
            trigger=item.scenario.trigger,
            probability=item.scenario.probability,
            severity=item.scenario.severity,
            priority=item.priority,
            override_priority=override,
            override_reason=reason if override else "",
        )
        for position, (item, override, reason, _index) in enumerate(ranked, start=1)
    ]
    for row, (*_rest, index) in zip(rows, ranked, strict=True):  # the model's limits
        try:
            row.full_clean(exclude=["assessment"])
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                errors[f"scenarios.{index}.{name}"] = list(messages)
    try:
        assessment.full_clean()
    except ValidationError as exc:
        errors.update({name: list(messages) for name, messages in exc.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    save_new(actor, assessment)
    RiskScenario.objects.bulk_create(rows)
    return assessment


# --- Outcomes of risk instruments --------------------------------------------------------------

INSTRUMENT_FIELDS = ("instrument", "administered_on", "administered_by", "outcome", "remarks")


def _check_instrument_outcome(record: InstrumentOutcome) -> None:
    errors: Errors = {}
    try:
        record.full_clean(exclude=["case"])
    except ValidationError as exc:
        errors.update({name: list(messages) for name, messages in exc.message_dict.items()})
    if record.instrument not in knowledge_base()["risk_instruments"]:
        errors["instrument"] = [
            _("“%(code)s” is not a risk instrument of the knowledge base.")
            % {"code": record.instrument}
        ]
    if isinstance(record.administered_on, dt.date) and (
        record.administered_on > timezone.localdate()
    ):
        errors["administered_on"] = [_("The date cannot lie in the future.")]
    if not record.outcome.strip():
        errors["outcome"] = [_("Write down the outcome as the instrument gave it.")]
    if not record.administered_by.strip():
        errors["administered_by"] = [_("Write down who used the instrument.")]
    if errors:
        raise ValidationError(errors)


def _instrument_values(values: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(values) - set(INSTRUMENT_FIELDS)
    if unknown:
        raise ValidationError({name: [_("This field does not exist.")] for name in unknown})
    return {
        name: _text(value) if isinstance(value, str) else value for name, value in values.items()
    }


@transaction.atomic
def instrument_outcome_add(
    *, actor: User, case: Case, values: Mapping[str, Any]
) -> InstrumentOutcome:
    """Record the outcome of a risk instrument as it was given (Kindveilig does not score)."""
    record = InstrumentOutcome(case=case, **_instrument_values(values))
    _check_instrument_outcome(record)
    return save_new(actor, record)


@transaction.atomic
def instrument_outcome_change(
    *,
    actor: User,
    record: InstrumentOutcome,
    expected_version: int,
    values: Mapping[str, Any],
) -> InstrumentOutcome:
    """Change an instrument outcome; ConcurrentEditError when someone saved it since."""
    changes = _instrument_values(values)
    probe = InstrumentOutcome.objects.get(pk=record.pk)
    for name, value in changes.items():
        setattr(probe, name, value)
    _check_instrument_outcome(probe)
    return save_changes(
        actor=actor, instance=record, expected_version=expected_version, changes=changes
    )


@transaction.atomic
def instrument_outcome_remove(*, actor: User, record: InstrumentOutcome) -> None:
    """Remove an instrument outcome; its history stays and the removal is logged."""
    subject = record.audit_subject()
    record._history_user = actor
    record.delete()
    events.case_data_deleted(actor, subject)
