"""Load and validate the knowledge base (the handbook's structured content as data).

The knowledge base is read once per process from ``data/*.yaml`` and validated against
``schema``: unique codes, required attributes, ordered age ranges, and references between lists.
Any problem raises ``KnowledgeBaseError`` naming the file, the entry and the problem. The loaded
knowledge base (``schema.KnowledgeBase``) is plain data that the pure method engine can take.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from kindveilig.knowledge.schema import (
    ENTRY_MODELS,
    Entry,
    KnowledgeBase,
    KnowledgeList,
    ListFile,
    ListMeta,
    sub_items,
)

__all__ = ["KnowledgeBase", "KnowledgeBaseError", "KnowledgeList", "knowledge_base"]

DATA_DIR = Path(__file__).resolve().parent / "data"
META_FILE = "_lists.yaml"


class KnowledgeBaseError(ValueError):
    """The knowledge-base files are invalid; the message names file, entry and problem."""


def _read_yaml(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except yaml.YAMLError as exc:
        raise KnowledgeBaseError(f"{path.name}: not valid YAML: {exc}") from exc


def _format_errors(exc: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(part) for part in error['loc'])}: {error['msg']}" for error in exc.errors()
    )


def load_knowledge_base(data_dir: Path = DATA_DIR) -> KnowledgeBase:
    """Read and validate every list in ``data_dir``; raise KnowledgeBaseError on any problem."""
    meta_raw = _read_yaml(data_dir / META_FILE)
    version = str(meta_raw["version"])
    metas: dict[str, ListMeta] = {}
    for name, raw in meta_raw["lists"].items():
        try:
            metas[name] = ListMeta.model_validate(raw)
        except ValidationError as exc:
            raise KnowledgeBaseError(f"{META_FILE}: {name}: {_format_errors(exc)}") from exc

    lists: dict[str, KnowledgeList] = {}
    for path in sorted(data_dir.glob("*.yaml")):
        if path.name == META_FILE:
            continue
        lists[path.stem] = _load_list(path, metas)

    missing = set(ENTRY_MODELS) - set(lists)
    if missing:
        raise KnowledgeBaseError(f"missing list files: {', '.join(sorted(missing))}")
    undescribed = set(lists) - set(metas)
    if undescribed:
        raise KnowledgeBaseError(f"{META_FILE}: lists without description: {sorted(undescribed)}")
    _check_references(lists)
    return KnowledgeBase(version=version, handbook=str(meta_raw["handbook"]), lists=lists)


def _load_list(path: Path, metas: dict[str, ListMeta]) -> KnowledgeList:
    raw = _read_yaml(path)
    try:
        list_file = ListFile.model_validate(raw)
    except ValidationError as exc:
        raise KnowledgeBaseError(f"{path.name}: {_format_errors(exc)}") from exc
    if list_file.list_name != path.stem:
        raise KnowledgeBaseError(
            f"{path.name}: 'list' is {list_file.list_name!r}, expected {path.stem!r}"
        )
    model = ENTRY_MODELS.get(path.stem)
    if model is None:
        raise KnowledgeBaseError(f"{path.name}: no schema for list {path.stem!r}")
    entries: list[Entry] = []
    seen: set[str] = set()
    for index, raw_entry in enumerate(list_file.entries):
        label = str(raw_entry.get("code", f"#{index}"))
        try:
            entry = model.model_validate(raw_entry)
        except ValidationError as exc:
            raise KnowledgeBaseError(f"{path.name}: {label}: {_format_errors(exc)}") from exc
        codes = [entry.code, *(item.code for item in sub_items(entry))]
        for code in codes:
            if code in seen:
                raise KnowledgeBaseError(f"{path.name}: duplicate code {code!r}")
            seen.add(code)
        entries.append(entry)
    return KnowledgeList(
        name=path.stem,
        title=list_file.title,
        title_en=list_file.title_en,
        source=list_file.source,
        meta=metas.get(path.stem, ListMeta(used_in=["-"])),
        entries=tuple(entries),
        by_code={entry.code: entry for entry in entries},
    )


def _check_references(lists: dict[str, KnowledgeList]) -> None:
    rules = lists["method_rules"]
    for name, knowledge_list in lists.items():
        # A rule a list feeds, or an entry belongs to, is described in method_rules ("R5" is
        # entry "r5"), so the UI can name it in words.
        named = [(META_FILE, rule) for rule in knowledge_list.meta.rules] + [
            (f"{name}.yaml: {entry.code}", str(rule))
            for entry in knowledge_list
            if (rule := dict(entry).get("rule"))
        ]
        for where, rule in named:
            if rule.lower() not in rules:
                raise KnowledgeBaseError(f"{where}: rule {rule!r} is not in method_rules")
    for name, knowledge_list in lists.items():
        for attribute, target in knowledge_list.meta.references.items():
            if target not in lists:
                raise KnowledgeBaseError(f"{META_FILE}: {name}.{attribute} refers to unknown list")
            for entry in knowledge_list:
                value = getattr(entry, attribute)
                values = value if isinstance(value, list) else [value]
                for code in values:
                    if code not in lists[target]:
                        raise KnowledgeBaseError(
                            f"{name}.yaml: {entry.code}: {attribute} refers to unknown "
                            f"{target} code {code!r}"
                        )


@functools.cache
def knowledge_base() -> KnowledgeBase:
    """The validated knowledge base of this process (loaded once)."""
    return load_knowledge_base()
