"""The number of queries of each main page and endpoint is pinned, and the same for a small
and a large world (many other cases, old memberships of the user, a long history): a new N+1
or an extra query per request fails here. Speed itself is measured in bench/."""

import datetime as dt

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kindveilig.accounts.services import api_token_create
from kindveilig.cases import services
from kindveilig.cases.models import CaseMember, CaseRole
from kindveilig.demo import builders

# Each counts the login (the session with its user and second factor in one query,
# accounts.sessions; a token for the API: 1), the door (1: the case with the membership check,
# its change stamp and the ids of its persons), the audit event (4 with its savepoint and chain
# head on SQLite; on PostgreSQL, where the connection has claimed a chain and knows its head, the
# INSERT alone, made by the door's own statement for a member's read of the case: 0) and the
# page's own reads (the persons, when the page shows them).
PAGES = {
    "my_cases": 7,
    "case_detail": 18,  # with the workspace: the stages, the research plan, the next steps,
    # and judging read once for the header and the stage: the safety assessments, the risk
    # assessment, the number of causes, the conclusion, and the four-eyes states (2)
    "case_detail kept": 6,  # the body kept since the last change (cases.pagecache): no workspace
    "case_edit": 7,
    "case_history": 10,
    "case_team": 8,
}
ENDPOINTS = {
    "/api/v1/cases": 7,
    "/api/v1/cases/{case}": 8,
    "/api/v1/cases/{case} kept": 6,  # the answer kept since the last change: no team, no persons
    "/api/v1/cases/{case}/members": 7,
}
# The lists pass no door: their read's event is an INSERT of its own on PostgreSQL too.
LISTS = {"my_cases", "/api/v1/cases"}
if connection.vendor == "postgresql":
    PAGES = {name: count - (3 if name in LISTS else 4) for name, count in PAGES.items()}
    ENDPOINTS = {path: count - (3 if path in LISTS else 4) for path, count in ENDPOINTS.items()}


def grow(case, coordinator, make_user) -> None:
    """A large world: other families, ended memberships of the user, a long case history."""
    other = make_user("andere-regievoerder")
    for number in range(15):
        elsewhere = builders.family(
            coordinator=other,
            name=f"familie Anders {number}",
            members=[(coordinator, CaseRole.CASE_WORKER)],
            persons=[builders.PersonSpec("child", "Kind", f"Anders{number}", dt.date(2015, 1, 1))],
        )
        CaseMember.objects.filter(case=elsewhere, user=coordinator).update(
            start_date=dt.date(2020, 1, 1), end_date=dt.date(2021, 1, 1)
        )
    child = case.persons.get(role="child")
    for number in range(30):
        child = services.person_update(
            actor=coordinator,
            person=child,
            expected_version=child.version,
            changes={"relation": f"dochter {number}"},
        )


def page_queries(client, name: str, case_id: int) -> int:
    page, _, kept = name.partition(" ")
    url = reverse(f"cases:{page}", kwargs={} if page == "my_cases" else {"case_id": case_id})
    client.get(url)  # the first request of a session may refresh it; count the next one
    if not kept:
        caches["pages"].clear()  # count the rendering
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def endpoint_queries(path: str, token: str) -> int:
    path, _, kept = path.partition(" ")
    client = Client()  # an API client: a token, no session
    headers = {"Authorization": f"Bearer {token}"}
    client.get(path, headers=headers)
    if not kept:
        caches["pages"].clear()  # count the building of the answer
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, headers=headers)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("size", ["small", "large"])
def test_pages_and_endpoints_have_a_fixed_number_of_queries(
    client, family_case, coordinator, make_user, size
) -> None:
    make_user("nog-niet-betrokken")  # a colleague the team page offers, in both worlds
    if size == "large":
        grow(family_case, coordinator, make_user)
    client.force_login(coordinator)
    pages = {name: page_queries(client, name, family_case.pk) for name in PAGES}
    token = api_token_create(user=coordinator)
    endpoints = {
        path: endpoint_queries(path.format(case=family_case.pk), token) for path in ENDPOINTS
    }
    assert (pages, endpoints) == (PAGES, ENDPOINTS)


def test_the_large_world_is_large(family_case, coordinator, make_user) -> None:
    grow(family_case, coordinator, make_user)
    assert CaseMember.objects.filter(user=coordinator).count() >= 16
    assert family_case.persons.get(role="child").history.count() > 30
    assert timezone.now()  # (the history rows are real records, made through the services)
