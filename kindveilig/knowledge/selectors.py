"""Reads for the Kennisbank pages: entries prepared for display in the current language."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kindveilig.knowledge.loader import KnowledgeList
from kindveilig.knowledge.schema import Entry, SubItem

COMMON_FIELDS = {"code", "label", "label_en", "text", "text_en", "source", "order", "note"}

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
}


def is_english() -> bool:
    return (get_language() or "nl").startswith("en")


def entry_label(entry: Entry | SubItem) -> str:
    return entry.label_en if is_english() else entry.label


def list_title(knowledge_list: KnowledgeList) -> str:
    return knowledge_list.title_en if is_english() else knowledge_list.title


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
    for key, value in entry:
        if key in COMMON_FIELDS or value is None or value == []:
            continue
        label = str(ATTRIBUTE_LABELS.get(key, key))
        reference = knowledge_list.meta.references.get(key)
        if isinstance(value, list) and value and isinstance(value[0], SubItem):
            attributes.append(Attribute(key, label, value, "items"))
        elif isinstance(value, list) and value and hasattr(value[0], "label"):
            attributes.append(Attribute(key, label, value, "pairs"))
        elif isinstance(value, list | tuple):
            attributes.append(Attribute(key, label, list(value), "list", reference))
        elif isinstance(value, bool):
            attributes.append(Attribute(key, label, _("yes") if value else _("no"), "text"))
        else:
            kind = "reference" if reference else "text"
            attributes.append(Attribute(key, label, value, kind, reference))
    return attributes
