"""Presentation of knowledge-base entries in the current language: labels, titles and the
attributes of an entry prepared for the Kennisbank pages. Reads no database."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kindveilig.knowledge.schema import (
    ENTRY_FIELDS,
    Entry,
    KnowledgeList,
    Source,
    SubItem,
    sub_items,
)

ATTRIBUTE_LABELS: dict[str, Any] = {
    "group": _("Group"),
    "question": _("Question"),
    "definition": _("Definition"),
    "level": _("Level"),
    "polarity": _("Direction"),
    "figure": _("Figure"),
    "domain": _("Domain"),
    "attention_points": _("Attention points"),
    "concern_items": _("Concerns"),
    "strength_items": _("Strengths"),
    "concerns": _("About"),
    "name": _("Name"),
    "kind": _("Kind"),
    "maltreatment_forms": _("Maltreatment forms"),
    "goal": _("Goal"),
    "target_group": _("Target group"),
    "age_min": _("Minimum age (years)"),
    "age_max": _("Maximum age (years)"),
    "age_range_bijlage": _("Age range in the appendix"),
    "source_bijlage": _("Source in the appendix"),
    "participants": _("Participants"),
    "setting": _("Setting"),
    "duration": _("Duration"),
    "duration_months": _("Duration in months"),
    "intensity": _("Intensity"),
    "evidence_level": _("Evidence level"),
    "needs": _("Needs addressed"),
    "cbt": _("Cognitive behavioural"),
    "sex": _("Only for"),
    "description": _("Description"),
    "target": _("For"),
    "category": _("Category"),
    "techniques": _("Techniques"),
    "abuse_specific": _("Specific to maltreatment"),
    "audit_check": _("Plan audit check"),
    "versions": _("Versions"),
    "informants": _("Informants"),
    "subject": _("About"),
    "purpose": _("Purpose"),
    "used_by": _("Filled in by"),
    "assesses_current_safety": _("Assesses current safety"),
    "items": _("Items"),
    "stop_answer": _("Answer that stops"),
    "stop_outcome": _("Outcome"),
    "stop_outcome_label": _("Outcome"),
    "continue_outcome": _("Outcome otherwise"),
    "continue_outcome_label": _("Outcome otherwise"),
    "subgoals": _("Subgoals"),
    "for_": _("For"),
    "about": _("About"),
    "asked_to": _("Asked to"),
    "structural": _("Structural"),
    "part": _("Part"),
    "hint": _("Think of"),
    "value": _("Value"),
    "unit": _("Unit"),
    "rule": _("Rule"),
    "activities": _("What the professional does"),
    "suited_for": _("Suited for"),
    "variants": _("Variants"),
    "follow_up_questions": _("Follow-up questions"),
    "options": _("Options"),
    "thresholds": _("Thresholds"),
    "letter": _("Letter"),
    "questions": _("Questions"),
    "framework_dimensions": _("Framework dimensions"),
    "guide": _("Conversation guide"),
    "item": _("Part of the guide"),
    "speaker": _("Said by"),
    "phrase": _("Example phrase"),
    "handbook_example": _("Example given in the handbook"),
    "aspect": _("Weighs"),
    "example_trigger": _("Example of a trigger"),
    "exceptions": _("Exceptions"),
}


# Attributes not shown: a code whose words are shown under another attribute.
HIDDEN_ATTRIBUTES = frozenset({"stop_outcome", "continue_outcome"})

# Attributes whose value is a rule of the method engine ("R5"): shown as the rule's name.
RULE_ATTRIBUTES = frozenset({"rule"})

VALUE_LABELS: dict[str, Any] = {
    "specific-stop": _("Specific: stop maltreatment and prevent recurrence"),
    "specific-consequences": _("Specific: limit the consequences for the child"),
    "general": _("General"),
    "specific": _("Specific"),
    "element": _("Effective element"),
    "bewezen-effectief": _("Proven effective"),
    "waarschijnlijk-effectief": _("Probably effective"),
    "theoretisch-goed-onderbouwd": _("Theoretically well founded"),
    "niet-in-databank": _("Not in the database of effective youth interventions"),
    "child": _("Child"),
    "parent": _("Parent"),
    "parents": _("Parent(s)"),
    "family": _("Family"),
    "home": _("At home"),
    "ambulant": _("Outpatient"),
    "group": _("Group"),
    "clinic": _("Residential"),
    "female": _("Girls and women"),
    "male": _("Boys and men"),
    "teacher": _("Teacher"),
    "self": _("Self-report"),
    "professional": _("Professional"),
    "family-member": _("Family member"),
    "jgz": _("Youth health care (JGZ)"),
    "negative": _("Negative"),
    "positive": _("Positive"),
    "column": _("Column"),
    "check": _("Check"),
    "observable": _("Observable fact"),
    "personal": _("Personal view"),
    "practice": _("Way of working"),
    "upbringing": _("Upbringing situation"),
    "nature": _("What could happen (nature)"),
    "probability": _("Probability"),
    "severity": _("Severity"),
    "yes": _("yes"),
    "no": _("no"),
    # Levels of risk and protective factors.
    "ouder": _("Parent"),
    "kind": _("Child"),
    "gezin": _("Family"),
    "omgeving": _("Environment"),
    # Kinds of conversation guide.
    "attitude": _("Basic attitude"),
    "preparation": _("Preparation"),
    "steps": _("Steps of the conversation"),
    "techniques": _("Conversation techniques"),
    "framework": _("Framework for the conversation"),
    "change-talk": _("Change talk"),
    # Categories of the change prognosis.
    "capability-question": _("Question about capability"),
    "capability-limit": _("Sign of limited capability"),
    "no-readiness": _("Sign that readiness to change is absent"),
    # Checks of the help plan.
    "integraal": _("Integral: help for child, parents and family"),
    "stoppen-en-gevolgen": _("Stopping the maltreatment and limiting its consequences"),
    "op-maat": _("Tailored: the research questions answered first"),
    "abuse-specific": _("Specific to maltreatment"),
    "in-leefsituatie": _("In the family's own surroundings"),
    "duur-intensiteit": _("Duration and intensity"),
    "krachtgericht": _("Building on strengths"),
    "cognitief-gedragsmatig": _("A cognitive behavioural part"),
    "veiligheidsplan": _("Safety plan"),
    "coordinatie": _("Coordination"),
    "monitoring": _("Monitoring"),
    "gelijktijdig": _("Problems addressed side by side"),
    # Groups of example goals.
    "opvoeding": _("Upbringing"),
    "persoonlijk": _("Personal"),
    "positief-formuleren": _("Phrasing positively"),
    # Monitoring questions: asked to whom, and of which kind.
    "alle-betrokkenen": _("Everyone involved"),
    "evaluatie": _("Evaluation"),
    "gesprek": _("Conversation"),
    "veiligheid": _("Safety"),
    # Own strength and network questions.
    "eigen-kracht": _("Own strength"),
    "netwerk": _("Network"),
    "basisvraag": _("Basic question"),
    "oplossingsgericht": _("Solution-focused"),
    # Units of thresholds.
    "ernst-1-5": _("severity on a scale of 1 to 5"),
    "huisbezoeken": _("home visits"),
    "jaar": _("years"),
    "maanden": _("months"),
    "procent": _("percent"),
    "risicofactoren": _("risk factors"),
    # Categories of working methods.
    "cognitieve-technieken": _("Cognitive techniques"),
    "emotiegerichte-technieken": _("Emotion-focused techniques"),
    "opvattingen-over-geweld": _("Views on violence"),
    "opvoedingsvaardigheden": _("Parenting skills"),
    "stressregulatie": _("Regulating stress"),
    "verwachtingen-en-beleving": _("Expectations and perception"),
}


def format_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value).replace(".", ",")


def display_value(value: Any) -> str:
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, int | float):
        return format_number(value)
    if isinstance(value, str) and value in VALUE_LABELS:
        return str(VALUE_LABELS[value])
    return str(value)


def is_english() -> bool:
    return (get_language() or "nl").startswith("en")


PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def entry_label(entry: Entry | SubItem) -> str:
    """The entry's label in the current language. A reason of the method engine is a sentence
    with {placeholders} for its facts; read on its own, a placeholder shows as "…"."""
    label = entry.label_en if is_english() else entry.label
    return PLACEHOLDER.sub("…", label)


def label_of(list_name: str, code: str) -> str:
    """The label of ``code`` in a list, in the current language; an unknown code reads as
    itself (a record keeps a code of an older knowledge base)."""
    from kindveilig.knowledge.loader import knowledge_base

    kb = knowledge_base()
    if list_name not in kb.lists:
        return code
    if code in kb[list_name]:
        return entry_label(kb[list_name].get(code))
    for entry in kb[list_name]:  # an item inside an entry (a Framework concern)
        for item in sub_items(entry):
            if item.code == code:
                return entry_label(item)
    return code


def entry_text(entry: Entry) -> str:
    return entry.text_en if is_english() and entry.text_en else entry.text


def list_title(knowledge_list: KnowledgeList) -> str:
    return knowledge_list.title_en if is_english() else knowledge_list.title


def rule_code(rule: str) -> str:
    """The code of a rule's entry in ``method_rules``: "R5" → "r5", "method" → "method"."""
    return str(rule).lower()


def rule_name(rule: str) -> str:
    """A rule of the method engine in words ("Gesprek met het kind" for "R5"); a rule missing
    from the knowledge base reads as itself."""
    from kindveilig.knowledge.loader import knowledge_base

    rules = knowledge_base()["method_rules"]
    code = rule_code(rule)
    return entry_label(rules.get(code)) if code in rules else str(rule)


@dataclass(frozen=True)
class Attribute:
    key: str
    label: str
    value: Any
    kind: str  # "text", "list", "items" (sub-items with codes), "pairs" (label + text)
    reference_list: str | None = None


def entry_attributes(entry: Entry, knowledge_list: KnowledgeList) -> list[Attribute]:
    """The list-specific attributes of ``entry`` for display, references made navigable."""
    attributes: list[Attribute] = []
    values = dict(entry)
    if values.get("age_min") is not None and values.get("age_max") is not None:
        age = f"{format_number(values['age_min'])}–{format_number(values['age_max'])}"
        attributes.append(Attribute("age", str(_("Age (years)")), age, "text"))
    for key, value in values.items():
        if key in ENTRY_FIELDS or key in {"age_min", "age_max"} or value is None or value == []:
            continue
        if key in HIDDEN_ATTRIBUTES:
            continue
        label = str(ATTRIBUTE_LABELS.get(key, key))
        reference = knowledge_list.meta.references.get(key)
        if key in RULE_ATTRIBUTES:
            attributes.append(Attribute(key, label, rule_code(value), "reference", "method_rules"))
        elif isinstance(value, Source):
            attributes.append(Attribute(key, label, value.reference(), "text"))
        elif isinstance(value, tuple):
            text = "–".join(format_number(number) for number in value)
            attributes.append(Attribute(key, label, text, "text"))
        elif isinstance(value, list) and value and isinstance(value[0], SubItem):
            attributes.append(Attribute(key, label, value, "items"))
        elif isinstance(value, list) and value and hasattr(value[0], "label"):
            attributes.append(Attribute(key, label, value, "pairs"))
        elif isinstance(value, list):
            shown = value if reference else [display_value(item) for item in value]
            attributes.append(Attribute(key, label, shown, "list", reference))
        elif reference:
            attributes.append(Attribute(key, label, value, "reference", reference))
        else:
            attributes.append(Attribute(key, label, display_value(value), "text"))
    return attributes


# Facts of the engine's reasons that hold knowledge codes, and the list each code is from.
REFERENCE_FACTS = {
    "signals": "alarm_signals",
    "risk_factors": "risk_factors",
    "protective_factors": "protective_factors",
}


def _label_of(list_name: str, code: str) -> str:
    from kindveilig.knowledge.loader import knowledge_base

    entries = knowledge_base()[list_name]
    return entry_label(entries.get(code)) if code in entries else code


def reason_sentence(code: str, facts: tuple[tuple[str, Any], ...]) -> str:
    """The sentence for a reason of the method engine, in the current language, with its facts
    filled in (lists joined, numbers without a needless ".0"). A code missing from the
    knowledge base reads as itself."""
    from kindveilig.knowledge.loader import knowledge_base

    reasons = knowledge_base()["method_reasons"]
    if code not in reasons:
        return code
    entry = reasons.get(code)
    template = entry.label_en if is_english() else entry.label
    values = {}
    for name, value in facts:
        if name in REFERENCE_FACTS:  # knowledge codes: shown by their label
            items = value if isinstance(value, tuple | list) else (value,)
            value = [_label_of(REFERENCE_FACTS[name], str(item)) for item in items]
        values[name] = (
            ", ".join(str(item) for item in value)
            if isinstance(value, tuple | list)
            else display_value(value)
        )
    try:
        return template.format(**values)
    except (KeyError, IndexError):
        return template
