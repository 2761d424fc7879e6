"""Every denied access to case data is logged with the attempted object, and a denied request
does the same work whether the id exists or not."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kindveilig.accounts.services import api_token_create
from kindveilig.audit.models import AuditEvent

HUGE = 2**63  # one more than the largest id a database can hold


def denied(user) -> list[tuple[str, str, str]]:
    return list(
        AuditEvent.objects.filter(user_id=user.pk, action="access_denied")
        .order_by("id")
        .values_list("object_type", "object_id", "detail")
    )


def test_probing_case_ids_leaves_a_trace(client, family_case, outsider) -> None:
    client.force_login(outsider)
    for case_id in (family_case.pk, 999_999):
        assert client.get(reverse("cases:case_detail", args=[case_id])).status_code == 404
    assert denied(outsider) == [
        ("case", str(family_case.pk), "not a member"),
        ("case", "999999", "not a member"),
    ]


def test_a_denied_request_does_the_same_work_for_existing_and_missing_ids(
    client, family_case, outsider
) -> None:
    token = api_token_create(user=outsider)
    headers = {"Authorization": f"Bearer {token}"}
    person = family_case.persons.first()
    client.get("/api/v1/cases", headers=headers)  # the token's first use is recorded once
    counts = []
    for case_id, person_id in ((family_case.pk, person.pk), (999_998, 999_999)):
        with CaptureQueriesContext(connection) as queries:
            response = client.patch(
                f"/api/v1/cases/{case_id}/persons/{person_id}",
                data={"version": 1, "given_name": "X"},
                content_type="application/json",
                headers=headers,
            )
        assert response.status_code == 404 and response.json() == {"detail": "Not Found"}
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert [kind for kind, _id, _reason in denied(outsider)] == ["person", "person"]


@pytest.mark.parametrize("page", ["cases:case_detail", "cases:case_edit", "cases:case_team"])
def test_a_denied_page_does_the_same_work_for_existing_and_missing_cases(
    client, family_case, outsider, page
) -> None:
    client.force_login(outsider)
    client.get(reverse("cases:my_cases"))  # the session's first request may refresh it
    counts, bodies = [], []
    for case_id in (family_case.pk, 999_999):
        url = reverse(page, args=[case_id])
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 404
        counts.append([query["sql"].split()[0] for query in queries.captured_queries])
        # (the CSRF token is masked anew in every response; the language switch names the page)
        body = re.sub(rb'(csrf[^>]*?(content|value)=")[^"]+', rb"\1", response.content)
        bodies.append(body.replace(url.encode(), b"{url}"))
    assert counts[0] == counts[1]  # the same statements, in the same order
    assert bodies[0] == bodies[1]  # and the same page, but for the address asked for


def test_a_member_asking_for_a_record_of_another_case_is_denied_and_logged(
    client, family_case, coordinator
) -> None:
    token = api_token_create(user=coordinator)
    response = client.patch(
        f"/api/v1/cases/{family_case.pk}/persons/999999",
        data={"version": 1, "given_name": "X"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 404
    assert denied(coordinator) == [("person", "999999", "not in this case")]


@pytest.mark.parametrize("case_id", [HUGE, 10**30])
def test_ids_beyond_the_database_are_404_not_500(client, coordinator, case_id) -> None:
    client.force_login(coordinator)
    assert client.get(f"/dossiers/{case_id}/").status_code == 404
    token = api_token_create(user=coordinator)
    response = client.get(f"/api/v1/cases/{case_id}", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 404
    event = AuditEvent.objects.filter(user_id=coordinator.pk, action="access_denied").latest("id")
    assert event.case_id is None and event.object_id == str(case_id)[:60]
