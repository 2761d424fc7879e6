"""Judging's place in the case workspace: the stage "Beoordeling" in the navigation, how far it
is, and the next steps it asks for (``method.judging.judging_steps``)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from kindveilig.assessment.selectors.overview import (
    case_judging_steps,
    judging_facts,
    judging_progress,
)
from kindveilig.cases.models import Case
from kindveilig.cases.workspace import Stage, StageStatus, register_stage


def _judging_status(case: Case) -> StageStatus:
    done, total = judging_progress(judging_facts(case))
    return StageStatus(
        done, total, _("%(done)d of %(total)d judged") % {"done": done, "total": total}
    )


def register() -> None:
    register_stage(
        Stage(
            key="assessment",
            order=30,
            label=lambda: _("Assessment"),
            url_name="assessment:overview",
            status=_judging_status,
            next_steps=lambda case: case_judging_steps(case=case),
        )
    )
