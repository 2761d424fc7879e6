"""The pages of the investigation run a fixed number of queries, whether the case has one
record of each kind or many: a new N+1 (a query per question, event, finding or conversation)
fails here. Speed itself is measured in bench/."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kindveilig.investigation import services
from kindveilig.investigation.models import (
    Conversation,
    FrameworkFinding,
    LifelineEvent,
    Observation,
    QuestionnaireAdministration,
    ResearchQuestion,
)
from kindveilig.investigation.views import SECTIONS


def fill(case, actor, copies: int) -> None:
    """``copies`` records of each kind, each naming the case's persons."""
    child = case.persons.get(role="child")
    parent = case.persons.get(role="parent")
    for number in range(copies):
        for model, values in (
            (ResearchQuestion, {"question": f"Vraag {number}?", "child_id": child.pk}),
            (
                LifelineEvent,
                {
                    "date": dt.date(2017 + number % 8, 1, 1),
                    "kind": "soort.gebeurtenis",
                    "description": f"Gebeurtenis {number}",
                    "person_ids": [child.pk, parent.pk],
                },
            ),
            (
                Observation,
                {"person_id": child.pk, "observed_on": dt.date(2026, 1, 2), "behaviour": "Speelt"},
            ),
            (
                QuestionnaireAdministration,
                {
                    "child_id": child.pk,
                    "instrument": "cbcl",
                    "informant": "parent",
                    "administered_on": dt.date(2026, 1, 2),
                },
            ),
            (
                FrameworkFinding,
                {
                    "person_id": child.pk,
                    "dimension": "kind.identiteit",
                    "kind": "concern",
                    "text": f"Bevinding {number}",
                },
            ),
            (
                Conversation,
                {"with_whom": "parents", "person_ids": [parent.pk], "notes": f"Gesprek {number}"},
            ),
        ):
            services.investigation_record_add(actor=actor, case=case, model=model, values=values)


def queries_of(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def section_queries(client, case) -> dict[str, int]:
    counts = {"case_detail": queries_of(client, reverse("cases:case_detail", args=[case.pk]))}
    for section in SECTIONS:
        counts[section.key] = queries_of(
            client, reverse(f"investigation:{section.key}", args=[case.pk])
        )
    return counts


@pytest.mark.parametrize("copies", [1, 12])
def test_the_investigation_pages_do_not_grow_with_the_records(
    client, family_case, coordinator, copies
) -> None:
    client.force_login(coordinator)
    empty = section_queries(client, family_case)
    fill(family_case, coordinator, copies)
    filled = section_queries(client, family_case)
    assert filled == empty, "a page's queries grow with the number of records"
    assert ResearchQuestion.objects.filter(case=family_case).count() == copies
