"""The team around the family: the coordinator adds colleagues and external professionals,
changes roles and ends memberships; an ended member loses access at the next request; a case
always keeps a coordinator."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kindveilig.accounts.services import api_token_create
from kindveilig.audit.models import AuditEvent
from kindveilig.cases import services
from kindveilig.cases.models import CaseMember, CaseRole
from kindveilig.core.errors import NotPermitted


def member_of(case, user) -> CaseMember:
    return CaseMember.objects.current().get(case=case, user=user)


def test_an_ended_member_loses_access_at_the_next_request(client, family_case, coordinator) -> None:
    colleague = family_case.members.get(user__username="colleague").user
    client.force_login(colleague)
    assert client.get(reverse("cases:case_detail", args=[family_case.pk])).status_code == 200
    services.case_member_end(actor=coordinator, member=member_of(family_case, colleague))
    assert client.get(reverse("cases:case_detail", args=[family_case.pk])).status_code == 404
    ended = CaseMember.objects.get(case=family_case, user=colleague)
    assert ended.end_date is not None  # the membership's history stays
    event = AuditEvent.objects.filter(action="permission_change", object_type="case_member")
    assert event.latest("id").detail == f"end user={colleague.pk}"


def test_only_a_coordinator_manages_the_team(family_case, coordinator, make_user) -> None:
    colleague = family_case.members.get(user__username="colleague").user
    newcomer = make_user("nieuw")
    with pytest.raises(NotPermitted):
        services.case_member_add(
            actor=colleague, case=family_case, user=newcomer, role=CaseRole.CASE_WORKER
        )
    with pytest.raises(NotPermitted):
        services.case_member_end(actor=colleague, member=member_of(family_case, coordinator))
    assert not CaseMember.objects.filter(user=newcomer).exists()
    assert member_of(family_case, coordinator).end_date is None


def test_a_case_always_keeps_a_coordinator(family_case, coordinator) -> None:
    own = member_of(family_case, coordinator)
    with pytest.raises(ValidationError):
        services.case_member_end(actor=coordinator, member=own)
    with pytest.raises(ValidationError):
        services.case_member_change_role(
            actor=coordinator, member=own, role=CaseRole.CASE_WORKER, expected_version=own.version
        )
    colleague = member_of(family_case, family_case.members.get(user__username="colleague").user)
    promoted = services.case_member_change_role(
        actor=coordinator,
        member=colleague,
        role=CaseRole.COORDINATOR,
        expected_version=colleague.version,
    )
    assert promoted.role == "coordinator" and promoted.version == colleague.version + 1
    services.case_member_end(actor=coordinator, member=own)  # now someone else coordinates
    assert not CaseMember.objects.current().filter(case=family_case, user=coordinator).exists()


@pytest.mark.parametrize("role", ["admin", "auditor"])
def test_administrators_and_auditors_never_become_members(
    family_case, coordinator, make_user, role
) -> None:
    with pytest.raises(ValidationError) as refusal:
        services.case_member_add(
            actor=coordinator,
            case=family_case,
            user=make_user(f"x-{role}", role=role),
            role=CaseRole.CASE_WORKER,
        )
    assert "user" in refusal.value.message_dict


def test_a_colleague_of_another_organisation_is_refused(family_case, coordinator) -> None:
    from kindveilig.demo import builders

    elsewhere = builders.user("elders", organisation=builders.organisation("Andere organisatie"))
    with pytest.raises(ValidationError):
        services.case_member_add(
            actor=coordinator, case=family_case, user=elsewhere, role=CaseRole.CASE_WORKER
        )


def test_the_coordinator_adds_a_colleague_and_an_external_in_the_ui(
    client, family_case, coordinator, make_user
) -> None:
    newcomer = make_user("nieuw", role="behavioural_scientist")
    client.force_login(coordinator)
    url = reverse("cases:case_team", args=[family_case.pk])
    page = client.get(url).content.decode()
    assert "Een collega toevoegen" in page
    unknown = client.post(
        url,
        {
            "kind": "colleague",
            "colleague-username": "bestaat-niet",
            "colleague-role": "case_worker",
        },
    )
    assert unknown.context["colleague_form"].errors["username"]
    client.post(
        url,
        {
            "kind": "colleague",
            "colleague-username": newcomer.username,
            "colleague-role": "behavioural_scientist",
        },
    )
    assert member_of(family_case, newcomer).role == "behavioural_scientist"
    response = client.post(url, {"kind": "external", "external-name": ""})
    assert response.status_code == 200 and response.context["external_form"].errors["name"]
    client.post(
        url,
        {
            "kind": "external",
            "external-name": "mw. A. de Vries",
            "external-discipline": "leerkracht",
        },
    )
    external = CaseMember.objects.get(case=family_case, name="mw. A. de Vries")
    assert (external.role, external.user, external.discipline) == ("external", None, "leerkracht")


def test_a_member_who_is_not_coordinator_sees_the_team_but_no_forms(client, family_case) -> None:
    colleague = family_case.members.get(user__username="colleague").user
    client.force_login(colleague)
    page = client.get(reverse("cases:case_team", args=[family_case.pk])).content.decode()
    assert "coordinator" in page
    assert "Een collega toevoegen" not in page
    assert "Alleen de regievoerder van het dossier kan het team wijzigen." in page


def test_the_api_manages_members(client, family_case, coordinator, make_user) -> None:
    headers = {"Authorization": f"Bearer {api_token_create(user=coordinator)}"}
    base = f"/api/v1/cases/{family_case.pk}/members"
    newcomer = make_user("nieuw")
    created = client.post(
        base, {"user_id": newcomer.pk, "role": "case_worker"}, "application/json", headers=headers
    )
    assert created.status_code == 201 and created.json()["user_id"] == newcomer.pk
    member_id = created.json()["id"]
    listed = client.get(base, headers=headers).json()
    assert {member["name"] for member in listed} >= {"coordinator", "colleague", "nieuw"}
    changed = client.patch(
        f"{base}/{member_id}",
        {"role": "behavioural_scientist", "version": 1},
        "application/json",
        headers=headers,
    )
    assert changed.json()["role"] == "behavioural_scientist"
    stale = client.patch(
        f"{base}/{member_id}",
        {"role": "case_worker", "version": 1},
        "application/json",
        headers=headers,
    )
    assert stale.status_code == 409 and stale.json()["current"]["role"] == "behavioural_scientist"
    assert client.delete(f"{base}/{member_id}", headers=headers).status_code == 204
    assert not CaseMember.objects.current().filter(user=newcomer).exists()
    unknown = client.post(
        base, {"user_id": 999999, "role": "case_worker"}, "application/json", headers=headers
    )
    assert unknown.status_code == 422 and unknown.json()["detail"][0]["field"] == "user_id"


def test_a_non_coordinator_gets_a_403_with_the_reason_in_the_api(client, family_case) -> None:
    colleague = family_case.members.get(user__username="colleague").user
    headers = {"Authorization": f"Bearer {api_token_create(user=colleague)}"}
    response = client.post(
        f"/api/v1/cases/{family_case.pk}/members",
        {"name": "Iemand", "role": "external"},
        "application/json",
        headers=headers,
    )
    assert response.status_code == 403
    assert (
        response.json()["detail"] == "Alleen de regievoerder van het dossier kan het team wijzigen."
    )


def test_the_team_page_suggests_colleagues_of_the_own_team_only(
    client, family_case, coordinator, make_user
) -> None:
    from kindveilig.accounts.models import Team

    team = Team.objects.create(organisation=coordinator.organisation, name="Team Zuid")
    coordinator.team = team
    coordinator.save()
    same_team = make_user("zuid-collega")
    same_team.team = team
    same_team.save()
    make_user("andere-afdeling")
    client.force_login(coordinator)
    suggestions = client.get(reverse("cases:case_team", args=[family_case.pk])).context[
        "suggestions"
    ]
    assert [colleague.username for colleague in suggestions] == ["zuid-collega"]
