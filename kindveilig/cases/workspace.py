"""The case as a workspace: the frame every case page shares (the family at a glance, the
stages as navigation, the next steps), filled by the apps of the method's stages.

The cases app sits below those apps and may not import them; each stage registers what it
contributes (``register_stage``) when Django starts (its ``AppConfig.ready``), and the case
pages ask the registry. A stage appears in the navigation only when an app has registered it:
stages that are not built yet are not shown as empty pages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kindveilig.cases.models import Case, PersonRole
from kindveilig.cases.selectors import case_maltreatment_forms, case_persons
from kindveilig.method.outcome import Outcome


@dataclass(frozen=True)
class StageStatus:
    """How far a stage is for one case: ``done`` of ``total`` items, and a short summary."""

    done: int
    total: int
    summary: str = ""

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.done >= self.total


@dataclass(frozen=True)
class Stage:
    key: str
    order: int
    label: Callable[[], str]
    url_name: str
    status: Callable[[Case], StageStatus]
    next_steps: Callable[[Case], list[Outcome[str]]] = field(default=lambda case: [])

    def url(self, case: Case) -> str:
        return reverse(self.url_name, kwargs={"case_id": case.pk})


_stages: dict[str, Stage] = {}

# Next steps shown first on every case page (``method.judging``: a child in direct danger).
URGENT_STEPS = {"act-on-direct-danger"}


def register_stage(stage: Stage) -> None:
    _stages[stage.key] = stage


def stages() -> list[Stage]:
    return sorted(_stages.values(), key=lambda stage: stage.order)


@dataclass(frozen=True)
class StageView:
    stage: Stage
    url: str
    label: str
    status: StageStatus
    current: bool


def _intake_status(case: Case) -> StageStatus:
    has_children = any(person.role == PersonRole.CHILD for person in case_persons(case=case))
    has_concern = bool(case.reason_for_concern.strip())
    return StageStatus(int(has_children) + int(has_concern), 2)


register_stage(
    Stage(
        key="intake",
        order=10,
        label=lambda: str(_("Intake")),
        url_name="cases:case_detail",
        status=_intake_status,
    )
)


@dataclass(frozen=True)
class GlanceItem:
    """One thing a stage shows beside a child in "the family at a glance": a short label, a
    detail (when, by whom) and whether it is a danger that must not be missed."""

    label: str
    detail: str = ""
    danger: bool = False
    url: str = ""


# A provider gives, for a case, child id -> the items to show beside that child.
GlanceProvider = Callable[[Case], dict[int, list[GlanceItem]]]
_glance_providers: dict[str, GlanceProvider] = {}


def register_glance(key: str, provider: GlanceProvider) -> None:
    """Let a stage's app show items per child at a glance (registered in its ``ready``)."""
    _glance_providers[key] = provider


def _glance_items(case: Case) -> dict[int, list[GlanceItem]]:
    items: dict[int, list[GlanceItem]] = {}
    for key in sorted(_glance_providers):
        for child_id, shown in _glance_providers[key](case).items():
            items.setdefault(child_id, []).extend(shown)
    return items


def workspace(case: Case, *, current: str) -> dict[str, object]:
    """The frame of a case page: the family at a glance, the stages with their status, and
    the next steps."""
    children = [person for person in case_persons(case=case) if person.role == PersonRole.CHILD]
    forms = list(case_maltreatment_forms(case=case))
    forms_by_child: dict[int, list[object]] = {}
    for record in forms:
        forms_by_child.setdefault(record.child_id, []).append(record)
    views = [
        StageView(stage, stage.url(case), stage.label(), stage.status(case), stage.key == current)
        for stage in stages()
    ]
    # The steps of the stage being worked on come first, then the others in the method's
    # order; a child in direct danger comes before everything, whichever stage says so.
    steps: list[Outcome[str]] = []
    for stage in sorted(stages(), key=lambda stage: stage.key != current):
        steps.extend(stage.next_steps(case))
    steps.sort(key=lambda step: step.decision not in URGENT_STEPS)
    items = _glance_items(case)
    return {
        "today": timezone.localdate(),
        "stages": views,
        "next_steps": steps,
        "maltreatment_forms": forms,
        "glance": [(child, forms_by_child.get(child.pk, [])) for child in children],
        "glance_items": items,
    }
