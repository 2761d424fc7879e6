"""The cases endpoints of API v1. Thin: parse → access → one service or selector → respond.

Operation ids are set explicitly and never change (clients generate code from them); the first
operations keep the ids they were published with.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router
from ninja.responses import Status

from kindveilig.accounts.http import acting_user
from kindveilig.cases import selectors, services
from kindveilig.cases.access import Purpose, access_case, access_case_record, access_my_cases
from kindveilig.cases.models import CaseMember, ChildMaltreatmentForm, Person, PersonRole
from kindveilig.cases.pagecache import case_json
from kindveilig.cases.records import ConcurrentEditError
from kindveilig.cases.schemas import (
    BsnOut,
    CaseCreated,
    CaseIn,
    CaseOut,
    CaseSummary,
    ConflictOut,
    MaltreatmentFormConflictOut,
    MaltreatmentFormEndIn,
    MaltreatmentFormIn,
    MaltreatmentFormOut,
    MaltreatmentFormPatch,
    MemberConflictOut,
    MemberIn,
    MemberOut,
    MemberPatch,
    PersonCreated,
    PersonIn,
    PersonOut,
    PersonPatch,
)
from kindveilig.core.api import responses
from kindveilig.knowledge.display import entry_label

router = Router(tags=["cases"])


@router.get(
    "/cases",
    response=responses({200: list[CaseSummary]}),
    summary="Cases of the current user",
    operation_id="kindveilig_api_api_list_cases",
)
def list_cases(request: HttpRequest) -> list[dict]:
    return [
        {"id": case.pk, "name": case.name, "status": case.status}
        for case in access_my_cases(acting_user(request))
    ]


@router.post(
    "/cases",
    response=responses({201: CaseCreated}, 403, 422),
    summary="Open a case (professionals and behavioural scientists)",
    operation_id="kindveilig_api_api_create_case",
)
def create_case(request: HttpRequest, payload: CaseIn) -> Status[dict]:
    case = services.case_create(actor=acting_user(request), name=payload.name)
    return Status(201, {"id": case.pk})


@router.get(
    "/cases/{case_id}",
    response=responses({200: CaseOut}, 404, 422),
    summary="One case with family and professionals",
    operation_id="kindveilig_api_api_get_case",
)
def get_case(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_case(request.user, case_id, purpose=Purpose.READ)

    def answer() -> dict[str, Any]:
        return {
            "id": case.pk,
            "name": case.name,
            "status": case.status,
            "legal_context": case.legal_context,
            "persons": list(selectors.case_persons(case=case)),
            "professionals": [
                {
                    "id": member.pk,
                    "name": member.display_name,
                    "role": member.role,
                    "organisation": (
                        str(member.user.organisation or "")
                        if member.user
                        else member.organisation_name
                    ),
                }
                for member in selectors.case_professionals(case=case)
            ],
        }

    # Kept between changes of the case, like the case page (cases.pagecache).
    return case_json(request, case, "api:case", CaseOut, answer)


@router.post(
    "/cases/{case_id}/persons",
    response=responses({201: PersonCreated}, 403, 404, 422),
    summary="Add a person to a case",
    operation_id="kindveilig_api_api_add_person",
)
def add_person(request: HttpRequest, case_id: int, payload: PersonIn) -> Status[dict]:
    case = access_case(request.user, case_id, purpose=Purpose.UPDATE)
    person = services.person_add(
        actor=acting_user(request),
        case=case,
        role=payload.role,
        given_name=payload.given_name,
        family_name=payload.family_name,
        birth_date=payload.birth_date,
        sex=payload.sex or "",
        bsn=payload.bsn or "",
        relation=payload.relation,
        has_parental_authority=payload.has_parental_authority,
        lives_in_household=payload.lives_in_household,
        phone=payload.phone,
        email=payload.email,
    )
    return Status(201, {"id": person.pk})


@router.patch(
    "/cases/{case_id}/persons/{person_id}",
    response=responses({200: PersonOut, 409: ConflictOut}, 403, 404, 422),
    summary="Change a person (optimistic concurrency: send the version you read)",
    operation_id="kindveilig_api_api_update_person",
)
def update_person(
    request: HttpRequest, case_id: int, person_id: int, payload: PersonPatch
) -> Status[Any]:
    person = access_case_record(request.user, case_id, Person, person_id, purpose=Purpose.UPDATE)
    changes = payload.model_dump(exclude_unset=True, exclude={"version"})
    try:
        updated = services.person_update(
            actor=acting_user(request),
            person=person,
            expected_version=payload.version,
            changes=changes,
        )
    except ConcurrentEditError:
        # The reply shows the newer version: that is a read, logged through the door.
        current = access_case_record(request.user, case_id, Person, person_id, purpose=Purpose.READ)
        message = _(
            "Someone else changed this person after you read it. Nothing was saved; "
            "the newer version is kept. Read it again and repeat your change."
        )
        return Status(409, {"detail": message, "current": current})
    return Status(200, updated)


@router.delete(
    "/cases/{case_id}/persons/{person_id}",
    response=responses({204: None}, 403, 404, 422),
    summary="Remove a person; refused (422) while records of the case concern them",
    operation_id="remove_person",
)
def remove_person(request: HttpRequest, case_id: int, person_id: int) -> Status[None]:
    person = access_case_record(request.user, case_id, Person, person_id, purpose=Purpose.UPDATE)
    services.person_remove(actor=acting_user(request), person=person)
    return Status(204, None)


@router.post(
    "/cases/{case_id}/persons/{person_id}/bsn",
    response=responses({200: BsnOut}, 404, 422),
    summary="A person's full BSN (other answers show it masked); every request is logged",
    operation_id="reveal_person_bsn",
)
def reveal_person_bsn(request: HttpRequest, case_id: int, person_id: int) -> dict[str, str]:
    person = access_case_record(request.user, case_id, Person, person_id, purpose=Purpose.READ)
    return {"bsn": services.person_bsn_reveal(actor=acting_user(request), person=person)}


# --- Forms of maltreatment per child ------------------------------------------------------


def _maltreatment_form_out(record: ChildMaltreatmentForm) -> dict[str, Any]:
    entry = record.knowledge_entry()
    return {
        "id": record.pk,
        "child_id": record.child_id,
        "code": record.knowledge_code,
        "label": entry_label(entry) if entry is not None else record.knowledge_code,
        "knowledge_version": record.knowledge_version,
        "status": record.status,
        "onset": record.onset,
        "frequency": record.frequency,
        "severity": record.severity,
        "duration": record.duration,
        "source": record.source,
        "recorded_at": record.recorded_at,
        "ended_on": record.ended_on,
        "end_reason": record.end_reason,
        "version": record.version,
    }


@router.get(
    "/cases/{case_id}/maltreatment-forms",
    response=responses({200: list[MaltreatmentFormOut]}, 404, 422),
    summary="The forms of maltreatment of the children of a case (also those ended)",
    operation_id="list_maltreatment_forms",
)
def list_maltreatment_forms(request: HttpRequest, case_id: int) -> list[dict[str, Any]]:
    case = access_case(request.user, case_id, purpose=Purpose.READ)
    return [
        _maltreatment_form_out(record) for record in selectors.case_maltreatment_forms(case=case)
    ]


@router.post(
    "/cases/{case_id}/maltreatment-forms",
    response=responses({201: MaltreatmentFormOut}, 403, 404, 422),
    summary="Record a suspected or established form of maltreatment for a child",
    operation_id="add_maltreatment_form",
)
def add_maltreatment_form(
    request: HttpRequest, case_id: int, payload: MaltreatmentFormIn
) -> Status[dict[str, Any]]:
    case = access_case(request.user, case_id, purpose=Purpose.UPDATE)
    child = selectors.case_person(case=case, person_id=payload.child_id)
    if child is None or child.role != PersonRole.CHILD:
        raise ValidationError({"child_id": _("Choose a child of this case.")})
    record = services.maltreatment_form_record(
        actor=acting_user(request), child=child, **payload.model_dump(exclude={"child_id"})
    )
    return Status(201, _maltreatment_form_out(record))


@router.patch(
    "/cases/{case_id}/maltreatment-forms/{form_id}",
    response=responses({200: MaltreatmentFormOut, 409: MaltreatmentFormConflictOut}, 403, 404, 422),
    summary="Change a form of maltreatment (send the version you read)",
    operation_id="change_maltreatment_form",
)
def change_maltreatment_form(
    request: HttpRequest, case_id: int, form_id: int, payload: MaltreatmentFormPatch
) -> Status[Any]:
    record = access_case_record(
        request.user, case_id, ChildMaltreatmentForm, form_id, purpose=Purpose.UPDATE
    )
    try:
        changed = services.maltreatment_form_change(
            actor=acting_user(request),
            record=record,
            expected_version=payload.version,
            changes=payload.model_dump(exclude_unset=True, exclude={"version"}),
        )
    except ConcurrentEditError:
        current = access_case_record(
            request.user, case_id, ChildMaltreatmentForm, form_id, purpose=Purpose.READ
        )
        message = _("Someone else changed this after you read it. Nothing was saved.")
        return Status(409, {"detail": message, "current": _maltreatment_form_out(current)})
    return Status(200, _maltreatment_form_out(changed))


@router.post(
    "/cases/{case_id}/maltreatment-forms/{form_id}/end",
    response=responses({200: MaltreatmentFormOut}, 403, 404, 422),
    summary="End a form of maltreatment that no longer applies; it stays in the case",
    operation_id="end_maltreatment_form",
)
def end_maltreatment_form(
    request: HttpRequest, case_id: int, form_id: int, payload: MaltreatmentFormEndIn
) -> dict[str, Any]:
    record = access_case_record(
        request.user, case_id, ChildMaltreatmentForm, form_id, purpose=Purpose.UPDATE
    )
    ended = services.maltreatment_form_end(
        actor=acting_user(request),
        record=record,
        reason=payload.reason,
        ended_on=payload.ended_on,
    )
    return _maltreatment_form_out(ended)


# --- The team around the family -----------------------------------------------------------


def _member_out(member: CaseMember) -> dict[str, Any]:
    return {
        "id": member.pk,
        "user_id": member.user_id,
        "name": member.display_name,
        "role": member.role,
        "organisation": (
            str(member.user.organisation or "") if member.user else member.organisation_name
        ),
        "discipline": member.discipline,
        "phone": member.phone,
        "email": member.user.email if member.user else member.email,
        "availability": member.availability,
        "start_date": member.start_date,
        "version": member.version,
    }


@router.get(
    "/cases/{case_id}/members",
    response=responses({200: list[MemberOut]}, 404, 422),
    summary="The professionals currently involved in a case",
    operation_id="list_case_members",
)
def list_members(request: HttpRequest, case_id: int) -> list[dict[str, Any]]:
    case = access_case(request.user, case_id, purpose=Purpose.READ)
    return [_member_out(member) for member in selectors.case_professionals(case=case)]


@router.post(
    "/cases/{case_id}/members",
    response=responses({201: MemberOut}, 403, 404, 422),
    summary="Add a colleague or an external professional (coordinators only)",
    operation_id="add_case_member",
)
def add_member(request: HttpRequest, case_id: int, payload: MemberIn) -> Status[dict]:
    case = access_case(request.user, case_id, purpose=Purpose.UPDATE)
    user = None
    if payload.user_id is not None:
        user = selectors.organisation_colleague(case=case, user_id=payload.user_id)
        if user is None:
            raise ValidationError(
                {"user_id": _("There is no colleague with this number in the organisation.")}
            )
    member = services.case_member_add(
        actor=acting_user(request),
        case=case,
        user=user,
        **payload.model_dump(exclude={"user_id"}),
    )
    return Status(201, _member_out(member))


@router.patch(
    "/cases/{case_id}/members/{member_id}",
    response=responses({200: MemberOut, 409: MemberConflictOut}, 403, 404, 422),
    summary="Change a colleague's role in the case (coordinators only)",
    operation_id="change_case_member_role",
)
def change_member_role(
    request: HttpRequest, case_id: int, member_id: int, payload: MemberPatch
) -> Status[Any]:
    member = access_case_record(
        request.user, case_id, CaseMember, member_id, purpose=Purpose.UPDATE
    )
    try:
        updated = services.case_member_change_role(
            actor=acting_user(request),
            member=member,
            role=payload.role,
            expected_version=payload.version,
        )
    except ConcurrentEditError:
        current = access_case_record(
            request.user, case_id, CaseMember, member_id, purpose=Purpose.READ
        )
        message = _("Someone else changed this membership after you read it. Nothing was saved.")
        return Status(409, {"detail": message, "current": _member_out(current)})
    return Status(200, _member_out(updated))


@router.delete(
    "/cases/{case_id}/members/{member_id}",
    response=responses({204: None}, 403, 404, 422),
    summary="End a membership now; its history stays (coordinators only)",
    operation_id="end_case_member",
)
def end_member(request: HttpRequest, case_id: int, member_id: int) -> Status[None]:
    member = access_case_record(
        request.user, case_id, CaseMember, member_id, purpose=Purpose.UPDATE
    )
    services.case_member_end(actor=acting_user(request), member=member)
    return Status(204, None)
