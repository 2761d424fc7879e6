"""Four-eyes approval: only a behavioural scientist who is a member of the case decides, never
on their own work, always on the current version; a return needs a comment; a refusal is a 403
and logged; the page offers the form only to whoever may decide."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kindveilig.accounts.models import Role
from kindveilig.accounts.services import api_token_create
from kindveilig.approvals.models import Approval
from kindveilig.approvals.selectors import approval_state, awaiting_approval
from kindveilig.approvals.services import approval_decide
from kindveilig.assessment.models import RiskAssessment, SafetyAssessment
from kindveilig.assessment.services.conclusion import conclusion_save
from kindveilig.assessment.services.safety import safety_assessment_record
from kindveilig.audit.models import AuditEvent
from kindveilig.core.errors import NotPermitted
from kindveilig.demo import builders


@pytest.fixture
def scientist(make_user):
    return make_user("gedragswetenschapper", role=Role.BEHAVIOURAL_SCIENTIST)


@pytest.fixture
def family(coordinator, scientist):
    return builders.family(
        coordinator=coordinator,
        name="familie Goedkeuring",
        members=[(scientist, "behavioural_scientist")],
        persons=[builders.PersonSpec("child", "Fien", "Goedkeuring", dt.date(2015, 2, 2))],
    )


@pytest.fixture
def safety(family, coordinator):
    return SafetyAssessment.objects.create(
        case=family,
        child=family.persons.get(),
        assessed_by=coordinator,
        decision="no_direct_danger",
    )


def decide(actor, case, subject, subject_type="safety_assessment", **kwargs):
    values = {"subject_version": 1, "decision": "approved", "comment": "", **kwargs}
    return approval_decide(
        actor=actor, case=case, subject_type=subject_type, subject_id=subject.pk, **values
    )


def test_a_behavioural_scientist_member_approves_anothers_work(family, safety, scientist) -> None:
    assert approval_state("safety_assessment", safety) == ("awaiting", None)
    assert [s.record for s in awaiting_approval(family)] == [safety]
    approval = decide(scientist, family, safety, comment="Goed onderbouwd")
    assert approval_state("safety_assessment", safety) == ("approved", approval)
    assert awaiting_approval(family) == []
    assert AuditEvent.objects.filter(
        object_type="approval", action="create", object_id=str(approval.pk)
    ).exists()


def test_a_return_needs_a_comment(family, safety, scientist) -> None:
    with pytest.raises(ValidationError) as refusal:
        decide(scientist, family, safety, decision="returned", comment="  ")
    assert set(refusal.value.message_dict) == {"comment"}
    assert not Approval.objects.exists()
    returned = decide(scientist, family, safety, decision="returned", comment="Bron ontbreekt")
    assert approval_state("safety_assessment", safety) == ("returned", returned)


def test_a_professional_is_refused(family, safety, coordinator) -> None:
    with pytest.raises(NotPermitted):
        decide(coordinator, family, safety)
    assert not Approval.objects.exists()


def test_nobody_approves_their_own_work(family, scientist, coordinator) -> None:
    own = RiskAssessment.objects.create(case=family, assessed_by=scientist)
    with pytest.raises(NotPermitted):
        decide(scientist, family, own, subject_type="risk_assessment")
    conclusion_save(actor=coordinator, case=family, expected_version=0, summary="A", sources="")
    conclusion = conclusion_save(
        actor=scientist, case=family, expected_version=1, summary="B", sources=""
    )
    with pytest.raises(NotPermitted):
        decide(scientist, family, conclusion, subject_type="conclusion", subject_version=2)


def test_a_non_member_scientist_is_refused(family, safety, make_user) -> None:
    stranger = make_user("vreemde-gw", role=Role.BEHAVIOURAL_SCIENTIST)
    with pytest.raises(NotPermitted):
        decide(stranger, family, safety)


def test_a_changed_conclusion_awaits_approval_again(family, coordinator, scientist) -> None:
    assert awaiting_approval(family) == []  # no conclusion yet
    conclusion = conclusion_save(
        actor=coordinator, case=family, expected_version=0, summary="Beeld", sources=""
    )
    decide(scientist, family, conclusion, subject_type="conclusion")
    assert approval_state("conclusion", conclusion)[0] == "approved"
    changed = conclusion_save(
        actor=coordinator, case=family, expected_version=1, summary="Beeld 2", sources=""
    )
    assert approval_state("conclusion", changed) == ("awaiting", None)
    assert [s.record for s in awaiting_approval(family)] == [changed]
    with pytest.raises(ValidationError) as stale:
        decide(scientist, family, changed, subject_type="conclusion", subject_version=1)
    assert "subject_version" in stale.value.message_dict


def test_a_reassessment_needs_its_own_approval(family, safety, scientist, coordinator) -> None:
    decide(scientist, family, safety)
    newer = safety_assessment_record(
        actor=coordinator,
        case=family,
        child_id=safety.child_id,
        alarm_signals=[],
        responsible_adult_guarantees_safety=False,
        substantiation="Opnieuw gezien",
    )
    assert [s.record for s in awaiting_approval(family)] == [newer]
    with pytest.raises(ValidationError) as old:
        decide(scientist, family, safety)
    assert "subject_id" in old.value.message_dict


def api(client, user, case, **body):
    headers = {"Authorization": f"Bearer {api_token_create(user=user)}", "Accept-Language": "en"}
    url = f"/api/v1/cases/{case.pk}/approvals"
    if body:
        return client.post(url, body, "application/json", headers=headers)
    return client.get(url, headers=headers)


def test_the_api_decides_and_lists(client, family, safety, scientist, coordinator, outsider):
    body = {"subject_type": "safety_assessment", "subject_id": safety.pk, "subject_version": 1}
    refused = api(client, coordinator, family, **body, decision="approved")
    assert refused.status_code == 403
    assert "behavioural scientist" in refused.json()["detail"]
    denied = AuditEvent.objects.filter(action="access_denied", object_type="approval")
    assert denied.filter(user_id=coordinator.pk, case_id=family.pk).exists()
    assert api(client, outsider, family, **body, decision="approved").status_code == 404
    wrong = api(client, scientist, family, **body, decision="returned")
    assert wrong.status_code == 422
    assert [e["field"] for e in wrong.json()["detail"]] == ["comment"]
    made = api(client, scientist, family, **body, decision="approved", comment="Akkoord")
    assert made.status_code == 201, made.content
    assert made.json()["decided_by_id"] == scientist.pk
    listed = api(client, coordinator, family).json()
    assert [a["comment"] for a in listed] == ["Akkoord"]


def test_the_page_offers_the_form_only_to_whoever_may_decide(
    client, family, safety, scientist, coordinator
) -> None:
    url = reverse("approvals:approvals", args=[family.pk])
    client.force_login(coordinator)
    page = client.get(url).content.decode()
    assert 'data-testid="approval-form"' not in page and 'data-testid="cannot-decide"' in page
    refused = client.post(
        url,
        {
            "form_prefix": f"safety_assessment-{safety.pk}",
            f"safety_assessment-{safety.pk}-subject_type": "safety_assessment",
            f"safety_assessment-{safety.pk}-subject_id": safety.pk,
            f"safety_assessment-{safety.pk}-subject_version": 1,
            f"safety_assessment-{safety.pk}-decision": "approved",
        },
    )
    assert refused.status_code == 403 and not Approval.objects.exists()
    client.force_login(scientist)
    page = client.get(url).content.decode()
    assert 'data-testid="approval-form"' in page and 'data-status="awaiting"' in page
    prefix = f"safety_assessment-{safety.pk}"
    data = {
        "form_prefix": prefix,
        f"{prefix}-subject_type": "safety_assessment",
        f"{prefix}-subject_id": safety.pk,
        f"{prefix}-subject_version": 1,
        f"{prefix}-decision": "returned",
    }
    missing = client.post(url, data)
    assert missing.status_code == 200 and not Approval.objects.exists()
    done = client.post(url, {**data, f"{prefix}-comment": "Onderbouwing aanvullen"})
    assert done.status_code == 302
    page = client.get(url).content.decode()
    assert 'data-status="returned"' in page and "Onderbouwing aanvullen" in page


def test_non_members_get_404(client, family, outsider) -> None:
    client.force_login(outsider)
    assert client.get(reverse("approvals:approvals", args=[family.pk])).status_code == 404
