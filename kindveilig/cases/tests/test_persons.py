"""Keeping the persons of a case up to date: every field changed with history, a person removed
(history kept; refused while records concern them), and the BSN shown masked, in full only on
an explicit request that is logged as its own event."""

import datetime as dt

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from kindveilig.accounts.services import api_token_create
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


# --- Pages --------------------------------------------------------------------------------


def english(client) -> None:
    """Pages in English (the language switch's cookie): new texts are translated later."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def person_data(person: Person, **changes) -> dict:
    data = {
        "role": person.role,
        "given_name": person.given_name,
        "family_name": person.family_name,
        "birth_date": person.birth_date.isoformat() if person.birth_date else "",
        "sex": person.sex,
        "bsn": "",
        "relation": person.relation,
        "has_parental_authority": "unknown",
        "lives_in_household": "unknown",
        "phone": person.phone,
        "email": person.email,
        "version": str(person.version),
    }
    return {**data, **changes}


def test_the_case_page_shows_every_field_of_a_person_and_the_bsn_masked(
    client, family_case, coordinator, parent
) -> None:
    services.person_update(
        actor=coordinator,
        person=parent,
        expected_version=parent.version,
        changes={"sex": "female", "has_parental_authority": True, "lives_in_household": False},
    )
    client.force_login(coordinator)
    english(client)
    html = client.get(reverse("cases:case_detail", args=[family_case.pk])).content.decode()
    row = html[html.index(f'data-testid="person-{parent.pk}"') :].split("</tr>")[0]
    for shown in ("Karin Proef", "01-01-1988", "06-12345678", "karin@example.org", "•••••2333"):
        assert shown in row
    assert BSN not in html
    assert reverse("cases:person_bsn", args=[family_case.pk, parent.pk]) in row
    assert reverse("cases:person_edit", args=[family_case.pk, parent.pk]) in row
    cells = [cell.split(">", 1)[1].split("</td>")[0].strip() for cell in row.split("<td")[1:]]
    assert cells[3:6] == ["Female", "yes", "no"]  # sex, parental authority, household


def test_show_bsn_answers_with_the_number_once_and_logs_it(
    client, family_case, coordinator, parent
) -> None:
    client.force_login(coordinator)
    url = reverse("cases:person_bsn", args=[family_case.pk, parent.pk])
    assert BSN not in url
    assert client.get(url).status_code == 405  # a GET never shows it

    fragment = client.post(url, headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert BSN in fragment.content.decode()
    assert "<html" not in fragment.content.decode()  # htmx: the number in place of the mask
    assert fragment["Cache-Control"] == "no-store"
    page = client.post(url)
    assert BSN in page.content.decode() and "<html" in page.content.decode()
    assert len(audit("reveal", object_id=str(parent.pk))) == 2


def test_a_non_member_cannot_reveal_a_bsn(client, family_case, outsider, parent) -> None:
    client.force_login(outsider)
    response = client.post(reverse("cases:person_bsn", args=[family_case.pk, parent.pk]))
    assert response.status_code == 404
    assert BSN not in response.content.decode()
    assert audit("reveal") == []
    denied = audit("access_denied", user_id=outsider.pk)[-1]
    assert (denied.object_type, denied.object_id) == ("person", str(parent.pk))


def test_the_edit_page_keeps_the_bsn_out_of_the_page(
    client, family_case, coordinator, parent
) -> None:
    client.force_login(coordinator)
    response = client.get(reverse("cases:person_edit", args=[family_case.pk, parent.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "•••••2333" in html and BSN not in html
    assert 'value="06-12345678"' in html and 'name="remove_bsn"' in html


def test_editing_a_person_saves_every_field_and_keeps_the_bsn(
    client, family_case, coordinator, parent
) -> None:
    client.force_login(coordinator)
    response = client.post(
        reverse("cases:person_edit", args=[family_case.pk, parent.pk]),
        person_data(
            parent,
            given_name="Karina",
            sex="female",
            relation="moeder",
            has_parental_authority="true",
            lives_in_household="false",
            phone="010-7654321",
        ),
    )
    assert response["Location"] == reverse("cases:case_detail", args=[family_case.pk])
    stored = Person.objects.get(pk=parent.pk)
    assert (
        stored.given_name,
        stored.sex,
        stored.relation,
        stored.has_parental_authority,
        stored.lives_in_household,
        stored.phone,
        stored.bsn,
    ) == ("Karina", "female", "moeder", True, False, "010-7654321", BSN)


def test_the_bsn_is_replaced_or_removed_only_on_request(
    client, family_case, coordinator, parent
) -> None:
    client.force_login(coordinator)
    url = reverse("cases:person_edit", args=[family_case.pk, parent.pk])
    client.post(url, person_data(parent, bsn="123 456 782"))
    parent.refresh_from_db()
    assert parent.bsn == "123456782"
    client.post(url, person_data(parent, remove_bsn="on"))
    parent.refresh_from_db()
    assert parent.bsn == ""


def test_wrong_input_on_the_edit_page_is_explained_and_kept(
    client, family_case, coordinator, parent
) -> None:
    client.force_login(coordinator)
    response = client.post(
        reverse("cases:person_edit", args=[family_case.pk, parent.pk]),
        person_data(parent, bsn="123456789", given_name="Karina"),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["bsn"]
    assert 'value="Karina"' in response.content.decode()
    assert Person.objects.get(pk=parent.pk).given_name == "Karin"


def test_a_stale_edit_shows_the_newer_version_and_keeps_the_input(
    client, family_case, coordinator, parent
) -> None:
    stale = person_data(parent, given_name="Mijn invoer")
    services.person_update(
        actor=coordinator,
        person=parent,
        expected_version=parent.version,
        changes={"given_name": "Ander"},
    )
    client.force_login(coordinator)
    response = client.post(reverse("cases:person_edit", args=[family_case.pk, parent.pk]), stale)
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["conflict"].given_name == "Ander"
    assert 'value="Mijn invoer"' in html and "Ander Proef" in html
    assert f'name="version" value="{parent.version + 1}"' in html
    assert Person.objects.get(pk=parent.pk).given_name == "Ander"


def test_removing_a_person_asks_first_then_removes(
    client, family_case, coordinator, parent
) -> None:
    client.force_login(coordinator)
    url = reverse("cases:person_remove", args=[family_case.pk, parent.pk])
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert 'data-testid="remove-form"' in confirm.content.decode()
    assert Person.objects.filter(pk=parent.pk).exists()

    response = client.post(url)
    assert response["Location"] == reverse("cases:case_detail", args=[family_case.pk])
    assert not Person.objects.filter(pk=parent.pk).exists()
    assert audit("delete", object_type="person")[-1].user_id == coordinator.pk


def test_the_remove_page_says_which_records_keep_a_child(
    client, family_case, coordinator, child
) -> None:
    services.maltreatment_form_record(
        actor=coordinator, child=child, code="seksueel-misbruik", status="suspected"
    )
    client.force_login(coordinator)
    english(client)
    url = reverse("cases:person_remove", args=[family_case.pk, child.pk])
    html = client.get(url).content.decode()
    assert 'data-testid="remove-blocked"' in html and "Maltreatment forms: 1" in html
    assert 'data-testid="remove-form"' not in html

    response = client.post(url)  # posted anyway (an old tab): refused, nothing removed
    assert response["Location"] == url
    assert Person.objects.filter(pk=child.pk).exists()


@pytest.mark.parametrize("name", ["person_edit", "person_remove"])
def test_non_members_get_404_on_the_person_pages(
    client, family_case, outsider, parent, name
) -> None:
    client.force_login(outsider)
    url = reverse(f"cases:{name}", args=[family_case.pk, parent.pk])
    for response in (client.get(url), client.post(url, person_data(parent, given_name="X"))):
        assert response.status_code == 404
        assert "Karin" not in response.content.decode()
    assert Person.objects.get(pk=parent.pk).given_name == "Karin"


def test_a_person_of_another_case_is_not_reached_through_this_case(
    client, family_case, coordinator, parent
) -> None:
    other = services.case_create(actor=coordinator, name="familie Ander")
    client.force_login(coordinator)
    response = client.get(reverse("cases:person_edit", args=[other.pk, parent.pk]))
    assert response.status_code == 404


# --- API ----------------------------------------------------------------------------------


@pytest.fixture
def api(client):
    def call(method: str, path: str, user, json=None):
        headers = {"Authorization": f"Bearer {api_token_create(user=user)}"}
        return getattr(client, method)(
            f"/api/v1{path}", data=json, content_type="application/json", headers=headers
        )

    return call


def test_api_shows_every_field_with_the_bsn_masked(api, family_case, coordinator, parent) -> None:
    body = api("get", f"/cases/{family_case.pk}", coordinator).json()
    karin = next(person for person in body["persons"] if person["id"] == parent.pk)
    assert karin["bsn_masked"] == "•••••2333"
    assert (karin["phone"], karin["email"], karin["has_parental_authority"]) == (
        "06-12345678",
        "karin@example.org",
        None,
    )
    assert BSN not in str(body)


def test_api_adds_and_changes_every_field_of_a_person(api, family_case, coordinator) -> None:
    created = api(
        "post",
        f"/cases/{family_case.pk}/persons",
        coordinator,
        {
            "role": "parent",
            "given_name": "Piet",
            "family_name": "Proef",
            "birth_date": "1985-03-03",
            "relation": "vader",
            "has_parental_authority": True,
            "lives_in_household": False,
            "phone": "06-1",
            "email": "piet@example.org",
        },
    )
    assert created.status_code == 201
    piet = Person.objects.get(pk=created.json()["id"])
    assert (piet.relation, piet.has_parental_authority, piet.lives_in_household, piet.email) == (
        "vader",
        True,
        False,
        "piet@example.org",
    )
    # null is a value of its own for these two ("not known"); it is not for the others
    changed = api(
        "patch",
        f"/cases/{family_case.pk}/persons/{piet.pk}",
        coordinator,
        {"version": 1, "has_parental_authority": None, "phone": "06-2"},
    )
    assert changed.status_code == 200
    assert (changed.json()["has_parental_authority"], changed.json()["phone"]) == (None, "06-2")
    refused = api(
        "patch",
        f"/cases/{family_case.pk}/persons/{piet.pk}",
        coordinator,
        {"version": 2, "phone": None},
    )
    assert refused.status_code == 422


def test_api_reveals_the_bsn_on_request_and_logs_it(
    api, family_case, coordinator, outsider, parent
) -> None:
    path = f"/cases/{family_case.pk}/persons/{parent.pk}/bsn"
    response = api("post", path, coordinator)
    assert (response.status_code, response.json()) == (200, {"bsn": BSN})
    assert len(audit("reveal", user_id=coordinator.pk)) == 1
    denied = api("post", path, outsider)
    assert denied.status_code == 404 and BSN not in denied.content.decode()
    assert audit("reveal", user_id=outsider.pk) == []


def test_api_removes_a_person_or_says_why_not(api, family_case, coordinator, child, parent) -> None:
    services.maltreatment_form_record(
        actor=coordinator, child=child, code="fysieke-mishandeling", status="suspected"
    )
    refused = api("delete", f"/cases/{family_case.pk}/persons/{child.pk}", coordinator)
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["field"] == "__all__"
    assert Person.objects.filter(pk=child.pk).exists()

    removed = api("delete", f"/cases/{family_case.pk}/persons/{parent.pk}", coordinator)
    assert removed.status_code == 204
    assert not Person.objects.filter(pk=parent.pk).exists()
    assert audit("delete", object_type="person")[-1].object_id == str(parent.pk)


def test_api_non_members_cannot_remove_a_person(api, family_case, outsider, parent) -> None:
    response = api("delete", f"/cases/{family_case.pk}/persons/{parent.pk}", outsider)
    assert response.status_code == 404
    assert Person.objects.filter(pk=parent.pk).exists()
