"""No input gives a 5xx: wrong input is a JSON 422 naming the field, and nothing is saved."""

import pytest
from django.urls import reverse

from kindveilig.accounts.services import api_token_create
from kindveilig.cases.models import LONG_TEXT, Case, Draft, Person


@pytest.fixture
def api(client, coordinator):
    headers = {"Authorization": f"Bearer {api_token_create(user=coordinator)}"}

    def call(method: str, path: str, data=None):
        return getattr(client, method)(
            f"/api/v1{path}", data=data, content_type="application/json", headers=headers
        )

    return call


def fields(response) -> set[str]:
    assert response.status_code == 422, response.content
    return {error["field"] for error in response.json()["detail"]}


@pytest.mark.parametrize("field", ["sex", "bsn", "birth_date", "given_name", "role"])
def test_a_persons_fields_cannot_be_nulled(api, family_case, field) -> None:
    child = family_case.persons.get(role="child")
    response = api(
        "patch", f"/cases/{family_case.pk}/persons/{child.pk}", {"version": 1, field: None}
    )
    assert fields(response) == {field}
    child.refresh_from_db()
    assert (child.version, child.birth_date is not None) == (1, True)


def test_a_childs_birth_date_stays_required_when_the_role_changes(api, family_case) -> None:
    parent = family_case.persons.get(role="parent")
    Person.objects.filter(pk=parent.pk).update(birth_date=None)
    response = api(
        "patch", f"/cases/{family_case.pk}/persons/{parent.pk}", {"version": 1, "role": "child"}
    )
    assert fields(response) == {"birth_date"}
    assert Person.objects.get(pk=parent.pk).role == "parent"


def test_nul_characters_are_refused_in_any_text(api, family_case) -> None:
    assert fields(api("post", "/cases", {"name": "a\u0000b"})) == {"name"}
    response = api(
        "post",
        f"/cases/{family_case.pk}/members",
        {"name": "Jan\u0000", "role": "external", "discipline": "arts"},
    )
    assert fields(response) == {"name"}
    assert not Case.objects.filter(name__startswith="a").exists()


def test_an_implausible_birth_date_is_refused(api, family_case) -> None:
    response = api(
        "post",
        f"/cases/{family_case.pk}/persons",
        {"role": "child", "given_name": "Oud", "family_name": "Kind", "birth_date": "0001-01-01"},
    )
    assert fields(response) == {"birth_date"}
    assert not Person.objects.filter(given_name="Oud").exists()


def test_malformed_json_is_a_422(client, coordinator) -> None:
    token = api_token_create(user=coordinator)
    response = client.post(
        "/api/v1/cases",
        data="{nee",
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 422 and response.json()["detail"]


def test_long_texts_have_a_limit(client, family_case, coordinator) -> None:
    client.force_login(coordinator)
    edit = {
        "name": family_case.name,
        "legal_context": "voluntary",
        "reason_for_concern": "x" * (LONG_TEXT + 1),
        "version": 1,
    }
    response = client.post(reverse("cases:case_edit", args=[family_case.pk]), edit)
    assert response.context["form"].errors["reason_for_concern"]
    assert Case.objects.get(pk=family_case.pk).reason_for_concern == ""


def test_drafts_keep_only_the_forms_own_fields_and_refuse_huge_text(
    client, family_case, coordinator
) -> None:
    client.force_login(coordinator)
    url = reverse("cases:draft_save", args=[family_case.pk, "case-edit"])
    client.post(url, {"reason_for_concern": "zorgen", "anything": "x", "bsn": "123"})
    assert Draft.objects.get().data == {"reason_for_concern": "zorgen"}
    too_long = client.post(url, {"reason_for_concern": "x" * (LONG_TEXT + 1)})
    assert too_long.status_code == 422
    assert Draft.objects.get().data == {"reason_for_concern": "zorgen"}


def test_a_wrong_host_gets_our_400_page_with_every_security_header(client) -> None:
    response = client.get("/account/inloggen/", HTTP_HOST="kwaadwillend.example")
    assert response.status_code == 400
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["Cache-Control"] == "no-store"
    assert response["X-Frame-Options"] == "DENY"
    assert "Kindveilig" in response.content.decode()
