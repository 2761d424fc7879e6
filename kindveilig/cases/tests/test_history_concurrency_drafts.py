"""Every change kept with its author; stale saves refused (newer data kept, input kept);
typed text autosaved as a draft."""

import pytest
from django.urls import reverse

from kindveilig.accounts.services import api_token_create
from kindveilig.cases import services
from kindveilig.cases.models import Case, Draft, Person
from kindveilig.cases.records import ConcurrentEditError


def edit_data(case, **changes):
    data = {
        "name": case.name,
        "legal_context": case.legal_context,
        "reason_for_concern": case.reason_for_concern,
        "version": case.version,
    }
    data.update(changes)
    return data


def test_history_records_who_changed_what(client, family_case, coordinator) -> None:
    services.case_update(
        actor=coordinator,
        case=family_case,
        expected_version=1,
        changes={"reason_for_concern": "School maakt zich zorgen."},
    )
    latest = Case.history.filter(id=family_case.pk).latest("history_date")
    assert latest.history_user == coordinator
    assert latest.reason_for_concern == "School maakt zich zorgen."

    client.force_login(coordinator)
    entries = client.get(reverse("cases:case_history", args=[family_case.pk])).context["entries"]
    change = next(entry for entry in entries if entry.kind == "~")
    assert change.user == "coordinator"
    assert [(c.field, c.old, c.new) for c in change.changes] == [
        ("aanleiding en zorgen", "", "School maakt zich zorgen.")
    ]
    assert any(entry.kind == "+" and "Lotte" in entry.object_label for entry in entries)


def test_stale_version_is_refused_and_newer_data_kept(family_case, coordinator, make_user) -> None:
    colleague = make_user("collega2")
    services.case_update(
        actor=colleague,
        case=family_case,
        expected_version=1,
        changes={"reason_for_concern": "Versie van collega"},
    )
    with pytest.raises(ConcurrentEditError) as conflict:
        services.case_update(
            actor=coordinator,
            case=family_case,
            expected_version=1,
            changes={"reason_for_concern": "Mijn versie"},
        )
    assert conflict.value.current.reason_for_concern == "Versie van collega"
    assert conflict.value.attempted["reason_for_concern"] == "Mijn versie"
    stored = Case.objects.get(pk=family_case.pk)
    assert (stored.reason_for_concern, stored.version) == ("Versie van collega", 2)


def test_ui_conflict_shows_both_versions_and_keeps_the_typed_text(
    client, family_case, coordinator
) -> None:
    services.case_update(
        actor=coordinator,
        case=family_case,
        expected_version=1,
        changes={"reason_for_concern": "Opgeslagen door een ander"},
    )
    client.force_login(coordinator)
    response = client.post(
        reverse("cases:case_edit", args=[family_case.pk]),
        edit_data(family_case, reason_for_concern="Mijn lange tekst", version=1),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["conflict"].reason_for_concern == "Opgeslagen door een ander"
    assert "Opgeslagen door een ander" in html and "Mijn lange tekst" in html
    assert 'name="version" value="2"' in html  # saving again now overwrites knowingly
    from kindveilig.audit.models import AuditEvent

    shown = AuditEvent.objects.filter(action="read", case_id=family_case.pk).latest("id")
    assert shown.user_id == coordinator.pk
    assert Case.objects.get(pk=family_case.pk).reason_for_concern == "Opgeslagen door een ander"


def test_ui_save_with_current_version_succeeds_and_clears_the_draft(
    client, family_case, coordinator
) -> None:
    client.force_login(coordinator)
    client.post(
        reverse("cases:draft_save", args=[family_case.pk, "case-edit"]),
        {"reason_for_concern": "half af"},
    )
    response = client.post(
        reverse("cases:case_edit", args=[family_case.pk]),
        edit_data(family_case, reason_for_concern="Af."),
    )
    assert response["Location"] == reverse("cases:case_detail", args=[family_case.pk])
    assert Case.objects.get(pk=family_case.pk).reason_for_concern == "Af."
    assert not Draft.objects.exists()


def test_invalid_edit_keeps_input_and_says_why(client, family_case, coordinator) -> None:
    client.force_login(coordinator)
    response = client.post(
        reverse("cases:case_edit", args=[family_case.pk]),
        edit_data(family_case, name="", reason_for_concern="Belangrijk"),
    )
    assert response.context["form"].errors["name"]
    assert "Belangrijk" in response.content.decode()


def test_draft_is_autosaved_and_restored_after_a_closed_tab(
    client, family_case, coordinator
) -> None:
    client.force_login(coordinator)
    saved = client.post(
        reverse("cases:draft_save", args=[family_case.pk, "case-edit"]),
        edit_data(family_case, reason_for_concern="Getypt, niet opgeslagen"),
    )
    assert "Concept opgeslagen om" in saved.content.decode()
    draft = Draft.objects.get(user=coordinator, case=family_case)
    assert draft.data["reason_for_concern"] == "Getypt, niet opgeslagen"
    assert "csrfmiddlewaretoken" not in draft.data

    reopened = client.get(reverse("cases:case_edit", args=[family_case.pk]))
    assert reopened.context["form"].initial["reason_for_concern"] == "Getypt, niet opgeslagen"
    assert "Getypt, niet opgeslagen" in reopened.content.decode()


def test_draft_after_session_end_answers_401_and_keeps_the_earlier_draft(
    client, family_case, coordinator
) -> None:
    client.force_login(coordinator)
    url = reverse("cases:draft_save", args=[family_case.pk, "case-edit"])
    client.post(url, {"reason_for_concern": "eerste deel"})
    client.logout()
    response = client.post(url, {"reason_for_concern": "eerste deel en meer"})
    assert response.status_code == 401
    assert Draft.objects.get().data["reason_for_concern"] == "eerste deel"


def test_drafts_are_private_to_members(client, family_case, outsider) -> None:
    client.force_login(outsider)
    response = client.post(
        reverse("cases:draft_save", args=[family_case.pk, "case-edit"]), {"reason_for_concern": "x"}
    )
    assert response.status_code == 404
    assert not Draft.objects.exists()


def test_api_patch_with_stale_version_gets_409_with_the_current_person(
    client, family_case, coordinator
) -> None:
    child = family_case.persons.get(role="child")
    token = api_token_create(user=coordinator)
    headers = {"Authorization": f"Bearer {token}"}
    url = f"/api/v1/cases/{family_case.pk}/persons/{child.pk}"
    first = client.patch(
        url, {"version": 1, "given_name": "Lotje"}, content_type="application/json", headers=headers
    )
    assert first.status_code == 200 and first.json()["version"] == 2
    stale = client.patch(
        url,
        {"version": 1, "given_name": "Charlotte"},
        content_type="application/json",
        headers=headers,
    )
    assert stale.status_code == 409
    assert stale.json()["current"]["given_name"] == "Lotje"
    assert Person.objects.get(pk=child.pk).given_name == "Lotje"


def test_api_patch_validates_like_create(client, family_case, coordinator) -> None:
    child = family_case.persons.get(role="child")
    token = api_token_create(user=coordinator)
    response = client.patch(
        f"/api/v1/cases/{family_case.pk}/persons/{child.pk}",
        {"version": 1, "bsn": "123456789"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "bsn"
    assert Person.objects.get(pk=child.pk).version == 1


def test_only_changed_fields_are_logged_and_an_unchanged_save_writes_nothing(
    family_case, coordinator
) -> None:
    from kindveilig.audit.models import AuditEvent

    services.case_update(
        actor=coordinator,
        case=family_case,
        expected_version=1,
        changes={"name": family_case.name, "reason_for_concern": "Nieuw"},
    )
    event = AuditEvent.objects.filter(action="update", object_type="case").latest("id")
    assert event.detail == "reason_for_concern"
    unchanged = services.case_update(
        actor=coordinator,
        case=family_case,
        expected_version=2,
        changes={"reason_for_concern": "Nieuw"},
    )
    assert unchanged.version == 2
    assert AuditEvent.objects.filter(action="update", object_type="case").count() == 1
