from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kindveilig.accounts.http import acting_user
from kindveilig.accounts.models import Role, User
from kindveilig.accounts.services import refusal_record
from kindveilig.cases import selectors, services
from kindveilig.cases.access import (
    Purpose,
    access_case,
    access_case_record,
    access_my_cases,
    active_break_glass,
)
from kindveilig.cases.drafts import draft_form, register_draft_form
from kindveilig.cases.forms import (
    CASE_EDIT_FORM_KEY,
    BreakGlassForm,
    CaseCreateForm,
    CaseEditForm,
    CaseStageForm,
    ColleagueForm,
    ExternalProfessionalForm,
    MaltreatmentFormEndForm,
    MaltreatmentFormForm,
    MemberRoleForm,
    PersonEditForm,
    PersonForm,
)
from kindveilig.cases.models import Case, CaseMember, CaseRole, ChildMaltreatmentForm, Person
from kindveilig.cases.pagecache import case_page, case_page_body
from kindveilig.cases.records import ConcurrentEditError
from kindveilig.cases.workspace import workspace
from kindveilig.core.errors import NotPermitted
from kindveilig.core.forms import add_validation_errors

# The forms whose input is autosaved as a draft, by their key in the autosave URL.
register_draft_form(
    CASE_EDIT_FORM_KEY,
    CaseEditForm,
    lambda case_id, _record: reverse("cases:case_edit", args=[case_id]),
)


# The start page of the roles whose work is not in their own cases (PRODUCT §1): the team
# lead's caseload, the administrator's accounts, the auditor's log. (URL names only: the
# pages belong to apps above this one.)
ROLE_HOMES: dict[str, str] = {
    Role.TEAM_LEAD: "oversight:team_overview",
    Role.ADMIN: "administration:accounts",
    Role.AUDITOR: "oversight:audit_log",
}


@login_required
def my_cases(request: HttpRequest) -> HttpResponse:
    """The start page: "Mijn dossiers" for those who work cases, another role's own home for
    the others."""
    user = acting_user(request)
    home = ROLE_HOMES.get(user.role)
    if home is not None:
        return redirect(home)
    return render(request, "cases/my_cases.html", {"cases": access_my_cases(user)})


@login_required
def my_cases_list(request: HttpRequest) -> HttpResponse:
    """ "Mijn dossiers" for every role (a team lead can be a member of cases too)."""
    cases = access_my_cases(acting_user(request))
    return render(request, "cases/my_cases.html", {"cases": cases})


@login_required
def case_create(request: HttpRequest) -> HttpResponse:
    """Open a new case; the professional who opens it becomes its coordinator."""
    form = CaseCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_create(actor=acting_user(request), **form.cleaned_data)
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, _("The case has been opened. You are its coordinator."))
            return redirect("cases:case_detail", case_id=case.pk)
    return render(request, "cases/case_create.html", {"form": form})


@login_required
def person_add(request: HttpRequest, case_id: int) -> HttpResponse:
    """Add a family member or network member to the case."""
    purpose = Purpose.UPDATE if request.method == "POST" else Purpose.READ
    case = access_case(request.user, case_id, purpose=purpose)
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_add(actor=acting_user(request), case=case, **form.cleaned_data)
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, _("The person has been added."))
            return redirect("cases:case_detail", case_id=case.pk)
    return render(request, "cases/person_add.html", {"case": case, "form": form})


@login_required
def person_edit(request: HttpRequest, case_id: int, person_id: int) -> HttpResponse:
    """Change every detail of a person; a stale save shows the newer version, input is kept."""
    purpose = Purpose.UPDATE if request.method == "POST" else Purpose.READ
    person = access_case_record(request.user, case_id, Person, person_id, purpose=purpose)
    form = PersonEditForm(request.POST or None, person=person)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(
                actor=acting_user(request),
                person=person,
                expected_version=form.cleaned_data["version"],
                changes=form.changes(),
            )
        except ConcurrentEditError:
            # Showing the newer version is a read of it, logged through the door. The form
            # keeps what was typed and now carries the newer version: saving again overwrites
            # it knowingly.
            conflict = access_case_record(
                request.user, case_id, Person, person_id, purpose=Purpose.READ
            )
            data = request.POST.copy()
            data["version"] = str(conflict.version)
            form = PersonEditForm(data, person=conflict)
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, _("The person has been saved."))
            return redirect("cases:case_detail", case_id=case_id)
    context = {"case": person.case, "person": person, "form": form, "conflict": conflict}
    return render(request, "cases/person_edit.html", context)


@login_required
def person_remove(request: HttpRequest, case_id: int, person_id: int) -> HttpResponse:
    """Ask to confirm the removal of a person (GET), and remove them (POST). The page says
    which records keep the person in the case, if any."""
    purpose = Purpose.UPDATE if request.method == "POST" else Purpose.READ
    person = access_case_record(request.user, case_id, Person, person_id, purpose=purpose)
    if request.method == "POST":
        try:
            services.person_remove(actor=acting_user(request), person=person)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("cases:person_remove", case_id=case_id, person_id=person_id)
        messages.success(
            request, _("The person has been removed. The history of the case keeps them.")
        )
        return redirect("cases:case_detail", case_id=case_id)
    context = {
        "case": person.case,
        "person": person,
        "records": [
            (model._meta.verbose_name_plural, count)
            for model, count in selectors.records_about_person(person=person).items()
        ],
    }
    return render(request, "cases/person_remove.html", context)


@login_required
@require_POST
def person_bsn(request: HttpRequest, case_id: int, person_id: int) -> HttpResponse:
    """Show a person's full BSN once, on request (logged as its own event). With htmx the
    answer is the number in place of the masked one; otherwise a page of its own."""
    person = access_case_record(request.user, case_id, Person, person_id, purpose=Purpose.READ)
    bsn = services.person_bsn_reveal(actor=acting_user(request), person=person)
    context = {"case": person.case, "person": person, "bsn": bsn}
    if request.headers.get("HX-Request") == "true":
        return render(request, "cases/_person_bsn.html", context)
    return render(request, "cases/person_bsn.html", context)


@login_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_case(request.user, case_id, purpose=Purpose.READ)

    def body_context() -> dict[str, object]:
        return {
            "case": case,
            "persons": selectors.case_persons(case=case),
            "professionals": selectors.case_professionals(case=case),
            "today": timezone.localdate(),
            **workspace(case, current="intake"),
        }

    def page_context() -> dict[str, object]:
        return {
            "case": case,
            "body": case_page_body(request, case, "cases/_case_detail_body.html", body_context),
            # The banner of emergency access (its end time); members need no query for it.
            "break_glass": (
                active_break_glass(request.user, case_id) if case.entered_via_break_glass else None
            ),
        }

    return case_page(request, case, "cases/case_detail.html", page_context)


@login_required
def case_edit(request: HttpRequest, case_id: int) -> HttpResponse:
    """Edit the case; a stale version is refused showing both versions, input is kept."""
    purpose = Purpose.UPDATE if request.method == "POST" else Purpose.READ
    case = access_case(request.user, case_id, purpose=purpose)
    draft = selectors.draft_for(user=acting_user(request), case=case, form_key=CASE_EDIT_FORM_KEY)
    conflict = None
    if request.method == "POST":
        form = CaseEditForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            expected_version = data.pop("version")
            try:
                services.case_update(
                    actor=acting_user(request),
                    case=case,
                    expected_version=expected_version,
                    changes=data,
                )
            except ConcurrentEditError as exc:
                # Showing the newer version is a read of it, logged through the door.
                access_case(request.user, case_id, purpose=Purpose.READ)
                conflict = exc.current
            except ValidationError as exc:
                add_validation_errors(form, exc)
            else:
                services.draft_discard(
                    actor=acting_user(request), case=case, form_key=CASE_EDIT_FORM_KEY
                )
                messages.success(request, _("The case has been saved."))
                return redirect("cases:case_detail", case_id=case.pk)
    elif draft is not None:
        form = CaseEditForm(initial=draft.data)
    else:
        form = CaseEditForm(
            initial={
                "name": case.name,
                "legal_context": case.legal_context,
                "reason_for_concern": case.reason_for_concern,
                "version": case.version,
            }
        )
    form.enable_autosave(case.pk)
    context = {
        "case": case,
        "form": form,
        "draft": draft,
        "conflict": conflict,
        "stage_form": CaseStageForm(case=case),
    }
    return render(request, "cases/case_edit.html", context)


@login_required
@require_POST
def case_stage(request: HttpRequest, case_id: int) -> HttpResponse:
    """Move the case to another stage (the transition table decides which are possible)."""
    case = access_case(request.user, case_id, purpose=Purpose.UPDATE)
    form = CaseStageForm(request.POST, case=case)
    if form.is_valid():
        try:
            services.case_stage_change(
                actor=acting_user(request),
                case=case,
                expected_version=form.cleaned_data["version"],
                stage=form.cleaned_data["stage"],
            )
        except ConcurrentEditError:
            messages.error(
                request,
                _("Someone else changed this case in the meantime. Check the stage and try again."),
            )
        else:
            messages.success(request, _("The stage of the case has been changed."))
    else:
        messages.error(request, _("Choose one of the stages offered."))
    return redirect("cases:case_detail", case_id=case.pk)


@require_POST
def draft_save(request: HttpRequest, case_id: int, form_key: str) -> HttpResponse:
    """htmx autosave of a form's input. Answers with a short status line."""
    if not request.user.is_authenticated:
        # The session has ended; everything up to the previous autosave is kept.
        return HttpResponse(_("Session ended: log in again, your draft is kept."), status=401)
    registered = draft_form(form_key)
    if registered is None:
        return HttpResponse(status=404)
    case = access_case(request.user, case_id, purpose=Purpose.UPDATE)
    try:
        draft = services.draft_save(
            actor=acting_user(request),
            case=case,
            form_key=form_key,
            data=request.POST.dict(),
            fields=registered[0].fields(),
        )
    except ValidationError:
        return HttpResponse(_("This text is too long to keep as a draft."), status=422)
    saved_at = time_format(timezone.localtime(draft.updated_at), "H:i:s")
    return HttpResponse(_("Draft saved at %(time)s") % {"time": saved_at})


@login_required
@require_POST
def draft_discard(request: HttpRequest, case_id: int, form_key: str) -> HttpResponse:
    registered = draft_form(form_key)
    if registered is None:
        raise Http404
    case = access_case(request.user, case_id, purpose=Purpose.UPDATE)
    services.draft_discard(actor=acting_user(request), case=case, form_key=form_key)
    messages.info(request, _("The draft has been discarded."))
    form, record_id = registered
    return redirect(form.page(case.pk, record_id))


@login_required
def case_history(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_case(request.user, case_id, purpose=Purpose.READ)
    entries = selectors.case_history(case=case)
    return render(request, "cases/case_history.html", {"case": case, "entries": entries})


@login_required
def break_glass(request: HttpRequest) -> HttpResponse:
    """Emergency access to a case one is not a member of: a reason, limited in time, logged."""
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            access = services.break_glass_open(actor=acting_user(request), **form.cleaned_data)
        except NotPermitted as refusal:
            # Shown on the form, so a mistyped number can be corrected; logged all the same.
            refusal_record(actor=acting_user(request), refusal=refusal)
            form.add_error(None, refusal.message)
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            return redirect("cases:case_detail", case_id=access.case_id)
    context = {"form": form, "break_glass_hours": settings.KINDVEILIG_BREAK_GLASS_HOURS}
    return render(request, "cases/break_glass.html", context)


# --- The team around the family -----------------------------------------------------------


@login_required
def case_team(request: HttpRequest, case_id: int) -> HttpResponse:
    """The professionals involved; the coordinator adds colleagues and external professionals."""
    purpose = Purpose.UPDATE if request.method == "POST" else Purpose.READ
    case = access_case(request.user, case_id, purpose=purpose)
    user = acting_user(request)
    posted = request.POST if request.method == "POST" else None
    kind = request.POST.get("kind") if posted else None
    colleague_form = ColleagueForm(posted if kind == "colleague" else None)
    external_form = ExternalProfessionalForm(posted if kind == "external" else None)
    form: ColleagueForm | ExternalProfessionalForm = (
        colleague_form if kind == "colleague" else external_form
    )
    if posted and kind in ("colleague", "external") and form.is_valid():
        try:
            data = dict(form.cleaned_data)
            if kind == "external":
                data["role"] = CaseRole.EXTERNAL
            else:
                data["user"] = _colleague(case, data.pop("username"))
            services.case_member_add(actor=user, case=case, **data)
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, _("The professional has been added to the team."))
            return redirect("cases:case_team", case_id=case.pk)
    context = {
        "case": case,
        "members": [
            (member, MemberRoleForm(initial={"role": member.role, "version": member.version}))
            for member in selectors.case_professionals(case=case)
        ],
        "may_manage": selectors.is_coordinator(case=case, user=user),
        "colleague_form": colleague_form,
        "suggestions": selectors.team_colleagues(case=case, user=user),
        "external_form": external_form,
    }
    return render(request, "cases/case_team.html", context)


def _colleague(case: Case, username: str) -> User:
    colleague = selectors.organisation_colleague_by_username(case=case, username=username)
    if colleague is None:
        raise ValidationError(
            {"username": _("There is no colleague with this username in your organisation.")}
        )
    return colleague


@login_required
@require_POST
def case_member_role(request: HttpRequest, case_id: int, member_id: int) -> HttpResponse:
    member = access_case_record(
        request.user, case_id, CaseMember, member_id, purpose=Purpose.UPDATE
    )
    form = MemberRoleForm(request.POST)
    if form.is_valid():
        try:
            services.case_member_change_role(
                actor=acting_user(request),
                member=member,
                role=form.cleaned_data["role"],
                expected_version=form.cleaned_data["version"],
            )
        except ConcurrentEditError:
            messages.error(request, _("Someone else changed this membership in the meantime."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The role has been changed."))
    return redirect("cases:case_team", case_id=case_id)


@login_required
@require_POST
def case_member_end(request: HttpRequest, case_id: int, member_id: int) -> HttpResponse:
    member = access_case_record(
        request.user, case_id, CaseMember, member_id, purpose=Purpose.UPDATE
    )
    try:
        services.case_member_end(actor=acting_user(request), member=member)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("%(name)s is no longer involved in this case.") % {"name": member.display_name},
        )
    return redirect("cases:case_team", case_id=case_id)


# --- Forms of maltreatment per child ------------------------------------------------------


@login_required
def maltreatment_form_add(request: HttpRequest, case_id: int, person_id: int) -> HttpResponse:
    """Record a form of maltreatment for a child of the case."""
    purpose = Purpose.UPDATE if request.method == "POST" else Purpose.READ
    child = access_case_record(request.user, case_id, Person, person_id, purpose=purpose)
    form = MaltreatmentFormForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.maltreatment_form_record(
                actor=acting_user(request), child=child, **form.values()
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, _("The form of maltreatment has been recorded."))
            return redirect("cases:case_detail", case_id=case_id)
    context = {"case": child.case, "child": child, "form": form, "record": None}
    return render(request, "cases/maltreatment_form.html", context)


@login_required
def maltreatment_form_edit(request: HttpRequest, case_id: int, form_id: int) -> HttpResponse:
    """Change a form of maltreatment; a stale save shows the newer version, input is kept."""
    purpose = Purpose.UPDATE if request.method == "POST" else Purpose.READ
    record = access_case_record(
        request.user, case_id, ChildMaltreatmentForm, form_id, purpose=purpose
    )
    form = MaltreatmentFormForm(request.POST or None, initial=_form_initial(record))
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.maltreatment_form_change(
                actor=acting_user(request),
                record=record,
                expected_version=form.cleaned_data["version"] or 0,
                changes=form.values(),
            )
        except ConcurrentEditError:
            conflict = access_case_record(
                request.user, case_id, ChildMaltreatmentForm, form_id, purpose=Purpose.READ
            )
            data = request.POST.copy()
            data["version"] = str(conflict.version)
            form = MaltreatmentFormForm(data)
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, _("The form of maltreatment has been saved."))
            return redirect("cases:case_detail", case_id=case_id)
    context = {
        "case": record.case,
        "child": record.child,
        "form": form,
        "record": record,
        "conflict": conflict,
    }
    return render(request, "cases/maltreatment_form.html", context)


def _form_initial(record: ChildMaltreatmentForm) -> dict[str, object]:
    return {
        "code": record.knowledge_code,
        "status": record.status,
        "onset": record.onset,
        "frequency": record.frequency,
        "severity": record.severity,
        "duration": record.duration,
        "source": record.source,
        "version": record.version,
    }


@login_required
def maltreatment_form_end(request: HttpRequest, case_id: int, form_id: int) -> HttpResponse:
    """End a form of maltreatment that no longer applies: a date and a reason (GET asks,
    POST ends). The form stays in the case."""
    purpose = Purpose.UPDATE if request.method == "POST" else Purpose.READ
    record = access_case_record(
        request.user, case_id, ChildMaltreatmentForm, form_id, purpose=purpose
    )
    form = MaltreatmentFormEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.maltreatment_form_end(
                actor=acting_user(request),
                record=record,
                ended_on=form.cleaned_data["ended_on"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, _("The form of maltreatment has been ended."))
            return redirect("cases:case_detail", case_id=case_id)
    context = {"case": record.case, "child": record.child, "record": record, "form": form}
    return render(request, "cases/maltreatment_form_end.html", context)
