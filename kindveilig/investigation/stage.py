"""The investigation's place in the case workspace: its stage in the navigation, how far it
is, and the next steps it asks for (method.next_steps)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from kindveilig.cases.models import Case
from kindveilig.cases.workspace import Stage, StageStatus, register_stage
from kindveilig.investigation import selectors


def _investigation_status(case: Case) -> StageStatus:
    plan = selectors.research_plan(case=case)
    answered = sum(1 for question in plan if question.answered)
    return StageStatus(
        answered,
        len(plan),
        _("%(answered)d of %(total)d questions answered")
        % {"answered": answered, "total": len(plan)},
    )


def register() -> None:
    register_stage(
        Stage(
            key="investigation",
            order=20,
            label=lambda: _("Investigation"),
            url_name="investigation:research_plan",
            status=_investigation_status,
            next_steps=lambda case: selectors.case_next_steps(case=case),
        )
    )
