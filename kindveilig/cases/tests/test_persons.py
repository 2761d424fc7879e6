"""Keeping the persons of a case up to date: every field changed with history, a person removed
(history kept; refused while records concern them), and the BSN shown masked, in full only on
an explicit request that is logged as its own event."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from kindveilig.audit.models import AuditEvent
from kindveilig.cases import selectors, services
from kindveilig.cases.models import ChildMaltreatmentForm, Person, mask_bsn
from kindveilig.cases.records import ConcurrentEditError
from kindveilig.investigation import services as investigation
from kindveilig.investigation.models import LifelineEvent, Observation

BSN = "111222333"  # passes the 11-proef


@pytest.fixture
def child(family_case) -> Person:
    return family_case.persons.get(role="child")


@pytest.fixture
def parent(family_case, coordinator) -> Person:
    """Karin, with a BSN and contact details."""
    karin = family_case.persons.get(role="parent")
    return services.person_update(
        actor=coordinator,
        person=karin,
        expected_version=karin.version,
        changes={"bsn": BSN, "phone": "06-12345678", "email": "karin@example.org"},
    )


def audit(action: str, **filters) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action, **filters).order_by("id"))


# --- Services -----------------------------------------------------------------------------


def test_person_add_stores_contact_details(family_case, coordinator) -> None:
    person = services.person_add(
        actor=coordinator,
        case=family_case,
        role="network",
        given_name="Ria",
        family_name="Jansen",
        birth_date=None,
        phone=" 010-1234567 ",
        email="ria@example.org",
    )
    stored = Person.objects.get(pk=person.pk)
    assert (stored.phone, stored.email) == ("010-1234567", "ria@example.org")


def test_person_update_changes_every_field_with_history_and_an_audit_event(
    family_case, coordinator, parent
) -> None:
    changes = {
        "role": "caregiver",
        "given_name": "Karina",
        "family_name": "Proef-Smit",
        "birth_date": dt.date(1987, 2, 2),
        "sex": "female",
        "bsn": "",
        "relation": "stiefmoeder",
        "has_parental_authority": False,
        "lives_in_household": True,
        "phone": "",
        "email": "karina@example.org",
    }
    updated = services.person_update(
        actor=coordinator, person=parent, expected_version=parent.version, changes=changes
    )
    stored = Person.objects.get(pk=parent.pk)
    assert {field: getattr(stored, field) for field in changes} == changes
    assert stored.version == updated.version == parent.version + 1
    latest = stored.history.latest("history_date")
    assert (latest.history_type, latest.history_user, latest.given_name) == (
        "~",
        coordinator,
        "Karina",
    )
    event = audit("update", object_type="person", object_id=str(parent.pk))[-1]
    assert event.client_id_list() == [parent.pk]
    assert event.detail == ",".join(sorted(changes))  # the fields, never their values
    assert BSN not in event.detail


def test_person_update_with_a_stale_version_saves_nothing(family_case, coordinator, parent) -> None:
    with pytest.raises(ConcurrentEditError):
        services.person_update(
            actor=coordinator, person=parent, expected_version=1, changes={"given_name": "X"}
        )
    assert Person.objects.get(pk=parent.pk).given_name == "Karin"


def test_person_update_refuses_an_invalid_email(family_case, coordinator, parent) -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.person_update(
            actor=coordinator,
            person=parent,
            expected_version=parent.version,
            changes={"email": "geen-adres"},
        )
    assert set(excinfo.value.message_dict) == {"email"}


def test_a_child_with_forms_of_maltreatment_stays_a_child(family_case, coordinator, child) -> None:
    services.maltreatment_form_record(
        actor=coordinator, child=child, code="fysieke-mishandeling", status="suspected"
    )
    with pytest.raises(ValidationError) as excinfo:
        services.person_update(
            actor=coordinator, person=child, expected_version=1, changes={"role": "parent"}
        )
    assert set(excinfo.value.message_dict) == {"role"}
    assert Person.objects.get(pk=child.pk).role == "child"


def test_person_remove_deletes_keeps_the_history_and_logs_the_removal(
    family_case, coordinator, parent
) -> None:
    services.person_remove(actor=coordinator, person=parent)

    assert not Person.objects.filter(pk=parent.pk).exists()
    removed = Person.history.filter(id=parent.pk).latest("history_date")
    assert (removed.history_type, removed.history_user, removed.given_name) == (
        "-",
        coordinator,
        "Karin",
    )
    event = audit("delete", object_type="person")[-1]
    assert (event.object_id, event.case_id, event.client_id_list()) == (
        str(parent.pk),
        family_case.pk,
        [parent.pk],
    )
    history = selectors.case_history(case=family_case)
    assert history[0].kind == "-" and history[0].object_label == "Karin Proef"


def test_a_person_about_whom_records_exist_is_not_removed(family_case, coordinator, child) -> None:
    services.maltreatment_form_record(
        actor=coordinator, child=child, code="fysieke-mishandeling", status="suspected"
    )
    investigation.investigation_record_add(
        actor=coordinator,
        case=family_case,
        model=Observation,
        values={"person_id": child.pk, "observed_on": dt.date(2026, 1, 5), "behaviour": "Speelt"},
    )
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        services.person_remove(actor=coordinator, person=child)
    message = " ".join(excinfo.value.messages)
    assert "cannot be removed" in message
    assert "maltreatment forms" in message and "observations" in message
    assert Person.objects.filter(pk=child.pk).exists()
    assert ChildMaltreatmentForm.objects.filter(child=child).exists()  # nothing cascaded
    assert Observation.objects.filter(person=child).exists()
    assert audit("delete", object_type="person") == []


def test_records_naming_a_person_in_a_list_also_keep_them(family_case, coordinator) -> None:
    """Lifeline events and conversations name persons in a list (no foreign key)."""
    parent = family_case.persons.get(role="parent")
    investigation.investigation_record_add(
        actor=coordinator,
        case=family_case,
        model=LifelineEvent,
        values={
            "date": dt.date(2020, 1, 1),
            "kind": "soort.gebeurtenis",
            "description": "Verhuizing",
            "person_ids": [parent.pk],
        },
    )
    counts = selectors.records_about_person(person=parent)
    assert counts == {LifelineEvent: 1}
    with pytest.raises(ValidationError):
        services.person_remove(actor=coordinator, person=parent)


def test_revealing_the_bsn_returns_it_and_logs_its_own_event(
    family_case, coordinator, parent
) -> None:
    assert services.person_bsn_reveal(actor=coordinator, person=parent) == BSN
    event = audit("reveal")[-1]
    assert (event.object_type, event.object_id, event.detail) == ("person", str(parent.pk), "bsn")
    assert (event.user_id, event.case_id, event.client_id_list()) == (
        coordinator.pk,
        family_case.pk,
        [parent.pk],
    )
    assert not AuditEvent.objects.filter(detail__contains=BSN).exists()


def test_without_a_bsn_nothing_is_revealed_nor_logged(family_case, coordinator, child) -> None:
    assert services.person_bsn_reveal(actor=coordinator, person=child) == ""
    assert audit("reveal") == []


def test_the_bsn_is_masked_on_pages_and_in_the_history(family_case, coordinator, parent) -> None:
    assert parent.bsn_masked == "•••••2333" == mask_bsn(BSN)
    assert mask_bsn("") == ""
    bsn_changes = [
        change
        for entry in selectors.case_history(case=family_case)
        for change in entry.changes
        if change.field == "BSN"
    ]
    assert [(change.old, change.new) for change in bsn_changes] == [("", "•••••2333")]
