"""Writes for the investigation. Each record is created, changed (optimistic concurrency) and
removed through these services, which check it against its case (the persons it names belong
to the case; knowledge codes exist), keep its history and write its audit event.

Removal deletes the record; its history stays (simple-history keeps the deleted version) and
the audit log records the deletion.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kindveilig.accounts.models import User
from kindveilig.audit import events
from kindveilig.cases.models import Case, CaseRecord, PersonRole
from kindveilig.cases.records import save_changes, save_new
from kindveilig.investigation.models import (
    Conversation,
    ConversationStatus,
    ConversationWith,
    FrameworkFinding,
    LifelineEvent,
    Observation,
    QuestionnaireAdministration,
    QuestionStatus,
    ResearchQuestion,
)
from kindveilig.knowledge.loader import knowledge_base
from kindveilig.knowledge.schema import FrameworkDimension, Questionnaire

InvestigationRecord = TypeVar("InvestigationRecord", bound=CaseRecord)
Errors = dict[str, list[str]]


def _persons_of(case: Case, ids: Iterable[int], *, role: str | None = None) -> bool:
    wanted = {int(person_id) for person_id in ids}
    found = case.persons.filter(pk__in=wanted)
    if role is not None:
        found = found.filter(role=role)
    return found.count() == len(wanted)


def _check_research_question(record: ResearchQuestion, errors: Errors) -> None:
    kb = knowledge_base()
    if record.standard_code and record.standard_code not in kb["research_questions"]:
        errors["standard_code"] = [_("This is not one of the standard research questions.")]
    if record.child_id and not _persons_of(record.case, [record.child_id], role=PersonRole.CHILD):
        errors["child"] = [_("Choose a child of this case.")]
    unknown = set(record.means) - kb["research_means"].codes()
    if unknown:
        errors["means"] = [_("Choose the means from the list.")]
    if not record.question.strip():
        errors["question"] = [_("Write the question down.")]
    if record.status == QuestionStatus.ANSWERED:
        if not record.answer.strip():
            errors["answer"] = [_("An answered question needs its answer.")]
        if not record.substantiation.strip():
            errors["substantiation"] = [
                _("An answer needs its substantiation: on what does it rest?")
            ]


def _check_lifeline_event(record: LifelineEvent, errors: Errors) -> None:
    if not _persons_of(record.case, record.person_ids):
        errors["person_ids"] = [_("Choose persons of this case.")]
    if record.end_date and record.end_date < record.date:
        errors["end_date"] = [_("The end of a period lies after its start.")]


def _check_observation(record: Observation, errors: Errors) -> None:
    if not _persons_of(record.case, [record.person_id]):
        errors["person"] = [_("Choose a person of this case.")]
    if record.dimension and record.dimension not in knowledge_base()["framework_dimensions"]:
        errors["dimension"] = [_("Choose a dimension of the Framework.")]
    if not (record.antecedent.strip() or record.behaviour.strip() or record.consequence.strip()):
        errors["behaviour"] = [_("Describe at least the behaviour you saw.")]


def _check_questionnaire(record: QuestionnaireAdministration, errors: Errors) -> None:
    questionnaires = knowledge_base()["questionnaires"]
    if record.instrument not in questionnaires:
        errors["instrument"] = [_("Choose a questionnaire from the list.")]
    elif record.informant not in questionnaires.get_as(record.instrument, Questionnaire).informants:
        errors["informant"] = [_("This questionnaire is not filled in by this informant.")]
    if not _persons_of(record.case, [record.child_id], role=PersonRole.CHILD):
        errors["child"] = [_("Choose a child of this case.")]


def _check_finding(record: FrameworkFinding, errors: Errors) -> None:
    dimensions = knowledge_base()["framework_dimensions"]
    if record.dimension not in dimensions:
        errors["dimension"] = [_("Choose a dimension of the Framework.")]
    elif record.item_code:
        entry = dimensions.get_as(record.dimension, FrameworkDimension)
        items = entry.concern_items if record.kind == "concern" else entry.strength_items
        if record.item_code not in {item.code for item in items or []}:
            errors["item_code"] = [_("This item does not belong to the dimension and kind chosen.")]
    if record.person_id and not _persons_of(record.case, [record.person_id]):
        errors["person"] = [_("Choose a person of this case.")]
    if not record.text.strip() and not record.item_code:
        errors["text"] = [_("Choose an item or describe the finding.")]


def _check_conversation(record: Conversation, errors: Errors) -> None:
    role = PersonRole.CHILD if record.with_whom == ConversationWith.CHILD else None
    if not record.person_ids or not _persons_of(record.case, record.person_ids, role=role):
        errors["person_ids"] = [_("Choose who the conversation is with.")]
    if record.status == ConversationStatus.NOT_HELD and not record.reason_not_held.strip():
        errors["reason_not_held"] = [_("Write down why this conversation is not held.")]
    unknown = set(record.change_talk) - change_talk_kinds()
    if unknown:
        errors["change_talk"] = [_("Choose the kinds of change talk from the list.")]


def change_talk_kinds() -> set[str]:
    """The four kinds of change talk (§5.4, R7), as the knowledge base codes them."""
    items = knowledge_base()["change_prognosis_items"].codes()
    return {code for code in items if code.startswith("verandertaal.")}


CHECKS: dict[type[CaseRecord], Callable[[Any, Errors], None]] = {
    ResearchQuestion: _check_research_question,
    LifelineEvent: _check_lifeline_event,
    Observation: _check_observation,
    QuestionnaireAdministration: _check_questionnaire,
    FrameworkFinding: _check_finding,
    Conversation: _check_conversation,
}


def _validate(record: CaseRecord) -> None:
    """Every problem at once (per field), the model's own and the case's."""
    errors: Errors = {}
    try:
        record.full_clean(exclude=["case"])
    except ValidationError as exc:
        errors.update({field: list(messages) for field, messages in exc.message_dict.items()})
    CHECKS[type(record)](record, errors)
    if errors:
        raise ValidationError(errors)


def _editable(model: type[CaseRecord]) -> set[str]:
    hidden = {"id", "case", "version"}
    return {
        field.attname if field.is_relation else field.name
        for field in model._meta.concrete_fields
        if field.name not in hidden
    }


def _cleaned(model: type[CaseRecord], values: dict[str, Any]) -> dict[str, Any]:
    allowed = _editable(model)
    unknown = set(values) - allowed
    if unknown:
        raise ValidationError({name: [_("This field does not exist.")] for name in unknown})
    return {
        name: value.strip() if isinstance(value, str) else value for name, value in values.items()
    }


@transaction.atomic
def investigation_record_add(
    *, actor: User, case: Case, model: type[InvestigationRecord], values: dict[str, Any]
) -> InvestigationRecord:
    """Add a record of the investigation to ``case``; ValidationError (per field) otherwise."""
    record = model(case=case, **_cleaned(model, values))
    _validate(record)
    return save_new(actor, record)


@transaction.atomic
def investigation_record_change(
    *,
    actor: User,
    record: InvestigationRecord,
    expected_version: int,
    values: dict[str, Any],
) -> InvestigationRecord:
    """Change a record; refused with ConcurrentEditError when someone saved it since."""
    changes = _cleaned(type(record), values)
    probe = type(record)._default_manager.get(pk=record.pk)
    for name, value in changes.items():
        setattr(probe, name, value)
    _validate(probe)
    return save_changes(
        actor=actor, instance=record, expected_version=expected_version, changes=changes
    )


@transaction.atomic
def investigation_record_remove(*, actor: User, record: CaseRecord) -> None:
    """Remove a record; its history stays and the removal is logged."""
    subject = record.audit_subject()
    record._history_user = actor
    record.delete()
    events.case_data_deleted(actor, subject)


def research_question_start(
    *, actor: User, case: Case, standard_code: str, child_id: int | None
) -> ResearchQuestion:
    """Make the record of a standard research question (for a child, where it concerns one),
    with the question as the knowledge base words it."""
    kb = knowledge_base()["research_questions"]
    if standard_code not in kb:
        raise ValidationError(
            {"standard_code": [_("This is not one of the standard research questions.")]}
        )
    existing = ResearchQuestion.objects.filter(
        case=case, standard_code=standard_code, child_id=child_id
    ).first()
    if existing is not None:
        return existing
    question = str(getattr(kb.get(standard_code), "question", "") or kb.get(standard_code).label)
    return investigation_record_add(
        actor=actor,
        case=case,
        model=ResearchQuestion,
        values={"standard_code": standard_code, "child_id": child_id, "question": question},
    )
