"""The auditor's pages: the audit log per client, user and period with readable labels, and the
emergency-access report. Only the auditor role sees them; their own reading is logged."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from kindveilig.accounts import services as account_services
from kindveilig.accounts.models import User
from kindveilig.audit.models import AuditEvent
from kindveilig.cases import services
from kindveilig.cases.models import Case


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
    rows = response.context["page"].rows
    assert rows and all(child.pk in row.clients for row in rows)
    assert "update" in {row.action_code for row in rows}
    # The auditor's own look at the log is logged too, without the filter values' names.
    assert AuditEvent.objects.filter(user_id=auditor.pk, action="search").exists()


def test_auditor_filters_per_user_and_period(client, family_case, coordinator, auditor) -> None:
    client.force_login(auditor)
    today = timezone.localdate()
    response = client.post(
        reverse("oversight:audit_log"),
        {"username": "coordinator", "date_from": today.isoformat(), "date_to": today.isoformat()},
    )
    assert response.context["page"].rows
    assert {event.username for event in response.context["page"].rows} == {"coordinator"}
    tomorrow = (today + dt.timedelta(days=1)).isoformat()
    empty = client.post(
        reverse("oversight:audit_log"), {"username": "coordinator", "date_from": tomorrow}
    )
    assert empty.context["page"].rows == []


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
    rows = client.post(reverse("oversight:audit_log"), {"bsn": "111222333"}).context["page"].rows
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


# --- The auditor's home: the newest events, a page at a time, with names and words ---------


def test_the_start_page_of_the_auditor_is_the_log(client, auditor) -> None:
    client.force_login(auditor)
    assert client.get(reverse("cases:my_cases"))["Location"] == reverse("oversight:audit_log")


def test_the_log_opens_with_the_newest_events(client, family_case, auditor) -> None:
    client.force_login(auditor)
    page = client.get(reverse("oversight:audit_log")).context["page"]
    assert page.rows
    ids = [row.id for row in page.rows]
    assert ids == sorted(ids, reverse=True)
    assert AuditEvent.objects.filter(user_id=auditor.pk, action="search").exists()


def test_the_log_names_the_clients_but_not_the_case(
    client, family_case, coordinator, auditor
) -> None:
    client.force_login(coordinator)
    client.get(reverse("cases:case_detail", args=[family_case.pk]))
    client.force_login(auditor)
    response = client.post(reverse("oversight:audit_log"), {"case_id": family_case.pk})
    read = next(row for row in response.context["page"].rows if row.action_code == "read")
    lotte, karin = (family_case.persons.get(given_name=name) for name in ("Lotte", "Karin"))
    assert {str(client) for client in read.client_refs} == {
        f"Lotte Proef ({lotte.pk})",
        f"Karin Proef ({karin.pk})",
    }
    table = response.content.decode().split('data-testid="audit-events"')[1]
    assert f"Lotte Proef ({lotte.pk})" in table
    assert "familie Proef" not in table  # the case is its number


def test_the_log_is_paged_newest_first_by_a_hundred(client, coordinator, auditor) -> None:
    for _number in range(130):
        account_services.recovery_codes_regenerate(user=coordinator)
    client.force_login(auditor)
    url = reverse("oversight:audit_log")
    first = client.post(url, {"username": "coordinator"}).context["page"]
    assert len(first.rows) == 100 and first.newer is None and first.older is not None
    html = client.post(url, {"username": "coordinator"}).content.decode()
    assert f'name="before" value="{first.older}"' in html
    second = client.post(url, {"username": "coordinator", "before": first.older}).context["page"]
    assert len(second.rows) == 30 and second.older is None and second.newer is not None
    assert second.rows[0].id < first.rows[-1].id
    back = client.post(url, {"username": "coordinator", "after": second.newer}).context["page"]
    assert [row.id for row in back.rows] == [row.id for row in first.rows]
    assert back.newer is None


def test_details_read_as_words_not_codes(client, make_user, auditor, coordinator) -> None:
    admin = make_user("beheerder", role="admin")
    account_services.user_create(
        by=admin, username="nieuw", role="team_lead", organisation_name="Testorganisatie Jeugdhulp"
    )
    client.force_login(coordinator)
    client.post(reverse("cases:case_create"), {"name": "familie X", "legal_context": "voluntary"})
    case = Case.objects.get(name="familie X")
    client.post(
        reverse("cases:case_stage", args=[case.pk]),
        {"stage-stage": "investigation", "stage-version": "1"},
    )
    client.force_login(auditor)
    with translation.override("nl"):
        created = gettext("Account created with the role %(role)s") % {"role": "Teamleider"}
        changed = gettext("Changed: %(fields)s") % {"fields": "status"}
    table = client.get(reverse("oversight:audit_log")).content.decode()
    table = table.split('data-testid="audit-events"')[1]
    assert created in table and changed in table
    for code in ("role=team_lead", "team_lead", "case_list"):
        assert code not in table


def test_the_export_is_the_current_filter_as_csv_and_is_logged(
    client, family_case, coordinator, auditor
) -> None:
    services.case_update(
        actor=coordinator,
        case=family_case,
        expected_version=family_case.version,
        changes={"reason_for_concern": '=HYPERLINK("http://x")'},
    )
    client.force_login(auditor)
    response = client.post(reverse("oversight:audit_log_export"), {"username": "coordinator"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="kindveilig-audit-')
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    matching = AuditEvent.objects.filter(username="coordinator").count()
    assert len(rows) == 1 + matching
    with translation.override("nl"):
        assert rows[0][:3] == [gettext("Time"), gettext("Action"), gettext("User")]
    assert {row[2] for row in rows[1:]} == {"coordinator"}
    lotte = family_case.persons.get(given_name="Lotte")
    assert any(f"Lotte Proef ({lotte.pk})" in row[6] for row in rows[1:])
    export = AuditEvent.objects.get(user_id=auditor.pk, action="export")
    assert (export.object_type, export.detail) == ("audit_log", "username=coordinator")


def test_a_cell_that_looks_like_a_formula_is_exported_as_text(client, auditor, make_user) -> None:
    make_user("=cmd")
    account_services.recovery_codes_regenerate(user=User.objects.get(username="=cmd"))
    client.force_login(auditor)
    response = client.post(reverse("oversight:audit_log_export"), {"username": "=cmd"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [row[2] for row in rows[1:]] == ["'=cmd"]


@pytest.mark.parametrize("role", ["professional", "team_lead", "admin"])
def test_only_the_auditor_exports_the_log(client, make_user, family_case, role) -> None:
    client.force_login(make_user(f"geen-auditor-{role}", role=role))
    response = client.post(reverse("oversight:audit_log_export"), {})
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="export").exists()
