"""The check every deviation from an outcome of the engine passes (PRODUCT §2, principle 6):
the decision that holds must be one of the choices and differ from the rule's, and the
professional's reason is required. ``method.outcome.Override`` is the contract; this turns its
refusal into messages per field for the forms and the API."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext as _

from kindveilig.method.outcome import MethodError, Override, Rule


def override_errors(
    rule: Rule, rule_decision: str, decision: str, reason: str, *, choices: Mapping[str, str]
) -> dict[str, str]:
    """Problems of a deviation, as {"decision" | "reason": message}; empty when it is valid or
    when there is none (no decision and no reason). ``choices`` maps each decision to its
    words."""
    if not decision:
        if reason.strip():
            return {
                "decision": _("Choose the decision that holds instead, or leave the reason empty.")
            }
        return {}
    if decision not in choices:
        return {
            "decision": _("“%(value)s” is not one of the choices: %(choices)s.")
            % {"value": decision, "choices": ", ".join(choices.values())}
        }
    try:
        Override(rule, rule_decision, decision, reason)
    except MethodError:
        errors = {}
        if decision == rule_decision:
            errors["decision"] = _(
                "“%(value)s” is the outcome of the rule already: deviating must change it."
            ) % {"value": choices[decision]}
        if not reason.strip():
            errors["reason"] = _("Write down why you deviate from “%(value)s”.") % {
                "value": choices[rule_decision]
            }
        return errors
    return {}
