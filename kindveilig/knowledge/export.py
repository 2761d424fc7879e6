"""Render the knowledge base as one JSON document or as readable Markdown."""

from __future__ import annotations

import json
from typing import Any

from kindveilig.knowledge.schema import ENTRY_FIELDS, KnowledgeBase, SubItem, sub_items


def to_json(kb: KnowledgeBase) -> str:
    return json.dumps(kb.as_dict(), ensure_ascii=False, indent=2)


def _markdown_value(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(
            str(item.get("label", item.get("code", item))) if isinstance(item, dict) else str(item)
            for item in value
        )
    if isinstance(value, bool):
        return "ja" if value else "nee"
    return str(value)


def _has_sub_items(value: Any) -> bool:
    return isinstance(value, list) and any(isinstance(item, SubItem) for item in value)


def to_markdown(kb: KnowledgeBase) -> str:
    lines = [
        "# Kennisbank Kindveilig",
        "",
        f"Versie {kb.version}. Bron: {kb.handbook}.",
        "",
    ]
    for name, knowledge_list in kb.lists.items():
        lines += [
            f"## {knowledge_list.title} (`{name}`)",
            "",
            f"Bron: {knowledge_list.source.reference()}. "
            f"Gebruikt in: {'; '.join(knowledge_list.meta.used_in) or 'nog nergens'}."
            + (
                f" Later in: {'; '.join(knowledge_list.meta.planned_in)}."
                if knowledge_list.meta.planned_in
                else ""
            ),
            "",
        ]
        for entry in knowledge_list:
            lines += [f"### {entry.label} (`{entry.code}`)", "", entry.text.strip(), ""]
            data = entry.model_dump(mode="json", by_alias=True, exclude_none=True)
            for key, value in data.items():
                if key in ENTRY_FIELDS or value in ([], ""):
                    continue
                if _has_sub_items(getattr(entry, key, None)):
                    continue  # listed below with their codes
                lines.append(f"- **{key}**: {_markdown_value(value)}")
            for item in sub_items(entry):
                lines.append(f"- {item.label} (`{item.code}`)")
            if entry.note:
                lines.append(f"- *Opmerking*: {entry.note}")
            lines += [f"- *Bron*: {entry.source.reference()}", ""]
    return "\n".join(lines)
