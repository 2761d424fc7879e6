"""Reads for the causes page: per parent their negative and positive factors, the concerns and
sources of support of the family and environment, and beside them the Framework findings of the
investigation that they rest on."""

from __future__ import annotations

from dataclasses import dataclass, field

from kindveilig.assessment.models import CauseFactor, CauseKind, CausePolarity
from kindveilig.assessment.services.causes import ENVIRONMENT_DOMAIN, PARENT_ROLES
from kindveilig.cases.models import Case, Person
from kindveilig.cases.selectors import case_persons
from kindveilig.investigation.selectors import DimensionCell, framework_overviews


@dataclass
class FindingGroup:
    """Findings on one dimension about one person (or the family, ``person`` None)."""

    person: Person | None
    cell: DimensionCell


@dataclass
class CauseGroup:
    """The causes of one parent (``parent``) or of the family and environment (None), with
    the Framework findings they rest on."""

    parent: Person | None
    negative: list[CauseFactor] = field(default_factory=list)
    positive: list[CauseFactor] = field(default_factory=list)
    findings: list[FindingGroup] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.negative or self.positive)


def parents(case: Case) -> list[Person]:
    return [person for person in case_persons(case=case) if person.role in PARENT_ROLES]


def causes(*, case: Case) -> list[CauseFactor]:
    return list(CauseFactor.objects.filter(case=case).select_related("parent"))


def cause_overview(*, case: Case) -> list[CauseGroup]:
    """One group per parent or caregiver, then the family and environment. A parent's
    findings are those recorded about them (any side of their triangle); the family and
    environment's are the findings on the environment side, about anyone or the family."""
    groups = {person.pk: CauseGroup(person) for person in parents(case)}
    environment = CauseGroup(None)
    for record in causes(case=case):
        group = environment if record.kind == CauseKind.FAMILY_ENVIRONMENT else None
        if record.kind == CauseKind.PARENT and record.parent_id is not None:
            group = groups.setdefault(record.parent_id, CauseGroup(record.parent))
        if group is None:
            continue
        target = group.negative if record.polarity == CausePolarity.NEGATIVE else group.positive
        target.append(record)
    for person, sides in framework_overviews(case=case):
        for side in sides:
            for cell in side.cells:
                if not (cell.concerns or cell.strengths):
                    continue
                if person is not None and person.pk in groups:
                    groups[person.pk].findings.append(FindingGroup(person, cell))
                if side.code == ENVIRONMENT_DOMAIN:
                    environment.findings.append(FindingGroup(person, cell))
    return [*groups.values(), environment]
