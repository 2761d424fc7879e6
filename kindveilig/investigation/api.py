"""The investigation's endpoints of API v1: for each kind of record (research questions,
lifeline events, observations, questionnaires, Framework findings, conversations) a list, add,
change (optimistic concurrency) and remove, under /cases/{case_id}/investigation/<kind>.

The shapes are made from the models, so the API and the pages accept the same fields; the
services check them against the case and the knowledge base in both.
"""

from typing import Annotated, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.orm import create_schema
from ninja.responses import Status
from pydantic import Field, StringConstraints

from kindveilig.accounts.http import acting_user
from kindveilig.cases.access import Purpose, access_case, access_case_record
from kindveilig.cases.models import CaseRecord
from kindveilig.cases.records import ConcurrentEditError
from kindveilig.cases.schemas import Patch
from kindveilig.core.api import responses
from kindveilig.investigation import services
from kindveilig.investigation.models import (
    Conversation,
    FrameworkFinding,
    LifelineEvent,
    Observation,
    QuestionnaireAdministration,
    ResearchQuestion,
)

router = Router(tags=["investigation"])

# URL segment and operation-id noun per kind of record.
KINDS: list[tuple[str, str, type[CaseRecord]]] = [
    ("research-questions", "research_question", ResearchQuestion),
    ("lifeline-events", "lifeline_event", LifelineEvent),
    ("observations", "observation", Observation),
    ("questionnaires", "questionnaire", QuestionnaireAdministration),
    ("framework-findings", "framework_finding", FrameworkFinding),
    ("conversations", "conversation", Conversation),
]


# Fields the schemas type by hand: list fields (JSON in the database) with their items' types
# and limits, and relations to a person as ``<name>_id`` with the range of an id.
CODE = Annotated[str, StringConstraints(min_length=1, max_length=60)]
ID = Annotated[int, Field(ge=1, le=2**31)]
LIST_ITEMS: dict[str, Any] = {
    "means": CODE,
    "steps_covered": CODE,
    "change_talk": CODE,
    "person_ids": ID,
}


def _by_hand(model: type[CaseRecord]) -> list[Any]:
    return [
        field
        for field in model._meta.concrete_fields
        if field.name in LIST_ITEMS or (field.is_relation and field.name != "case")
    ]


def _editable(model: type[CaseRecord]) -> list[str]:
    hand = {field.name for field in _by_hand(model)}
    return [
        field.name
        for field in model._meta.concrete_fields
        if field.name not in {"id", "case", "version", *hand}
    ]


def _typed_fields(model: type[CaseRecord], *, purpose: str) -> list[tuple[str, Any, Any]]:
    """``purpose``: "out" (every field present), "add" (optional ones may be left out) or
    "change" (every field may be left out)."""
    fields = []
    for field in _by_hand(model):
        if field.name in LIST_ITEMS:
            kind: Any = list.__class_getitem__(LIST_ITEMS[field.name])
            default: Any = {"out": ..., "add": [], "change": None}[purpose]
            fields.append((field.name, kind, Field(default, max_length=50)))
            continue
        kind = ID | None if field.null else ID
        required = purpose == "out" or (purpose == "add" and not field.null)
        fields.append((field.attname, kind, Field(... if required else None)))
    return fields


def _values(model: type[CaseRecord], payload: Schema) -> dict[str, Any]:
    """Payload fields as service values (relations by their ``<name>_id``)."""
    return payload.model_dump(exclude_unset=True, exclude={"version"})


def _register(segment: str, noun: str, model: type[CaseRecord]) -> None:
    label = str(model._meta.verbose_name)
    hand = [field.name for field in _by_hand(model)]
    out = create_schema(
        model,
        name=f"{model.__name__}Out",
        exclude=["case", *hand],
        custom_fields=_typed_fields(model, purpose="out"),
    )
    add_in = create_schema(
        model,
        name=f"{model.__name__}In",
        fields=_editable(model),
        base_class=Patch,  # a field that is sent is never null: leave it out for its default
        custom_fields=_typed_fields(model, purpose="add"),
    )
    change_in = create_schema(
        model,
        name=f"{model.__name__}Patch",
        fields=_editable(model),
        optional_fields=_editable(model),
        base_class=Patch,
        custom_fields=[
            ("version", int, Field(ge=1, le=2**31)),
            *_typed_fields(model, purpose="change"),
        ],
    )
    conflict = type(
        f"{model.__name__}Conflict", (Schema,), {"__annotations__": {"detail": str, "current": out}}
    )
    collection = f"/cases/{{case_id}}/investigation/{segment}"
    item = f"{collection}/{{record_id}}"

    @router.get(
        collection,
        response=responses({200: list[out]}, 404, 422),  # type: ignore[valid-type]
        summary=f"List: {label}",
        operation_id=f"list_{noun}s",
    )
    def list_records(request: HttpRequest, case_id: int) -> list[CaseRecord]:
        case = access_case(request.user, case_id, purpose=Purpose.READ)
        return list(model._default_manager.filter(case=case))

    @router.post(
        collection,
        response=responses({201: out}, 403, 404, 422),
        summary=f"Add: {label}",
        operation_id=f"add_{noun}",
    )
    def add_record(request: HttpRequest, case_id: int, payload: add_in) -> Status[Any]:  # type: ignore[valid-type]
        case = access_case(request.user, case_id, purpose=Purpose.UPDATE)
        record = services.investigation_record_add(
            actor=acting_user(request), case=case, model=model, values=_values(model, payload)
        )
        return Status(201, record)

    @router.patch(
        item,
        response=responses({200: out, 409: conflict}, 403, 404, 422),
        summary=f"Change: {label} (send the version you read)",
        operation_id=f"change_{noun}",
    )
    def change_record(
        request: HttpRequest,
        case_id: int,
        record_id: int,
        payload: change_in,  # type: ignore[valid-type]
    ) -> Status[Any]:
        record = access_case_record(request.user, case_id, model, record_id, purpose=Purpose.UPDATE)
        try:
            changed = services.investigation_record_change(
                actor=acting_user(request),
                record=record,
                expected_version=payload.version,  # type: ignore[attr-defined]
                values=_values(model, payload),
            )
        except ConcurrentEditError:
            current = access_case_record(
                request.user, case_id, model, record_id, purpose=Purpose.READ
            )
            message = _("Someone else changed this after you read it. Nothing was saved.")
            return Status(409, {"detail": message, "current": current})
        return Status(200, changed)

    @router.delete(
        item,
        response=responses({204: None}, 403, 404, 422),
        summary=f"Remove: {label} (its history stays)",
        operation_id=f"remove_{noun}",
    )
    def remove_record(request: HttpRequest, case_id: int, record_id: int) -> Status[None]:
        record = access_case_record(request.user, case_id, model, record_id, purpose=Purpose.UPDATE)
        services.investigation_record_remove(actor=acting_user(request), record=record)
        return Status(204, None)

    # ninja names the URL after the function; give each kind its own names.
    for function, verb in (
        (list_records, "list"),
        (add_record, "add"),
        (change_record, "change"),
        (remove_record, "remove"),
    ):
        function.__name__ = f"{verb}_{noun}"


for _segment, _noun, _model in KINDS:
    _register(_segment, _noun, _model)
