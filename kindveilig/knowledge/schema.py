"""Schema of the knowledge-base files: one pydantic model per list, strict (unknown keys fail).

The loader validates every file against these models at start-up and in the tests, so a typo
in an attribute name or a missing required attribute is caught before it reaches a professional.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar, cast

from pydantic import BaseModel, ConfigDict, Field, model_validator

CODE_PATTERN = r"^[a-z0-9][a-z0-9.\-]*$"

MaltreatmentForm = Literal[
    "fysieke-mishandeling",
    "fysieke-verwaarlozing",
    "psychische-mishandeling",
    "psychische-verwaarlozing",
    "getuige-huiselijk-geweld",
    "seksueel-misbruik",
]
EVIDENCE_LEVELS = (
    "bewezen-effectief",
    "waarschijnlijk-effectief",
    "theoretisch-goed-onderbouwd",
    "niet-in-databank",
)
EvidenceLevel = Literal[
    "bewezen-effectief",
    "waarschijnlijk-effectief",
    "theoretisch-goed-onderbouwd",
    "niet-in-databank",
]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(Strict):
    """Where an item stands in the handbook, as its reader finds it: the section (§3.2.1) or
    appendix (bijlage 5.1), and the table or figure when the item is a row of one."""

    section: str = Field(pattern=r"^([1-9](\.[0-9]+)*|bijlage [1-9](\.[0-9]+)*)$")
    table: str | None = Field(default=None, pattern=r"^(Tabel|Figuur) [0-9]+\.[0-9]+(-[0-9.]+)?$")

    def reference(self) -> str:
        """E.g. "§3.2.2, tabel 3.1" or "bijlage 5.1"."""
        if self.section.startswith("bijlage"):
            parts = [self.section.capitalize()]
        else:
            chapter = self.section.split(".")[0]
            parts = [f"§{self.section}" if "." in self.section else f"hoofdstuk {chapter}"]
        if self.table:
            parts.append(self.table.lower())
        return ", ".join(parts)


class Entry(Strict):
    code: str = Field(pattern=CODE_PATTERN)
    label: str = Field(min_length=1)
    label_en: str = Field(min_length=1)
    text: str = Field(min_length=1)
    text_en: str | None = None
    source: Source
    order: int | None = None
    note: str | None = None


# Attributes every entry has; the rest are the list's own attributes.
ENTRY_FIELDS = frozenset(Entry.model_fields)


class SubItem(Strict):
    """A selectable item inside an entry (e.g. a concern in a Framework dimension)."""

    code: str = Field(pattern=CODE_PATTERN)
    label: str = Field(min_length=1)
    label_en: str = Field(min_length=1)
    source: Source
    age_band: str | None = None


class LabelledText(Strict):
    label: str = Field(min_length=1)
    text: str = Field(min_length=1)


class AgeRange(Strict):
    age_min: float = Field(ge=0, le=23)
    age_max: float = Field(ge=0, le=23)

    @model_validator(mode="after")
    def ages_ordered(self) -> AgeRange:
        if self.age_min > self.age_max:
            raise ValueError(f"age_min {self.age_min} > age_max {self.age_max}")
        return self


class AlarmSignalGroup(Entry):
    pass


class AlarmSignal(Entry):
    group: str


class ResearchQuestion(Entry):
    question: str


class MaltreatmentFormEntry(Entry):
    definition: str


class RiskFactor(Entry):
    level: Literal["ouder", "kind", "gezin", "omgeving"]


class ProtectiveFactor(Entry):
    level: Literal["ouder", "kind"]


class ParentFactor(Entry):
    polarity: Literal["negative", "positive"]


class PrevalenceFact(Entry):
    figure: str | None = None


class FrameworkDomain(Entry):
    pass


class FrameworkDimension(Entry):
    domain: str
    attention_points: list[str] = Field(min_length=1)
    concern_items: list[SubItem]
    strength_items: list[SubItem]


class Need(Entry):
    concerns: Literal["child", "parent", "family"]


class Intervention(Entry, AgeRange):
    name: str
    kind: Literal["specific-stop", "specific-consequences", "general"]
    maltreatment_forms: list[MaltreatmentForm]
    goal: str
    target_group: str
    age_range_bijlage: tuple[float, float] | None = None
    source_bijlage: Source | None = None
    participants: list[Literal["child", "parents", "family"]] = Field(min_length=1)
    setting: list[Literal["home", "ambulant", "group", "clinic"]] = Field(min_length=1)
    duration: str
    duration_months: tuple[float, float] | None = None
    intensity: str
    evidence_level: EvidenceLevel
    needs: list[str]
    cbt: bool
    sex: Literal["female", "male"] | None = None
    description: str

    @model_validator(mode="after")
    def specific_has_forms(self) -> Intervention:
        if self.kind != "general" and not self.maltreatment_forms:
            raise ValueError("a specific intervention names the maltreatment forms it targets")
        return self


class WorkingMethod(Entry):
    target: Literal["parent", "child"]
    category: str
    techniques: list[str] = Field(min_length=1)
    abuse_specific: bool
    cbt: bool


class EffectiveFactor(Entry):
    category: Literal["general", "specific", "element"]
    audit_check: str | None = None


class QuestionnaireVersion(AgeRange):
    label: str
    informant: str


class Questionnaire(Entry, AgeRange):
    name: str
    versions: list[QuestionnaireVersion] | None = None
    informants: list[Literal["parent", "teacher", "self", "professional", "family-member", "jgz"]]
    subject: Literal["child", "parent", "family"]
    purpose: str


class RiskInstrument(Entry):
    name: str
    purpose: str
    used_by: str
    target: str
    description: str
    assesses_current_safety: bool
    age_min: float | None = None
    age_max: float | None = None


class ConversationGuide(Entry):
    kind: Literal["attitude", "preparation", "steps", "techniques", "framework", "change-talk"]
    items: list[LabelledText] = Field(min_length=1)


MeldcodeOutcome = Literal[
    "close-and-record", "report", "report-or-rereport", "close-with-follow-up"
]


class MeldcodeQuestion(Entry):
    question: str
    stop_answer: Literal["yes", "no"]
    stop_outcome: MeldcodeOutcome
    stop_outcome_label: str
    continue_outcome: MeldcodeOutcome | None = None
    continue_outcome_label: str | None = None


class GeneralGoal(Entry):
    subgoals: list[str] | None = None


class ExampleGoal(Entry):
    for_: Literal["parent", "child", "family"] = Field(alias="for")
    group: str | None = None
    goal: str


class OwnStrengthQuestion(Entry):
    about: Literal["eigen-kracht", "netwerk"]
    kind: str | None = None
    question: str


class ChangePrognosisItem(Entry):
    category: Literal["capability-question", "capability-limit", "change-talk", "no-readiness"]


class MonitoringQuestion(Entry):
    kind: str
    asked_to: str
    question: str


class CollaborationForm(Entry):
    structural: bool


class CollaborationChecklistItem(Entry):
    part: Literal[1, 2]
    domain: str
    question: str
    hint: str | None = None


class MethodReason(Entry):
    """The words for one reason the method engine gives. ``label`` and ``label_en`` are
    sentences with ``{placeholders}`` for the facts the reason carries (``{child}``,
    ``{number}`` ...); ``text`` explains the rule behind it."""

    rule: str = Field(pattern=r"^(R[0-9]+|method)$")


class Threshold(Entry):
    value: float
    unit: str
    rule: str = Field(pattern=r"^R[0-9]+$")


# --- The investigation stage (handbook chapters 3 and 4) ---------------------------------


class InvestigationStep(Entry):
    order: int
    activities: list[str] = Field(min_length=1)


class ResearchMeans(Entry):
    order: int
    suited_for: list[str] = Field(min_length=1)
    variants: list[str] = Field(min_length=1)
    attention_points: list[str] = Field(min_length=1)
    follow_up_questions: list[str] = []


class LifelineColumn(Entry):
    """A column of the lifeline table, or the check made on the lifeline as a whole."""

    order: int
    kind: Literal["column", "check"]
    options: list[SubItem] = []
    thresholds: list[str] = []

    @model_validator(mode="after")
    def check_has_threshold(self) -> LifelineColumn:
        if self.kind == "check" and not self.thresholds:
            raise ValueError("a check names the threshold it uses")
        return self


class AbcPart(Entry):
    order: int
    letter: Literal["A", "B", "C"]
    questions: list[str] = Field(min_length=1)


class FactOpinionItem(Entry):
    kind: Literal["observable", "personal", "practice"]


class ChildSignalCaveat(Entry):
    order: int
    question: str  # what the professional asks himself


class ExampleResearchQuestion(Entry):
    about: Literal["child", "parent", "upbringing"]
    question: str
    framework_dimensions: list[str] = Field(min_length=1)


class ConversationPhrase(Entry):
    guide: str
    item: str | None = None  # the label of the guide's item the phrase illustrates
    speaker: Literal["professional", "parent"]
    phrase: str
    handbook_example: bool


# --- Risk assessment (handbook §3.4) -----------------------------------------------------


class RiskQuestion(Entry):
    """One of the three key questions of a risk assessment; together they weigh what can
    happen (nature), how likely it is (probability) and how severe it would be (severity)."""

    order: int
    question: str
    aspect: Literal["nature", "probability", "severity"]


class RiskScenarioStep(Entry):
    order: int
    activities: list[str] = Field(min_length=1)
    thresholds: list[str] = []  # codes in thresholds.yaml the step applies (R3)


class RiskScenarioKind(Entry):
    """A kind of risk scenario; its code is the engine's (``judging.SCENARIO_KINDS``)."""

    order: int
    example_trigger: str | None = None  # only where the handbook gives one


class RiskInstrumentCaveat(Entry):
    order: int
    exceptions: list[str] = []  # risk_instruments codes to which the caveat does not apply


class ListMeta(Strict):
    """Description of one list in ``_lists.yaml``: where the product uses it now
    (``used_in``) and where it will once that part is built (``planned_in``), so the
    Kennisbank never promises a page that does not exist."""

    used_in: list[str] = []
    planned_in: list[str] = []
    rules: list[str] = []
    expected_count: int | None = None
    references: dict[str, str] = {}

    @model_validator(mode="after")
    def check_has_a_place(self) -> ListMeta:
        if not (self.used_in or self.planned_in):
            raise ValueError("a list says where the product uses it (used_in or planned_in)")
        return self


class ListFile(Strict):
    list_name: str = Field(alias="list")
    title: str
    title_en: str
    source: Source
    entries: list[dict[str, object]]  # validated per entry with the list's model by the loader


# The model of every list; a data file without a model here is refused by the loader.
ENTRY_MODELS: dict[str, type[Entry]] = {
    "alarm_signal_groups": AlarmSignalGroup,
    "alarm_signals": AlarmSignal,
    "research_questions": ResearchQuestion,
    "maltreatment_forms": MaltreatmentFormEntry,
    "risk_factors": RiskFactor,
    "protective_factors": ProtectiveFactor,
    "parent_factors": ParentFactor,
    "prevalence_facts": PrevalenceFact,
    "framework_domains": FrameworkDomain,
    "framework_dimensions": FrameworkDimension,
    "needs": Need,
    "interventions": Intervention,
    "working_methods": WorkingMethod,
    "effective_factors": EffectiveFactor,
    "questionnaires": Questionnaire,
    "risk_instruments": RiskInstrument,
    "conversation_guides": ConversationGuide,
    "meldcode_questions": MeldcodeQuestion,
    "meldcode_steps": Entry,
    "help_plan_parts": Entry,
    "general_goals": GeneralGoal,
    "example_goals": ExampleGoal,
    "own_strength_questions": OwnStrengthQuestion,
    "network_criteria": Entry,
    "change_prognosis_items": ChangePrognosisItem,
    "sos_techniques": Entry,
    "monitoring_questions": MonitoringQuestion,
    "closure_criteria": Entry,
    "collaboration_forms": CollaborationForm,
    "collaboration_domains": Entry,
    "collaboration_phases": Entry,
    "collaboration_checklist": CollaborationChecklistItem,
    "thresholds": Threshold,
    "investigation_steps": InvestigationStep,
    "research_means": ResearchMeans,
    "lifeline_columns": LifelineColumn,
    "abc_schema": AbcPart,
    "fact_opinion": FactOpinionItem,
    "child_signal_caveats": ChildSignalCaveat,
    "example_research_questions": ExampleResearchQuestion,
    "conversation_phrases": ConversationPhrase,
    "method_reasons": MethodReason,
    "risk_questions": RiskQuestion,
    "risk_scenario_steps": RiskScenarioStep,
    "risk_scenario_kinds": RiskScenarioKind,
    "risk_instrument_caveats": RiskInstrumentCaveat,
    "method_rules": Entry,
}


# --- The loaded knowledge base: plain, immutable data (no file system, no Django) ---------


EntryT = TypeVar("EntryT", bound=Entry)


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

    def typed(self, kind: type[EntryT]) -> tuple[EntryT, ...]:
        """The entries as their schema class, for callers that use its fields."""
        assert all(isinstance(entry, kind) for entry in self.entries), (self.name, kind)
        return cast("tuple[EntryT, ...]", self.entries)

    def get_as(self, code: str, kind: type[EntryT]) -> EntryT:
        entry = self.get(code)
        assert isinstance(entry, kind), (self.name, kind)
        return entry


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

    def threshold(self, code: str) -> float:
        """The value of a threshold of the method rules (``thresholds.yaml``)."""
        return float(self.lists["thresholds"].get_as(code, Threshold).value)

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
