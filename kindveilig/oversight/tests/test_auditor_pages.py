"""The auditor's pages: the audit log per client, user and period with readable labels, and the
emergency-access report. Only the auditor role sees them; their own reading is logged."""

import datetime as dt

import pytest
from django.urls import reverse

from kindveilig.audit.models import AuditEvent
from kindveilig.cases import services


@pytest.fixture
def auditor(make_user):
    return make_user("privacy", role="auditor")


def test_auditor_sees_events_per_client(client, family_case, coordinator, auditor) -> None:
    child = family_case.persons.get(role="child")
    services.person_update(
        actor=coordinator,
        person=child,
        expected_version=child.version,
        changes={"relation": "dochter"},
    )
    client.force_login(auditor)
    response = client.post(reverse("oversight:audit_log"), {"client_id": child.pk})
    rows = response.context["events"]
    assert rows and all(child.pk in row.clients for row in rows)
    assert "update" in {row.action_code for row in rows}
    # The auditor's own look at the log is logged too, without the filter values' names.
    assert AuditEvent.objects.filter(user_id=auditor.pk, action="search").exists()


def test_auditor_filters_per_user_and_period(client, family_case, coordinator, auditor) -> None:
    client.force_login(auditor)
    today = dt.date.today()
    response = client.post(
        reverse("oversight:audit_log"),
        {"username": "coordinator", "date_from": today.isoformat(), "date_to": today.isoformat()},
    )
    assert response.context["events"]
    assert {event.username for event in response.context["events"]} == {"coordinator"}
    tomorrow = (today + dt.timedelta(days=1)).isoformat()
    empty = client.post(
        reverse("oversight:audit_log"), {"username": "coordinator", "date_from": tomorrow}
    )
    assert empty.context["events"] == []


def test_auditor_finds_a_client_by_bsn(client, family_case, coordinator, auditor) -> None:
    person = services.person_add(
        actor=coordinator,
        case=family_case,
        role="parent",
        given_name="Piet",
        family_name="Proef",
        birth_date=dt.date(1980, 1, 1),
        bsn="111222333",
    )
    client.force_login(auditor)
    rows = client.post(reverse("oversight:audit_log"), {"bsn": "111222333"}).context["events"]
    assert [row.clients for row in rows] == [[person.pk]]
    search = AuditEvent.objects.filter(user_id=auditor.pk, action="search").latest("id")
    assert "111222333" not in search.detail


def test_non_auditors_do_not_see_the_log(client, coordinator) -> None:
    client.force_login(coordinator)
    assert client.get(reverse("oversight:audit_log")).status_code == 404


def test_the_log_reads_in_dutch_labels_not_internal_codes(
    client, family_case, coordinator, auditor
) -> None:
    client.force_login(coordinator)
    client.get(reverse("cases:my_cases"))
    client.logout()
    client.force_login(auditor)
    response = client.post(reverse("oversight:audit_log"), {"username": "coordinator"})
    table = response.content.decode().split('data-testid="audit-events"')[1]
    # "Mijn dossiers" was read: object "case_list", action "read", role "professional".
    assert "Lijst van dossiers" in table and "Inzien" in table and "hulpverlener" in table
    for code in ("case_list", ">read<", "professional", "team_lead", "case_member"):
        assert code not in table


def test_break_glass_report_is_for_the_auditor_and_its_reading_is_logged(
    client, family_case, outsider, auditor
) -> None:
    services.break_glass_open(
        actor=outsider, case_id=family_case.pk, reason="Acute zorg: kind op de SEH, ouders weg."
    )
    client.force_login(auditor)
    response = client.get(reverse("oversight:break_glass_report"))
    assert [access.user for access in response.context["accesses"]] == [outsider]
    assert AuditEvent.objects.filter(
        user_id=auditor.pk, action="read", object_type="break_glass_report"
    ).exists()


def test_a_burst_of_denied_attempts_shows_for_the_auditor(
    client, family_case, outsider, auditor
) -> None:
    client.force_login(outsider)
    for case_id in range(family_case.pk, family_case.pk + 12):  # probing case numbers
        client.get(reverse("cases:case_detail", args=[case_id]))
    client.logout()
    client.force_login(auditor)
    response = client.get(reverse("oversight:denied_access"))
    rows = response.context["rows"]
    assert [(row.username, row.attempts, row.cases, row.is_burst) for row in rows] == [
        ("outsider", 12, 12, True)
    ]
    assert 'data-testid="burst"' in response.content.decode()
    assert AuditEvent.objects.filter(user_id=auditor.pk, action="search").exists()
