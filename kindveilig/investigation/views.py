"""Pages of the investigation. Every section (research plan, lifeline, observations,
questionnaires, Framework, conversations) works alike: a page with what is recorded and a form
to add, an edit page per record (optimistic concurrency: a stale save shows the newer version
and keeps the input) and removal. Thin: access → service or selector → render."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kindveilig.accounts.http import acting_user
from kindveilig.cases.access import Purpose, access_case, access_case_record
from kindveilig.cases.drafts import draft_key
from kindveilig.cases.editing import save_posted_form
from kindveilig.cases.models import Case, CaseRecord
from kindveilig.cases.selectors import case_persons, draft_for
from kindveilig.cases.services import draft_discard
from kindveilig.cases.workspace import workspace
from kindveilig.investigation import forms, selectors, services
from kindveilig.investigation.models import (
    Conversation,
    FrameworkFinding,
    LifelineEvent,
    Observation,
    QuestionnaireAdministration,
    ResearchQuestion,
)
from kindveilig.investigation.timeline import lifeline_svg


@dataclass(frozen=True)
class Section:
    key: str
    slug: str  # in the URL (Dutch)
    model: type[CaseRecord]
    form: type[forms.CaseRecordForm]
    title: Any
    intro: Any

    @property
    def draft_key(self) -> str:
        """Autosaved drafts of this section's forms (``cases.drafts``)."""
        return f"onderzoek-{self.key}"


SECTIONS = [
    Section(
        "research_plan",
        "onderzoeksplan",
        ResearchQuestion,
        forms.ResearchQuestionForm,
        gettext_lazy("Research plan"),
        gettext_lazy(
            "The six standard research questions, per child where they concern a child, and "
            "your specific questions. Per question: what you expect, what information you need, "
            "from whom, by which means; and in the end the answer, its substantiation and the "
            "information that contradicts your expectation."
        ),
    ),
    Section(
        "lifeline",
        "levenslijn",
        LifelineEvent,
        forms.LifelineEventForm,
        gettext_lazy("Lifeline"),
        gettext_lazy(
            "Events, examinations, help and emotions in the life of the children and the family, "
            "in order of time, with their source. Events from when a child was very young are "
            "marked: a vulnerable period."
        ),
    ),
    Section(
        "observations",
        "observaties",
        Observation,
        forms.ObservationForm,
        gettext_lazy("Observations"),
        gettext_lazy(
            "What you saw, in the ABC format: what came before (A), the behaviour (B) and what "
            "followed (C)."
        ),
    ),
    Section(
        "questionnaires",
        "vragenlijsten",
        QuestionnaireAdministration,
        forms.QuestionnaireForm,
        gettext_lazy("Questionnaires"),
        gettext_lazy(
            "Questionnaires that fit each child's age are suggested; record the outcome of those "
            "filled in as it was reported."
        ),
    ),
    Section(
        "framework",
        "framework",
        FrameworkFinding,
        forms.FrameworkFindingForm,
        gettext_lazy("Framework triangle"),
        gettext_lazy(
            "Concerns and strengths per child, parent and the family on the twenty dimensions: "
            "the child's development, parenting capacity, and family and environment. Keep facts "
            "apart from opinions and name the source."
        ),
    ),
    Section(
        "conversations",
        "gesprekken",
        Conversation,
        forms.ConversationForm,
        gettext_lazy("Conversations"),
        gettext_lazy(
            "Prepare each conversation and record it once held: with the parents their view and "
            "what they say about change; with a child their own words about worries, good things "
            "and wishes."
        ),
    ),
]
BY_KEY = {section.key: section for section in SECTIONS}


def _context(request: HttpRequest, case: Case, section: Section) -> dict[str, Any]:
    """What every section page shows: the workspace frame and the section's own data."""
    context: dict[str, Any] = {
        "case": case,
        "section": section,
        "sections": SECTIONS,
        "today": timezone.localdate(),
        **workspace(case, current="investigation"),
    }
    if section.key == "research_plan":
        context["plan"] = selectors.research_plan(case=case)
    elif section.key == "lifeline":
        # One child's lifeline (?kind=<person id>) or the family's; an unknown id shows all.
        kids = selectors.children(case)
        wanted = request.GET.get("kind", "")
        child = next((kid for kid in kids if str(kid.pk) == wanted), None)
        rows = selectors.lifeline(case=case, child=child)
        context.update({"rows": rows, "lifeline_children": kids, "lifeline_child": child})
        context["timeline"] = lifeline_svg(rows)
    elif section.key == "observations":
        context["records"] = selectors.observations(case=case)
    elif section.key == "questionnaires":
        context["records"] = selectors.questionnaires(case=case)
        context["suggestions"] = selectors.questionnaire_suggestions_per_child(case=case)
    elif section.key == "framework":
        context["triangles"] = selectors.framework_overviews(case=case)
    elif section.key == "conversations":
        context["records"] = selectors.conversations(case=case)
        context["talk"] = selectors.talk_with_children(case=case)
    return context


@login_required
def section_page(request: HttpRequest, case_id: int, key: str) -> HttpResponse:
    """A section: what is recorded, and a form to add to it (POST adds)."""
    section = BY_KEY.get(key) or _not_found()
    purpose = Purpose.UPDATE if request.method == "POST" else Purpose.READ
    case = access_case(request.user, case_id, purpose=purpose)
    persons = case_persons(case=case)
    form_key = draft_key(section.draft_key)
    draft = draft_for(user=acting_user(request), case=case, form_key=form_key)
    initial = draft.data if draft and request.method != "POST" else None
    form = section.form(request.POST or None, persons=persons, initial=initial)
    form.enable_autosave(reverse("cases:draft_save", args=[case.pk, form_key]))

    @transaction.atomic
    def save() -> None:
        services.investigation_record_add(
            actor=acting_user(request), case=case, model=section.model, values=form.values()
        )
        draft_discard(actor=acting_user(request), case=case, form_key=form_key)

    saved, _conflict = save_posted_form(request, form, save)
    if saved:
        return redirect(f"investigation:{section.key}", case_id=case.pk)
    context = {
        **_context(request, case, section),
        "form": form,
        "draft": draft if initial else None,
        "draft_key": form_key,
    }
    return render(request, "investigation/section.html", context)


@login_required
def record_edit(request: HttpRequest, case_id: int, key: str, record_id: int) -> HttpResponse:
    """Change one record; a stale save shows the newer version and keeps what was typed."""
    section = BY_KEY.get(key) or _not_found()
    purpose = Purpose.UPDATE if request.method == "POST" else Purpose.READ
    # The page shows the case's frame (its children) and the record: both reads are logged.
    case = access_case(request.user, case_id, purpose=purpose)
    record = access_case_record(request.user, case_id, section.model, record_id, purpose=purpose)
    persons = case_persons(case=case)
    form_key = draft_key(section.draft_key, record.pk)
    draft = draft_for(user=acting_user(request), case=case, form_key=form_key)
    initial = draft.data if draft and request.method != "POST" else None
    form = section.form(request.POST or None, instance=record, persons=persons, initial=initial)
    form.enable_autosave(reverse("cases:draft_save", args=[case.pk, form_key]))

    @transaction.atomic
    def save() -> None:
        services.investigation_record_change(
            actor=acting_user(request),
            record=record,
            expected_version=form.cleaned_data.get("version") or 0,
            values=form.values(),
        )
        draft_discard(actor=acting_user(request), case=case, form_key=form_key)

    saved, conflict = save_posted_form(
        request,
        form,
        save,
        newer=lambda: access_case_record(
            request.user, case_id, section.model, record_id, purpose=Purpose.READ
        ),
    )
    if saved:
        return redirect(f"investigation:{section.key}", case_id=case.pk)
    context = {
        "case": case,
        "section": section,
        "form": form,
        "record": record,
        "conflict": conflict,
        "draft": draft if initial else None,
        "draft_key": form_key,
        **workspace(case, current="investigation"),
    }
    return render(request, "investigation/record_edit.html", context)


@login_required
@require_POST
def record_remove(request: HttpRequest, case_id: int, key: str, record_id: int) -> HttpResponse:
    section = BY_KEY.get(key) or _not_found()
    record = access_case_record(
        request.user, case_id, section.model, record_id, purpose=Purpose.UPDATE
    )
    services.investigation_record_remove(actor=acting_user(request), record=record)
    messages.success(request, _("Removed. It stays visible in the history of the case."))
    return redirect(f"investigation:{section.key}", case_id=case_id)


@login_required
@require_POST
def question_start(request: HttpRequest, case_id: int) -> HttpResponse:
    """Start working on a standard research question (made from the knowledge base)."""
    case = access_case(request.user, case_id, purpose=Purpose.UPDATE)
    child = request.POST.get("child") or None
    try:
        record = services.research_question_start(
            actor=acting_user(request),
            case=case,
            standard_code=str(request.POST.get("standard_code", ""))[:60],
            child_id=int(child) if child and child.isdigit() else None,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("investigation:research_plan", case_id=case.pk)
    return redirect("investigation:research_plan_edit", case_id=case.pk, record_id=record.pk)


def _not_found() -> Section:
    raise Http404
