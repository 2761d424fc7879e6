"""Outcomes say why; overrides need a reason and must change the decision."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kindveilig.method.outcome import Judgement, MethodError, Outcome, Override, Reason, Rule

DECISIONS = st.sampled_from(["direct_danger", "safety_agreements_needed", "no_direct_danger"])
REASON = Reason.of("r1.alarm-signal-without-guarantee", source="§3.2.1", signals=("kind.x",))


def test_an_outcome_without_reasons_is_refused() -> None:
    with pytest.raises(MethodError, match="must say why"):
        Outcome(Rule.R1, "direct_danger", ())


def test_a_reason_keeps_its_facts_by_name_in_a_stable_order() -> None:
    reason = Reason.of("r3.priority", probability=60, severity=4)
    assert reason.facts == (("probability", 60), ("severity", 4))
    assert reason.fact("severity") == 4 and reason.fact("missing") is None


@given(DECISIONS)
def test_without_override_the_rule_decides(decision) -> None:
    judgement = Judgement(Outcome(Rule.R1, decision, (REASON,)))
    assert judgement.decision == decision and not judgement.overridden


@given(DECISIONS, DECISIONS, st.text(min_size=1).filter(str.strip))
def test_an_override_with_a_reason_decides_instead(original, changed, why) -> None:
    outcome = Outcome(Rule.R1, original, (REASON,))
    if changed == original:
        with pytest.raises(MethodError, match="must change"):
            Override(Rule.R1, original, changed, why)
        return
    judgement = Judgement(outcome, Override(Rule.R1, original, changed, why))
    assert judgement.decision == changed and judgement.overridden
    assert judgement.outcome.decision == original  # the rule's own outcome stays on record


@given(st.text().filter(lambda text: not text.strip()))
def test_an_override_without_a_reason_is_refused(blank) -> None:
    with pytest.raises(MethodError, match="needs a reason"):
        Override(Rule.R1, "no_direct_danger", "direct_danger", blank)


def test_an_override_of_another_rule_or_decision_does_not_fit() -> None:
    outcome = Outcome(Rule.R1, "no_direct_danger", (REASON,))
    with pytest.raises(MethodError, match="does not belong"):
        Judgement(outcome, Override(Rule.R3, "no_direct_danger", "direct_danger", "zie notitie"))
    with pytest.raises(MethodError, match="does not belong"):
        Judgement(outcome, Override(Rule.R1, "direct_danger", "no_direct_danger", "zie notitie"))


def test_a_reason_is_stored_as_data_and_read_back_unchanged():
    reason = Reason.of("r2.sibling-has-signal", source="3.2.1", siblings=("7", "9"), count=2)
    outcome = Outcome(Rule.R2, True, (reason,))
    [data] = outcome.reasons_as_data()
    assert data == {
        "rule": "R2",
        "code": "r2.sibling-has-signal",
        "source": "3.2.1",
        "facts": {"count": 2, "siblings": ["7", "9"]},
    }
    assert Reason.from_data(data) == reason
