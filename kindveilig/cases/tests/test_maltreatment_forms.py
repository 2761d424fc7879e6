"""Forms of maltreatment per child: recorded, changed (optimistic concurrency, history) and
ended with a date and a reason; an ended form stays in the case and may be recorded anew."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from kindveilig.accounts.services import api_token_create
from kindveilig.audit.models import AuditEvent
from kindveilig.cases import services
from kindveilig.cases.models import ChildMaltreatmentForm, Person
from kindveilig.cases.records import ConcurrentEditError
from kindveilig.knowledge import loader


@pytest.fixture
def child(family_case) -> Person:
    return family_case.persons.get(role="child")


@pytest.fixture
def record(child, coordinator) -> ChildMaltreatmentForm:
    return services.maltreatment_form_record(
        actor=coordinator,
        child=child,
        code="fysieke-mishandeling",
        status="suspected",
        onset="sinds de zomer",
        frequency="wekelijks",
        severity="blauwe plekken",
        source="mentor op school",
    )


def test_record_stores_every_detail_and_logs_its_creation(record, child, coordinator) -> None:
    stored = ChildMaltreatmentForm.objects.get(pk=record.pk)
    assert (
        stored.case_id,
        stored.child_id,
        stored.knowledge_code,
        stored.status,
        stored.onset,
        stored.frequency,
        stored.severity,
        stored.source,
        stored.ended_on,
    ) == (
        child.case_id,
        child.pk,
        "fysieke-mishandeling",
        "suspected",
        "sinds de zomer",
        "wekelijks",
        "blauwe plekken",
        "mentor op school",
        None,
    )
    event = AuditEvent.objects.get(action="create", object_type="maltreatment_form")
    assert (event.object_id, event.client_id_list()) == (str(record.pk), [child.pk])


def test_the_same_current_form_is_recorded_once_per_child(record, child, coordinator) -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.maltreatment_form_record(
            actor=coordinator, child=child, code="fysieke-mishandeling", status="established"
        )
    assert set(excinfo.value.message_dict) == {"code"}
    assert ChildMaltreatmentForm.objects.count() == 1


def test_wrong_input_is_reported_per_field_and_nothing_saved(child, coordinator) -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.maltreatment_form_record(
            actor=coordinator, child=child, code="bestaat-niet", status="vermoedelijk"
        )
    assert set(excinfo.value.message_dict) == {"code", "status"}
    assert not ChildMaltreatmentForm.objects.exists()


def test_change_updates_the_details_with_history(record, coordinator) -> None:
    changed = services.maltreatment_form_change(
        actor=coordinator,
        record=record,
        expected_version=1,
        changes={"status": "established", "severity": "letsel, ziekenhuisopname", "id": 99},
    )
    stored = ChildMaltreatmentForm.objects.get(pk=record.pk)
    assert (stored.status, stored.severity, stored.version, stored.pk) == (
        "established",
        "letsel, ziekenhuisopname",
        2,
        record.pk,
    )
    assert changed.version == 2
    assert stored.history.latest("history_date").history_user == coordinator
    event = AuditEvent.objects.filter(action="update", object_type="maltreatment_form").get()
    assert event.detail == "severity,status"


def test_a_changed_code_takes_the_current_knowledge_version(record, coordinator) -> None:
    ChildMaltreatmentForm.objects.filter(pk=record.pk).update(knowledge_version="2020.1.0")
    record.refresh_from_db()
    services.maltreatment_form_change(
        actor=coordinator,
        record=record,
        expected_version=1,
        changes={"code": "fysieke-verwaarlozing"},
    )
    stored = ChildMaltreatmentForm.objects.get(pk=record.pk)
    assert (stored.knowledge_code, stored.knowledge_version) == (
        "fysieke-verwaarlozing",
        loader.knowledge_base().version,
    )


def test_change_to_an_unknown_code_or_a_stale_version_saves_nothing(record, coordinator) -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.maltreatment_form_change(
            actor=coordinator, record=record, expected_version=1, changes={"code": "onzin"}
        )
    assert set(excinfo.value.message_dict) == {"code"}
    services.maltreatment_form_change(
        actor=coordinator, record=record, expected_version=1, changes={"frequency": "dagelijks"}
    )
    with pytest.raises(ConcurrentEditError) as conflict:
        services.maltreatment_form_change(
            actor=coordinator, record=record, expected_version=1, changes={"frequency": "nooit"}
        )
    assert conflict.value.current.frequency == "dagelijks"
    stored = ChildMaltreatmentForm.objects.get(pk=record.pk)
    assert (stored.knowledge_code, stored.frequency) == ("fysieke-mishandeling", "dagelijks")


def test_end_keeps_the_form_with_its_date_and_reason(record, coordinator) -> None:
    ended = services.maltreatment_form_end(
        actor=coordinator,
        record=record,
        ended_on=dt.date(2026, 1, 10),
        reason="  Vermoeden niet bevestigd na onderzoek. ",
    )
    stored = ChildMaltreatmentForm.objects.get(pk=record.pk)
    assert (stored.ended_on, stored.end_reason, stored.version) == (
        dt.date(2026, 1, 10),
        "Vermoeden niet bevestigd na onderzoek.",
        2,
    )
    assert not ended.is_current
    event = AuditEvent.objects.filter(action="update", object_type="maltreatment_form").get()
    assert event.detail == "end_reason,ended_on"
    assert stored.history.latest("history_date").history_user == coordinator


def test_end_defaults_to_today_and_needs_a_reason(record, coordinator) -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.maltreatment_form_end(
            actor=coordinator,
            record=record,
            reason=" ",
            ended_on=timezone.localdate() + dt.timedelta(days=1),
        )
    assert set(excinfo.value.message_dict) == {"reason", "ended_on"}
    assert ChildMaltreatmentForm.objects.get(pk=record.pk).ended_on is None

    services.maltreatment_form_end(actor=coordinator, record=record, reason="Gestopt.")
    assert ChildMaltreatmentForm.objects.get(pk=record.pk).ended_on == timezone.localdate()


def test_an_ended_form_cannot_end_again_but_may_be_recorded_anew(
    record, child, coordinator
) -> None:
    services.maltreatment_form_end(actor=coordinator, record=record, reason="Gestopt.")
    with pytest.raises(ValidationError):
        services.maltreatment_form_end(actor=coordinator, record=record, reason="Nogmaals.")

    again = services.maltreatment_form_record(
        actor=coordinator, child=child, code="fysieke-mishandeling", status="established"
    )
    assert ChildMaltreatmentForm.objects.filter(child=child).count() == 2
    assert again.is_current


# --- Pages --------------------------------------------------------------------------------


def form_data(**changes) -> dict:
    data = {
        "code": "psychische-verwaarlozing",
        "status": "established",
        "onset": "sinds 2024",
        "frequency": "dagelijks",
        "severity": "geen aandacht, geen troost",
        "duration": "twee jaar",
        "source": "juf",
    }
    return {**data, **changes}


def forms_table(html: str, child: Person) -> str:
    return html[html.index(f'data-testid="maltreatment-forms-{child.pk}"') :].split("</table>")[0]


def test_the_case_page_lists_the_forms_per_child_linked_to_the_knowledge_base(
    client, family_case, record, child, coordinator
) -> None:
    client.force_login(coordinator)
    html = client.get(reverse("cases:case_detail", args=[family_case.pk])).content.decode()
    table = forms_table(html, child)
    entry = reverse("knowledge:entry", args=["maltreatment_forms", "fysieke-mishandeling"])
    assert f'href="{entry}"' in table
    for shown in ("sinds de zomer", "wekelijks", "blauwe plekken", "mentor op school"):
        assert shown in table
    assert reverse("cases:maltreatment_form_edit", args=[family_case.pk, record.pk]) in table
    assert reverse("cases:maltreatment_form_end", args=[family_case.pk, record.pk]) in table
    add = reverse("cases:maltreatment_form_add", args=[family_case.pk, child.pk])
    assert add in html


def test_an_ended_form_shows_on_the_case_page_but_not_at_a_glance(
    client, family_case, record, child, coordinator
) -> None:
    services.maltreatment_form_end(actor=coordinator, record=record, reason="Gestopt na hulp.")
    client.force_login(coordinator)
    response = client.get(reverse("cases:case_detail", args=[family_case.pk]))
    html = response.content.decode()
    assert "Gestopt na hulp." in forms_table(html, child)
    glance = html[html.index('data-testid="glance"') :].split("</ul>")[0]
    assert "kv-tag" not in glance
    assert reverse("cases:maltreatment_form_end", args=[family_case.pk, record.pk]) not in html


def test_recording_a_form_on_its_page(client, family_case, child, coordinator) -> None:
    client.force_login(coordinator)
    url = reverse("cases:maltreatment_form_add", args=[family_case.pk, child.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, form_data())
    assert response["Location"] == reverse("cases:case_detail", args=[family_case.pk])
    stored = ChildMaltreatmentForm.objects.get(child=child)
    assert (stored.knowledge_code, stored.status, stored.source) == (
        "psychische-verwaarlozing",
        "established",
        "juf",
    )
    assert stored.history.get().history_user == coordinator


def test_recording_for_a_parent_or_twice_is_explained_on_the_form(
    client, family_case, record, child, coordinator
) -> None:
    client.force_login(coordinator)
    twice = client.post(
        reverse("cases:maltreatment_form_add", args=[family_case.pk, child.pk]),
        form_data(code="fysieke-mishandeling"),
    )
    assert twice.status_code == 200 and twice.context["form"].errors["code"]
    parent = family_case.persons.get(role="parent")
    for_parent = client.post(
        reverse("cases:maltreatment_form_add", args=[family_case.pk, parent.pk]), form_data()
    )
    assert for_parent.context["form"].non_field_errors()
    assert ChildMaltreatmentForm.objects.count() == 1


def test_changing_a_form_on_its_page(client, family_case, record, coordinator) -> None:
    client.force_login(coordinator)
    url = reverse("cases:maltreatment_form_edit", args=[family_case.pk, record.pk])
    page = client.get(url)
    assert page.context["form"].initial["code"] == "fysieke-mishandeling"
    response = client.post(url, form_data(code="fysieke-mishandeling", version="1"))
    assert response["Location"] == reverse("cases:case_detail", args=[family_case.pk])
    stored = ChildMaltreatmentForm.objects.get(pk=record.pk)
    assert (stored.status, stored.frequency, stored.version) == ("established", "dagelijks", 2)


def test_a_stale_change_shows_the_newer_version_and_keeps_the_input(
    client, family_case, record, coordinator
) -> None:
    services.maltreatment_form_change(
        actor=coordinator, record=record, expected_version=1, changes={"source": "huisarts"}
    )
    client.force_login(coordinator)
    response = client.post(
        reverse("cases:maltreatment_form_edit", args=[family_case.pk, record.pk]),
        form_data(code="fysieke-mishandeling", source="mijn bron", version="1"),
    )
    html = response.content.decode()
    assert response.status_code == 200 and response.context["conflict"].source == "huisarts"
    assert 'value="mijn bron"' in html and 'name="version" value="2"' in html
    assert ChildMaltreatmentForm.objects.get(pk=record.pk).source == "huisarts"


def test_ending_a_form_on_its_page(client, family_case, record, coordinator) -> None:
    client.force_login(coordinator)
    url = reverse("cases:maltreatment_form_end", args=[family_case.pk, record.pk])
    assert client.get(url).status_code == 200
    refused = client.post(url, {"ended_on": "", "reason": ""})
    assert refused.status_code == 200 and refused.context["form"].errors["reason"]
    response = client.post(url, {"ended_on": "2026-01-02", "reason": "Niet bevestigd."})
    assert response["Location"] == reverse("cases:case_detail", args=[family_case.pk])
    stored = ChildMaltreatmentForm.objects.get(pk=record.pk)
    assert (stored.ended_on, stored.end_reason) == (dt.date(2026, 1, 2), "Niet bevestigd.")


@pytest.mark.parametrize("name", ["maltreatment_form_edit", "maltreatment_form_end"])
def test_non_members_get_404_on_the_form_pages(client, family_case, record, outsider, name) -> None:
    client.force_login(outsider)
    url = reverse(f"cases:{name}", args=[family_case.pk, record.pk])
    data = form_data(version="1", reason="Weg ermee.")
    for response in (client.get(url), client.post(url, data)):
        assert response.status_code == 404
        assert "blauwe plekken" not in response.content.decode()
    stored = ChildMaltreatmentForm.objects.get(pk=record.pk)
    assert (stored.version, stored.ended_on) == (1, None)


def test_non_members_cannot_record_a_form(client, family_case, child, outsider) -> None:
    client.force_login(outsider)
    url = reverse("cases:maltreatment_form_add", args=[family_case.pk, child.pk])
    assert client.post(url, form_data()).status_code == 404
    assert not ChildMaltreatmentForm.objects.exists()


# --- API ----------------------------------------------------------------------------------


@pytest.fixture
def api(client):
    def call(method: str, path: str, user, json=None):
        headers = {"Authorization": f"Bearer {api_token_create(user=user)}"}
        return getattr(client, method)(
            f"/api/v1{path}", data=json, content_type="application/json", headers=headers
        )

    return call


def test_api_records_lists_changes_and_ends_a_form(api, family_case, child, coordinator) -> None:
    base = f"/cases/{family_case.pk}/maltreatment-forms"
    created = api("post", base, coordinator, {"child_id": child.pk, **form_data()})
    assert created.status_code == 201
    body = created.json()
    label = loader.knowledge_base().entry("maltreatment_forms", "psychische-verwaarlozing").label
    assert (body["code"], body["label"], body["status"], body["onset"], body["ended_on"]) == (
        "psychische-verwaarlozing",
        label,
        "established",
        "sinds 2024",
        None,
    )
    item = f"{base}/{body['id']}"

    listed = api("get", base, coordinator).json()
    assert [form["id"] for form in listed] == [body["id"]]

    changed = api("patch", item, coordinator, {"version": 1, "frequency": "wekelijks"})
    assert (changed.status_code, changed.json()["frequency"], changed.json()["version"]) == (
        200,
        "wekelijks",
        2,
    )
    stale = api("patch", item, coordinator, {"version": 1, "frequency": "nooit"})
    assert stale.status_code == 409 and stale.json()["current"]["frequency"] == "wekelijks"

    ended = api("post", f"{item}/end", coordinator, {"reason": "Gestopt."})
    assert ended.status_code == 200
    assert (ended.json()["ended_on"], ended.json()["end_reason"]) == (
        timezone.localdate().isoformat(),
        "Gestopt.",
    )
    again = api("post", f"{item}/end", coordinator, {"reason": "Nogmaals."})
    assert again.status_code == 422


def test_api_refuses_a_form_for_a_parent_or_an_unknown_code(api, family_case, coordinator) -> None:
    base = f"/cases/{family_case.pk}/maltreatment-forms"
    parent = family_case.persons.get(role="parent")
    for_parent = api("post", base, coordinator, {"child_id": parent.pk, **form_data()})
    assert [error["field"] for error in for_parent.json()["detail"]] == ["child_id"]
    unknown = api(
        "post",
        base,
        coordinator,
        {"child_id": family_case.persons.get(role="child").pk, **form_data(code="onzin")},
    )
    assert [error["field"] for error in unknown.json()["detail"]] == ["code"]
    assert not ChildMaltreatmentForm.objects.exists()


def test_api_non_members_see_nor_change_forms(api, family_case, record, outsider) -> None:
    base = f"/cases/{family_case.pk}/maltreatment-forms"
    responses = [
        api("get", base, outsider),
        api("patch", f"{base}/{record.pk}", outsider, {"version": 1, "status": "established"}),
        api("post", f"{base}/{record.pk}/end", outsider, {"reason": "Weg."}),
    ]
    assert [response.status_code for response in responses] == [404, 404, 404]
    assert all("blauwe plekken" not in response.content.decode() for response in responses)
    stored = ChildMaltreatmentForm.objects.get(pk=record.pk)
    assert (stored.version, stored.ended_on) == (1, None)
