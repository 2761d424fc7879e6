"""Load, validate and query the knowledge base (the handbook's structured content as data).

The knowledge base is read once per process from ``data/*.yaml`` and validated against
``schema``: unique codes, required attributes, ordered age ranges, and references between lists.
Any problem raises ``KnowledgeBaseError`` naming the file, the entry and the problem.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from kindveilig.knowledge.schema import ENTRY_MODELS, Entry, ListFile, ListMeta, Source, SubItem

DATA_DIR = Path(__file__).resolve().parent / "data"
META_FILE = "_lists.yaml"


class KnowledgeBaseError(ValueError):
    """The knowledge-base files are invalid; the message names file, entry and problem."""


@dataclass(frozen=True)
class KnowledgeList:
    name: str
    title: str
    title_en: str
    source: Source
    meta: ListMeta
    entries: tuple[Entry, ...]
    by_code: dict[str, Entry] = field(repr=False)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def __contains__(self, code: object) -> bool:
        return code in self.by_code

    def codes(self) -> set[str]:
        return set(self.by_code)

    def get(self, code: str) -> Entry:
        try:
            return self.by_code[code]
        except KeyError as exc:
            raise KeyError(f"{self.name}: unknown code {code!r}") from exc


@dataclass(frozen=True)
class SearchHit:
    list_name: str
    entry: Entry
    sub_item: SubItem | None = None


@dataclass(frozen=True)
class KnowledgeBase:
    version: str
    handbook: str
    lists: dict[str, KnowledgeList]

    def __getitem__(self, name: str) -> KnowledgeList:
        return self.lists[name]

    def entry(self, list_name: str, code: str) -> Entry:
        return self.lists[list_name].get(code)

    def search(self, query: str) -> list[SearchHit]:
        """Entries (and sub-items) whose code, labels or texts contain every word of ``query``."""
        words = [word.casefold() for word in query.split() if word.strip()]
        if not words:
            return []
        hits: list[SearchHit] = []
        for name, knowledge_list in self.lists.items():
            for entry in knowledge_list:
                if _matches(_entry_haystack(entry), words):
                    hits.append(SearchHit(name, entry))
                for sub_item in sub_items(entry):
                    haystack = " ".join([sub_item.code, sub_item.label, sub_item.label_en])
                    if _matches(haystack.casefold(), words):
                        hits.append(SearchHit(name, entry, sub_item))
        return hits

    def as_dict(self) -> dict[str, Any]:
        """The whole knowledge base as plain data (the JSON export)."""
        result: dict[str, Any] = {"version": self.version, "handbook": self.handbook}
        for name, knowledge_list in self.lists.items():
            result[name] = [_entry_dict(entry) for entry in knowledge_list]
        return result


def _entry_dict(entry: Entry) -> dict[str, Any]:
    data = entry.model_dump(mode="json", by_alias=True, exclude_none=True)
    data["source"] = {**data["source"], "reference": entry.source.reference()}
    return data


def sub_items(entry: Entry) -> list[SubItem]:
    items: list[SubItem] = []
    for value in entry.__dict__.values():
        if isinstance(value, list):
            items.extend(item for item in value if isinstance(item, SubItem))
    return items


def _entry_haystack(entry: Entry) -> str:
    parts: list[str] = []
    for value in entry.model_dump(exclude={"source"}).values():
        if isinstance(value, str):
            parts.append(value)
        elif isinstance(value, list):
            parts.extend(item for item in value if isinstance(item, str))
            parts.extend(
                str(item.get("label", "")) + " " + str(item.get("text", ""))
                for item in value
                if isinstance(item, dict) and "code" not in item
            )
    return " ".join(parts).casefold()


def _matches(haystack: str, words: list[str]) -> bool:
    return all(word in haystack for word in words)


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
