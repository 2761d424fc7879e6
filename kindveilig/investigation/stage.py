"""The investigation's place in the case workspace: its stage in the navigation, how far it
is, and the next steps it asks for (method.next_steps)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from kindveilig.cases.drafts import register_draft_form
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


def _register_drafts() -> None:
    from kindveilig.investigation.views import SECTIONS

    for section in SECTIONS:

        def page(case_id: int, record_id: int | None, key: str = section.key) -> str:
            if record_id is None:
                return reverse(f"investigation:{key}", args=[case_id])
            return reverse(f"investigation:{key}_edit", args=[case_id, record_id])

        register_draft_form(section.draft_key, section.form, page)


def register() -> None:
    _register_drafts()
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
