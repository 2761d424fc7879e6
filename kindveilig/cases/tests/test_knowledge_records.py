"""Records that store a knowledge item keep its code and the knowledge-base version."""

import dataclasses

import pytest
from django.core.exceptions import ValidationError

from kindveilig.cases import services
from kindveilig.cases.models import ChildMaltreatmentForm
from kindveilig.knowledge import loader


@pytest.fixture
def child(family_case):
    return family_case.persons.get(role="child")


def test_record_keeps_code_and_current_version(child) -> None:
    record = services.maltreatment_form_record(
        actor=child.case.created_by, child=child, code="fysieke-verwaarlozing", status="suspected"
    )
    stored = ChildMaltreatmentForm.objects.get(pk=record.pk)
    assert stored.knowledge_code == "fysieke-verwaarlozing"
    assert stored.knowledge_version == loader.knowledge_base().version
    assert stored.knowledge_entry().label == "Fysieke verwaarlozing"


def test_unknown_code_is_refused_and_nothing_saved(child) -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.maltreatment_form_record(
            actor=child.case.created_by, child=child, code="bestaat-niet", status="suspected"
        )
    assert "code" in excinfo.value.message_dict
    assert not ChildMaltreatmentForm.objects.exists()


def test_forms_are_for_children_only(family_case) -> None:
    parent = family_case.persons.get(role="parent")
    with pytest.raises(ValidationError):
        services.maltreatment_form_record(
            actor=family_case.created_by,
            child=parent,
            code="seksueel-misbruik",
            status="suspected",
        )


def test_a_new_knowledge_version_does_not_rewrite_old_records(child, monkeypatch) -> None:
    old = services.maltreatment_form_record(
        actor=child.case.created_by,
        child=child,
        code="psychische-mishandeling",
        status="established",
    )
    current = loader.knowledge_base()
    newer = dataclasses.replace(current, version="2099.1.0")
    monkeypatch.setattr("kindveilig.knowledge.models.knowledge_base", lambda: newer)

    new = services.maltreatment_form_record(
        actor=child.case.created_by, child=child, code="seksueel-misbruik", status="suspected"
    )
    old.refresh_from_db()
    assert old.knowledge_version == current.version
    assert new.knowledge_version == "2099.1.0"


def test_case_page_shows_recorded_forms_with_label(client, child, coordinator) -> None:
    services.maltreatment_form_record(
        actor=coordinator, child=child, code="getuige-huiselijk-geweld", status="suspected"
    )
    client.force_login(coordinator)
    html = client.get(f"/dossiers/{child.case_id}/").content.decode()
    label = loader.knowledge_base().entry("maltreatment_forms", "getuige-huiselijk-geweld").label
    table = html[html.index(f'data-testid="maltreatment-forms-{child.pk}"') :].split("</table>")[0]
    assert label in table
