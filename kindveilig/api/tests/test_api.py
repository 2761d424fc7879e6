import datetime as dt

import pytest
from django.utils import timezone

from kindveilig.accounts.services import api_token_create
from kindveilig.cases.models import Case, CaseMember, CaseRole, Person


@pytest.fixture
def api(client):
    def call(method: str, path: str, user=None, json=None, token: str | None = None):
        headers = {}
        if user is not None:
            headers["Authorization"] = f"Bearer {api_token_create(user=user)}"
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        return getattr(client, method)(
            f"/api/v1{path}", data=json, content_type="application/json", headers=headers
        )

    return call


def test_requests_without_or_with_a_wrong_token_are_refused(api, family_case) -> None:
    assert api("get", "/cases").status_code == 401
    response = api("get", f"/cases/{family_case.pk}", token="kv_not-a-real-token")
    assert response.status_code == 401
    assert "Proef" not in response.content.decode()


def test_list_cases_returns_only_the_users_cases(api, family_case, coordinator, outsider) -> None:
    assert api("get", "/cases", user=coordinator).json() == [
        {"id": family_case.pk, "name": "familie Proef", "status": "intake"}
    ]
    assert api("get", "/cases", user=outsider).json() == []


def test_create_case_makes_creator_coordinator(api, coordinator) -> None:
    response = api("post", "/cases", user=coordinator, json={"name": "familie Nieuw"})
    assert response.status_code == 201
    case = Case.objects.get(pk=response.json()["id"])
    assert case.name == "familie Nieuw"
    assert CaseMember.objects.get(case=case).role == CaseRole.COORDINATOR
    assert CaseMember.objects.get(case=case).user == coordinator


def test_create_case_with_empty_name_is_422_and_saves_nothing(api, coordinator) -> None:
    response = api("post", "/cases", user=coordinator, json={"name": ""})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "name"
    assert Case.objects.count() == 0


def test_get_case_shows_family_and_professionals(api, family_case, coordinator) -> None:
    body = api("get", f"/cases/{family_case.pk}", user=coordinator).json()
    assert {(p["given_name"], p["role"]) for p in body["persons"]} == {
        ("Lotte", "child"),
        ("Karin", "parent"),
    }
    assert {p["role"] for p in body["professionals"]} == {"coordinator", "case_worker"}


def test_non_member_gets_404_on_read_and_write(api, family_case, outsider) -> None:
    assert api("get", f"/cases/{family_case.pk}", user=outsider).status_code == 404
    response = api(
        "post",
        f"/cases/{family_case.pk}/persons",
        user=outsider,
        json={"role": "child", "given_name": "A", "family_name": "B", "birth_date": "2020-01-01"},
    )
    assert response.status_code == 404
    assert not Person.objects.filter(given_name="A").exists()


def test_add_person_returns_201_and_stores_it(api, family_case, coordinator) -> None:
    response = api(
        "post",
        f"/cases/{family_case.pk}/persons",
        user=coordinator,
        json={
            "role": "child",
            "given_name": "Bram",
            "family_name": "Proef",
            "birth_date": "2019-06-30",
            "sex": "male",
            "bsn": "111222333",
        },
    )
    assert response.status_code == 201
    person = Person.objects.get(pk=response.json()["id"])
    assert (person.case, person.birth_date, person.bsn) == (
        family_case,
        dt.date(2019, 6, 30),
        "111222333",
    )


@pytest.mark.parametrize(
    ("payload_change", "field"),
    [
        ({"birth_date": (timezone.localdate() + dt.timedelta(days=1)).isoformat()}, "birth_date"),
        ({"bsn": "123456789"}, "bsn"),
        ({"role": "neighbour"}, "role"),
        ({"sex": "unknown"}, "sex"),
        ({"birth_date": "30-06-2019"}, "birth_date"),
        ({"given_name": ""}, "given_name"),
    ],
)
def test_invalid_person_is_422_with_field_and_nothing_saved(
    api, family_case, coordinator, payload_change, field
) -> None:
    payload = {
        "role": "child",
        "given_name": "Bram",
        "family_name": "Proef",
        "birth_date": "2019-06-30",
        **payload_change,
    }
    before = Person.objects.count()
    response = api("post", f"/cases/{family_case.pk}/persons", user=coordinator, json=payload)
    assert response.status_code == 422
    errors = response.json()["detail"]
    assert field in {error["field"] for error in errors}
    assert all(error["message"] for error in errors)
    assert Person.objects.count() == before


def test_validation_messages_are_dutch_by_default(api, family_case, coordinator) -> None:
    payload = {
        "role": "child",
        "given_name": "B",
        "family_name": "P",
        "birth_date": "2019-06-30",
        "bsn": "123456789",
    }
    response = api("post", f"/cases/{family_case.pk}/persons", user=coordinator, json=payload)
    assert "geen geldig BSN" in response.json()["detail"][0]["message"]


def test_openapi_schema_lists_the_endpoints_and_bearer_auth(client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    assert {"/api/v1/cases", "/api/v1/cases/{case_id}", "/api/v1/cases/{case_id}/persons"} <= set(
        schema["paths"]
    )
    assert any(
        s.get("scheme") == "bearer" for s in schema["components"]["securitySchemes"].values()
    )


def test_docs_page_is_served_from_our_own_static_files(client) -> None:
    html = client.get("/api/v1/docs").content.decode()
    assert "swagger" in html.lower()
    assert "cdn" not in html.lower()
