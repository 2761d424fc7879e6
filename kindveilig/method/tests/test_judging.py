"""R1-R4: every branch and boundary, and the properties that must hold for any input."""

import datetime as dt
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kindveilig.knowledge.display import reason_sentence
from kindveilig.knowledge.loader import knowledge_base
from kindveilig.method.judging import (
    APPROVED,
    AWAITING,
    DIRECT_DANGER,
    NO_DIRECT_DANGER,
    RETURNED,
    SAFETY_AGREEMENTS_NEEDED,
    SCENARIO_KINDS,
    SIBLING_SIGNAL,
    ChildSafetyFacts,
    JudgingFacts,
    Scenario,
    direct_danger,
    factor_inventory,
    immediate_action_required,
    judging_steps,
    rank_scenarios,
    risk_matrix,
    scenario_priority,
    sibling_signal,
    signals_with_siblings,
)
from kindveilig.method.outcome import MethodError, Rule

SIGNAL = "mishandeling.ernstig-letsel"
SEVERE, LIKELY = 4, 50  # the knowledge base's thresholds r3.ernst-hoog and r3.kans-groot


# --- R1 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("signals", "guaranteed", "decision", "reason"),
    [
        ([], False, NO_DIRECT_DANGER, "r1.no-signal"),
        ([], True, NO_DIRECT_DANGER, "r1.no-signal"),
        ([SIGNAL], False, DIRECT_DANGER, "r1.signal-without-guarantee"),
        ([SIGNAL], True, SAFETY_AGREEMENTS_NEEDED, "r1.signal-with-guarantee"),
        ([SIGNAL, SIBLING_SIGNAL], False, DIRECT_DANGER, "r1.signal-without-guarantee"),
    ],
)
def test_r1_decides_by_signals_and_a_guaranteeing_adult(signals, guaranteed, decision, reason):
    outcome = direct_danger(signals, responsible_adult_guarantees_safety=guaranteed)
    assert (outcome.rule, outcome.decision, outcome.reasons[0].code) == (Rule.R1, decision, reason)
    assert immediate_action_required(outcome.decision) == (decision == DIRECT_DANGER)
    if signals:
        assert outcome.reasons[0].fact("signals") == tuple(sorted(signals))


@given(st.lists(st.sampled_from([SIGNAL, SIBLING_SIGNAL, "ouder.psychose"])), st.booleans())
def test_r1_property_danger_exactly_when_signals_without_guarantee(signals, guaranteed):
    decision = direct_danger(signals, responsible_adult_guarantees_safety=guaranteed).decision
    assert (decision == DIRECT_DANGER) == (bool(signals) and not guaranteed)
    assert (decision == NO_DIRECT_DANGER) == (not signals)


# --- R2 ---------------------------------------------------------------------------------------


def test_r2_a_sibling_signal_passes_to_the_other_children_both_ways():
    current = {"sanne": [SIGNAL], "daan": []}
    assert sibling_signal("daan", current).reasons[0].fact("siblings") == ("sanne",)
    assert sibling_signal("sanne", current) is None  # her own signal is no sibling's
    current = {"sanne": [], "daan": [SIGNAL]}
    assert sibling_signal("sanne", current).decision is True
    assert signals_with_siblings("sanne", [], current) == [(SIBLING_SIGNAL, "sibling")]


def test_r2_does_not_propagate_itself():
    # Daan has only the sibling signal (because of Sanne); it does not come back to Sanne,
    # nor pass to a third child through Daan.
    current = {"sanne": [], "daan": [SIBLING_SIGNAL], "mila": []}
    assert sibling_signal("sanne", current) is None
    assert sibling_signal("mila", current) is None


def test_r2_a_recorded_sibling_signal_is_not_doubled():
    current = {"sanne": [SIGNAL], "daan": [SIBLING_SIGNAL]}
    assert signals_with_siblings("daan", [SIBLING_SIGNAL], current) == [
        (SIBLING_SIGNAL, "recorded")
    ]


@given(
    st.dictionaries(
        st.sampled_from(["a", "b", "c", "d"]),
        st.lists(st.sampled_from([SIGNAL, SIBLING_SIGNAL])),
        min_size=1,
    )
)
def test_r2_property_applies_iff_another_child_has_a_real_signal(current):
    for child in current:
        others_real = any(
            other != child and any(s != SIBLING_SIGNAL for s in signals)
            for other, signals in current.items()
        )
        assert (sibling_signal(child, current) is not None) == others_real


# --- R3 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("severity", "probability", "priority"),
    [
        (4, 50, "A"),
        (5, 100, "A"),
        (4, 49, "B"),
        (5, 0, "B"),
        (3, 50, "C"),
        (1, 100, "C"),
        (3, 49, "D"),
        (1, 0, "D"),
    ],
)
def test_r3_priority_at_its_boundaries(severity, probability, priority):
    outcome = scenario_priority(
        Scenario("x", probability, severity), severe_from=SEVERE, likely_from=LIKELY
    )
    assert outcome.decision == priority
    assert outcome.reasons[0].code == f"r3.priority-{priority.lower()}"


@pytest.mark.parametrize(
    ("probability", "severity", "kind"),
    [(-1, 3, "onset"), (101, 3, "onset"), (50, 0, "onset"), (50, 6, "onset"), (50, 3, "guess")],
)
def test_r3_refuses_values_outside_the_scales(probability, severity, kind):
    with pytest.raises(MethodError):
        Scenario("x", probability, severity, kind)


def test_r3_ranks_by_priority_then_severity_then_probability():
    scenarios = [
        Scenario("d", 10, 1),
        Scenario("b-mild", 40, 4),
        Scenario("a-low", 60, 4),
        Scenario("c", 90, 2),
        Scenario("a-high", 55, 5),
        Scenario("b-severe", 10, 5),
    ]
    ranked = rank_scenarios(scenarios, severe_from=SEVERE, likely_from=LIKELY)
    assert [r.scenario.description for r in ranked] == [
        "a-high",
        "a-low",
        "b-severe",
        "b-mild",
        "c",
        "d",
    ]
    assert [r.requires_safety_plan for r in ranked] == [True, True, True, True, False, False]


@given(
    st.lists(
        st.builds(
            Scenario,
            description=st.text(max_size=5),
            probability=st.integers(0, 100),
            severity=st.integers(1, 5),
            kind=st.sampled_from(SCENARIO_KINDS),
        ),
        max_size=12,
    )
)
def test_r3_property_order_and_matrix(scenarios):
    ranked = rank_scenarios(scenarios, severe_from=SEVERE, likely_from=LIKELY)
    keys = [(r.priority, -r.scenario.severity, -r.scenario.probability) for r in ranked]
    assert keys == sorted(keys)
    assert sorted(map(id, (r.scenario for r in ranked))) == sorted(map(id, scenarios))
    for item in ranked:
        assert item.requires_safety_plan == (item.scenario.severity >= SEVERE)
    matrix = risk_matrix(ranked)
    assert len(matrix) == 25
    assert sorted(p for cell in matrix.values() for p in cell) == list(range(1, len(ranked) + 1))


# --- R4 ---------------------------------------------------------------------------------------


def test_r4_counts_per_level_and_gives_context_never_a_prediction():
    inventory = factor_inventory(
        {"r.o1": "ouder", "r.o2": "ouder", "r.g1": "gezin", "r.k1": "kind"},
        {"b.o1": "ouder", "b.k1": "kind", "b.k2": "kind"},
        weighty=["r.o1"],
        many_factors_from=4,
    )
    assert inventory.risk_factor_count == 4
    assert inventory.risk_factor_count_by_level == {"gezin": 1, "kind": 1, "ouder": 2}
    assert inventory.outcome.decision == "many"
    # The child's own protective factors protect against consequences: listed, not counted.
    assert inventory.protective_factor_count == 1
    assert inventory.consequence_buffers == ("b.k1", "b.k2")
    codes = [reason.code for reason in inventory.outcome.reasons]
    assert codes == ["r4.context-many", "r4.weighty", "r4.child-buffers"]


@pytest.mark.parametrize(("count", "context"), [(0, "none"), (1, "some"), (3, "some"), (4, "many")])
def test_r4_context_boundaries(count, context):
    factors = {f"r.{n}": "ouder" for n in range(count)}
    assert factor_inventory(factors, {}, many_factors_from=4).outcome.decision == context


def test_r4_a_weighty_factor_must_be_one_of_the_risk_factors():
    with pytest.raises(MethodError):
        factor_inventory({"r.a": "ouder"}, {}, weighty=["r.b"], many_factors_from=4)


# --- The words of the reasons -----------------------------------------------------------------


def test_judging_reasons_read_as_sentences_with_labels_not_codes():
    from kindveilig.knowledge.display import reason_sentence
    from kindveilig.knowledge.loader import knowledge_base

    kb = knowledge_base()
    signal = next(iter(kb["alarm_signals"])).code
    outcome = direct_danger([signal], responsible_adult_guarantees_safety=False)
    sentence = reason_sentence(outcome.reasons[0].code, outcome.reasons[0].facts)
    assert kb["alarm_signals"].get(signal).label in sentence and signal not in sentence
    for severity, probability in ((5, 90), (5, 10), (2, 90), (2, 10)):
        reason = scenario_priority(
            Scenario("x", probability, severity), severe_from=SEVERE, likely_from=LIKELY
        ).reasons[0]
        text = reason_sentence(reason.code, reason.facts)
        assert text.startswith("Prioriteit") and f"{probability}%" in text
    inventory = factor_inventory({}, {}, many_factors_from=4)
    words = reason_sentence(inventory.outcome.reasons[0].code, inventory.outcome.reasons[0].facts)
    assert "geen risicofactor" in words


def test_the_scenario_kinds_are_those_of_the_knowledge_base_in_its_order():
    from kindveilig.knowledge.loader import knowledge_base

    kinds = knowledge_base()["risk_scenario_kinds"]
    assert tuple(kind.code for kind in sorted(kinds, key=lambda k: k.order)) == SCENARIO_KINDS


# --- the next steps of judging ----------------------------------------------------------------

TODAY_ = dt.date(2026, 11, 29)
SANNE = ChildSafetyFacts(person_id=1, name="Sanne (9)")
DAAN = ChildSafetyFacts(person_id=2, name="Daan (4)")


def _decisions(facts: JudgingFacts) -> list[str]:
    return [step.decision for step in judging_steps(facts, today=TODAY_)]


def test_judging_steps_of_a_case_not_judged_yet():
    steps = judging_steps(JudgingFacts(children=(SANNE, DAAN)), today=TODAY_)
    assert [step.decision for step in steps] == [
        "assess-safety",
        "assess-safety",
        "assess-risk",
        "record-causes",
        "write-conclusion",
    ]
    assert [step.reasons[0].fact("child") for step in steps[:2]] == ["Sanne (9)", "Daan (4)"]


def test_direct_danger_comes_before_every_other_step():
    danger = replace(DAAN, decision=DIRECT_DANGER, approval=AWAITING)
    steps = judging_steps(JudgingFacts(children=(SANNE, danger)), today=TODAY_)
    assert steps[0].decision == "act-on-direct-danger"
    assert steps[0].rule == Rule.R1
    assert steps[0].reasons[0].fact("child") == "Daan (4)"
    assert "await-approval" in [step.decision for step in steps]


def test_a_sibling_signal_after_the_assessment_asks_for_a_new_one_r2():
    assessed = replace(SANNE, decision=NO_DIRECT_DANGER, siblings_with_newer_signal=("Daan (4)",))
    steps = judging_steps(JudgingFacts(children=(assessed,)), today=TODAY_)
    assert steps[0].decision == "reassess-safety"
    assert steps[0].rule == Rule.R2
    assert steps[0].reasons[0].fact("siblings") == ("Daan (4)",)


@pytest.mark.parametrize(
    ("review_on", "due"),
    [(TODAY_ - dt.timedelta(days=1), True), (TODAY_, False), (None, False)],
)
def test_a_safety_decision_past_its_review_date_is_a_warning(review_on, due):
    assessed = replace(SANNE, decision=NO_DIRECT_DANGER, review_on=review_on, approval=APPROVED)
    assert ("reassess-safety" in _decisions(JudgingFacts(children=(assessed,)))) is due


def test_a_and_b_scenarios_without_agreements_are_steps_r3():
    facts = JudgingFacts(
        children=(),
        risk_assessed=True,
        risk_approval=APPROVED,
        scenarios_without_agreements=((1, "Vader slaat opnieuw", "A"),),
        causes_recorded=2,
        conclusion_written=True,
        conclusion_approval=APPROVED,
    )
    steps = judging_steps(facts, today=TODAY_)
    assert [(step.rule, step.decision) for step in steps] == [(Rule.R3, "safety-plan-agreements")]
    assert steps[0].reasons[0].fact("priority") == "A"


@pytest.mark.parametrize(
    ("approval", "decision"),
    [(AWAITING, "await-approval"), (RETURNED, "revise-after-return"), (APPROVED, None)],
)
def test_each_judgement_waits_for_its_approval(approval, decision):
    facts = JudgingFacts(
        children=(replace(SANNE, decision=NO_DIRECT_DANGER, approval=approval),),
        risk_assessed=True,
        risk_approval=approval,
        causes_recorded=1,
        conclusion_written=True,
        conclusion_approval=approval,
    )
    decisions = _decisions(facts)
    if decision is None:
        assert decisions == []
    else:
        assert decisions == [decision] * 3


def test_the_approval_reasons_have_words_in_the_knowledge_base():
    from kindveilig.method.judging import APPROVAL_REASONS

    assert set(APPROVAL_REASONS.values()) <= knowledge_base()["method_reasons"].codes()
    facts = JudgingFacts(children=(replace(SANNE, decision=DIRECT_DANGER, approval=AWAITING),))
    sentences = [
        reason_sentence(reason.code, reason.facts)
        for step in judging_steps(facts, today=TODAY_)
        for reason in step.reasons
    ]
    assert sentences[0].startswith("Sanne (9) is in direct gevaar")
    awaiting = "De veiligheidsbeoordeling van Sanne (9) wacht op goedkeuring door een "
    assert awaiting + "gedragswetenschapper." in sentences


def test_a_sibling_signal_that_lapsed_asks_for_a_new_assessment_r2():
    assessed = replace(
        SANNE, decision=SAFETY_AGREEMENTS_NEEDED, siblings_without_signal_since=("Daan (4)",)
    )
    [step] = judging_steps(
        JudgingFacts(
            children=(assessed,), risk_assessed=True, causes_recorded=1, conclusion_written=True
        ),
        today=TODAY_,
    )
    assert (step.rule, step.decision) == (Rule.R2, "reassess-safety")
    assert step.reasons[0].code == "steps.sibling-signal-lapsed"
