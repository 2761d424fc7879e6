"""The pages across cases run a fixed number of queries, the same for a small and a large
world (more cases than fit on a page, long histories, many events and accounts): the team
lead's caseload, the auditor's log and the administrator's accounts. Speed is in bench/."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kindveilig.accounts.models import Role, Team
from kindveilig.cases import services
from kindveilig.cases.models import CaseRole
from kindveilig.demo import builders

# Each counts the login (the session with its user and second factor in one query); the
# listings that are logged add their service's transaction (2) and the audit event (4 with its
# savepoint and chain head on SQLite; 1 on PostgreSQL, where the connection has claimed a
# chain: the INSERT).
PAGES = {
    # the stages, the count, the page (with last changes and memberships), its coordinators,
    # the open warnings of the page's cases (one read)
    "oversight:team_overview": 12,
    # a page of events with one more (is there an older page), the names of their clients
    "oversight:audit_log": 9,
    # the count and the page of accounts, the organisations of the filter
    "administration:accounts": 4,
}
if connection.vendor == "postgresql":  # the audit event is one INSERT (a claimed chain)
    PAGES = {
        name: count - (0 if name == "administration:accounts" else 3)
        for name, count in PAGES.items()
    }


def grow(organisation, coordinator, make_user) -> None:
    """More cases than fit on a page (each with a family, some with history), more events
    than fit on a page, a team with colleagues, accounts in every role."""
    team = Team.objects.create(organisation=organisation, name="Groei")
    for number in range(8):
        colleague = make_user(f"groei-{number}", role=list(Role)[number % len(Role)])
        colleague.team = team
        colleague.save()
    for number in range(55):
        case = builders.family(
            coordinator=coordinator,
            name=f"familie Groei {number}",
            persons=[builders.PersonSpec("child", "Kind", f"Groei{number}", dt.date(2016, 1, 1))],
        )
        if number % 10 == 0:
            services.case_member_add(
                actor=coordinator,
                case=case,
                role=CaseRole.CASE_WORKER,
                user=make_user(f"extra-{number}"),
            )


def page_queries(client, name: str) -> int:
    url = reverse(name)
    client.get(url)  # the first request of a session may refresh it; count the next one
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("size", ["small", "large"])
def test_pages_across_cases_have_a_fixed_number_of_queries(
    client, family_case, coordinator, organisation, make_user, size
) -> None:
    if size == "large":
        grow(organisation, coordinator, make_user)
    users = {
        "oversight:team_overview": make_user("tl", role=Role.TEAM_LEAD),
        "oversight:audit_log": make_user("privacy", role=Role.AUDITOR),
        "administration:accounts": make_user("beheer", role=Role.ADMIN),
    }
    counts = {}
    for name, user in users.items():
        client.force_login(user)
        counts[name] = page_queries(client, name)
    assert counts == PAGES
