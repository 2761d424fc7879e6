import datetime as dt

from django import template

from kindveilig.cases.models import Person
from kindveilig.knowledge import display
from kindveilig.method.outcome import Outcome, Reason, Rule

register = template.Library()


@register.simple_tag
def age_on(person: Person, reference: dt.date) -> int | None:
    return person.age_on(reference)


@register.filter
def reason_text(reason: Reason) -> str:
    """The words of a reason of the method engine, with its facts filled in."""
    return display.reason_sentence(reason.code, reason.facts)


@register.filter
def rule_label(outcome: Outcome[object]) -> str:
    """Which rule an outcome comes from, in words ("Gesprek met het kind" for R5), or the
    handbook's § for a step of the method."""
    if outcome.rule == Rule.METHOD:
        source = outcome.reasons[0].source if outcome.reasons else ""
        return f"§{source}" if source and source[0].isdigit() else source
    return display.rule_name(outcome.rule)


@register.filter
def glance_of(items: dict[int, list[object]], child: Person) -> list[object]:
    """The items the stages show beside ``child`` at a glance (``workspace.register_glance``)."""
    return items.get(child.pk, []) if items else []
