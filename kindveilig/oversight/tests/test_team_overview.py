"""The team lead's home: the caseload of the team (or, without a team, of the organisation) with
stage, coordinator and last change, never the content of a case (not even the family's name)
unless the lead is a member of it; reading it is logged; only team leads see it."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from kindveilig.accounts.models import Organisation, Role, Team
from kindveilig.audit.models import AuditEvent
from kindveilig.cases import services
from kindveilig.cases.models import Case, CaseMember, CaseRole
from kindveilig.demo import builders


@pytest.fixture
def lead(make_user):
    return make_user("teamleider", role=Role.TEAM_LEAD)


def overview(client, **params):
    return client.get(reverse("oversight:team_overview"), params)


def test_the_start_page_of_a_team_lead_is_the_caseload(client, lead) -> None:
    client.force_login(lead)
    assert client.get(reverse("cases:my_cases"))["Location"] == reverse("oversight:team_overview")


def test_the_caseload_shows_stage_and_coordinator_but_no_case_content(
    client, lead, family_case, coordinator
) -> None:
    services.case_update(
        actor=coordinator,
        case=family_case,
        expected_version=family_case.version,
        changes={"reason_for_concern": "Zorgen over blauwe plekken"},
    )
    coordinator.first_name, coordinator.last_name = "Rita", "Regie"
    coordinator.save()
    client.force_login(lead)
    response = overview(client)
    [row] = response.context["caseload"].rows
    assert (row.case_id, row.family, row.status, row.coordinator) == (
        family_case.pk,
        "",
        "Aanmelding",  # the stage's label (in Dutch), not its code
        "Rita Regie",
    )
    assert row.last_change is not None
    assert timezone.localtime(row.last_change).date() == timezone.localdate()
    html = response.content.decode()
    assert str(family_case.pk) in html and "Rita Regie" in html
    for content in ("Proef", "Lotte", "Karin", "blauwe plekken"):
        assert content not in html
    # Nor a link into the case, which would only give a 404 and a denied-access entry.
    assert reverse("cases:case_detail", args=[family_case.pk]) not in html


def test_a_lead_who_is_a_member_sees_the_family_name_of_that_case_only(
    client, lead, family_case, coordinator
) -> None:
    services.case_member_add(
        actor=coordinator, case=family_case, role=CaseRole.CASE_WORKER, user=lead
    )
    other = builders.case_with_members(coordinator=coordinator, name="familie Anders")
    client.force_login(lead)
    html = overview(client).content.decode()
    assert "familie Proef" in html
    assert reverse("cases:case_detail", args=[family_case.pk]) in html
    assert "familie Anders" not in html and str(other.pk) in html
    # The lead's own cases are also under "My cases".
    mine = client.get(reverse("cases:my_cases_list"))
    assert list(mine.context["cases"]) == [family_case]


def test_with_a_team_the_caseload_is_the_cases_a_colleague_of_the_team_works_on(
    client, organisation, make_user
) -> None:
    north = Team.objects.create(organisation=organisation, name="Noord")
    lead = make_user("tl-noord", role=Role.TEAM_LEAD)
    colleague, stranger = make_user("noord-hv"), make_user("zuid-hv")
    for user in (lead, colleague):
        user.team = north
        user.save()
    ours = builders.case_with_members(coordinator=colleague, name="familie Noord")
    builders.case_with_members(coordinator=stranger, name="familie Zuid")
    ended = builders.case_with_members(coordinator=stranger, name="familie Vroeger")
    services.case_member_add(actor=stranger, case=ended, role=CaseRole.CASE_WORKER, user=colleague)
    CaseMember.objects.filter(case=ended, user=colleague).update(
        start_date=dt.date(2020, 1, 1), end_date=dt.date(2021, 1, 1)
    )
    client.force_login(lead)
    response = overview(client)
    assert [row.case_id for row in response.context["caseload"].rows] == [ours.pk]
    assert "Noord" in response.content.decode()  # the team's name says what is shown


def test_cases_of_another_organisation_are_not_in_the_caseload(client, lead) -> None:
    elsewhere = builders.user("elders", organisation=Organisation.objects.create(name="Elders"))
    builders.case_with_members(coordinator=elsewhere, name="familie Elders")
    client.force_login(lead)
    assert overview(client).context["caseload"].rows == []


def test_closed_cases_only_under_their_stage(client, lead, coordinator) -> None:
    open_case = builders.case_with_members(coordinator=coordinator, name="familie Open")
    closed = builders.case_with_members(coordinator=coordinator, name="familie Dicht")
    Case.objects.filter(pk=closed.pk).update(status="closed")
    client.force_login(lead)
    caseload = overview(client).context["caseload"]
    assert [row.case_id for row in caseload.rows] == [open_case.pk]
    assert caseload.open_cases == 1
    assert {stage.code: stage.count for stage in caseload.stages}["closed"] == 1
    closed_only = overview(client, status="closed").context["caseload"]
    assert [row.case_id for row in closed_only.rows] == [closed.pk]
    # An unknown stage shows the open cases.
    assert overview(client, status="bogus").context["caseload"].status == ""


def test_reading_the_caseload_is_logged_once_per_page(client, lead, family_case) -> None:
    client.force_login(lead)
    overview(client)
    [event] = AuditEvent.objects.filter(user_id=lead.pk, object_type="caseload")
    assert (event.action, event.detail) == ("read", f"cases {family_case.pk}")


def test_the_caseload_is_paged_by_fifty(client, lead, coordinator) -> None:
    cases = [
        builders.case_with_members(coordinator=coordinator, name=f"familie {number}")
        for number in range(53)
    ]
    client.force_login(lead)
    first = overview(client)
    assert len(first.context["caseload"].rows) == 50
    assert first.context["caseload"].rows[0].case_id == cases[-1].pk  # newest first
    assert "page=2" in first.content.decode()
    second = overview(client, page=2).context["caseload"]
    assert [row.case_id for row in second.rows] == [case.pk for case in cases[2::-1]]


@pytest.mark.parametrize("role", [Role.PROFESSIONAL, Role.ADMIN, Role.AUDITOR])
def test_other_roles_do_not_find_the_caseload(client, make_user, family_case, role) -> None:
    client.force_login(make_user(f"geen-tl-{role}", role=role))
    response = overview(client)
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(object_type="caseload").exists()


def test_open_warnings_count_children_in_danger_and_decisions_past_review(
    client, lead, family_case, coordinator
) -> None:
    from kindveilig.assessment.models import SafetyAssessment
    from kindveilig.assessment.services.safety import safety_assessment_record

    lotte = family_case.persons.get(given_name="Lotte")

    def assess(adult: str, substantiation: str) -> SafetyAssessment:
        return safety_assessment_record(
            actor=coordinator,
            case=family_case,
            child_id=lotte.pk,
            alarm_signals=["mishandeling.letsel-zonder-ongeval"],
            responsible_adult_guarantees_safety=bool(adult),
            responsible_adult=adult,
            substantiation=substantiation,
        )

    def warnings():
        response = overview(client)
        [row] = response.context["caseload"].rows
        return (row.direct_danger, row.review_due), response.content.decode()

    def past_review(**which):
        yesterday = timezone.localdate() - dt.timedelta(days=1)
        SafetyAssessment.objects.filter(**which).update(review_on=yesterday)

    in_danger = assess("", "Letsel gezien door de huisarts.")
    client.force_login(lead)
    assert warnings()[0] == (1, 0)
    past_review(pk=in_danger.pk)
    # A newer assessment that is no longer direct danger replaces the old one.
    assess("Oma", "Kind woont bij oma.")
    assert warnings()[0] == (0, 0)
    past_review(case=family_case)
    counts, html = warnings()
    assert counts == (0, 1)
    assert "1 veiligheidsbeslissing voorbij de herzieningsdatum" in html
    assert "Letsel" not in html and "Oma" not in html  # numbers, never content
