import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from kindveilig.audit.models import AuditEvent
from kindveilig.cases import services
from kindveilig.cases.models import BreakGlassAccess
from kindveilig.core.errors import NotPermitted

REASON = "Politie belt: kind alleen thuis aangetroffen, regievoerder onbereikbaar."


def test_non_member_gets_time_limited_logged_access_with_a_reason(
    client, family_case, outsider
) -> None:
    client.force_login(outsider)
    response = client.post(
        reverse("cases:break_glass"),
        {"case_id": family_case.pk, "reason": REASON, "reason_category": "urgent_information"},
    )
    assert response["Location"] == reverse("cases:case_detail", args=[family_case.pk])

    page = client.get(response["Location"])
    assert "Lotte Proef" in page.content.decode()
    assert page.context["break_glass"] is not None
    access = BreakGlassAccess.objects.get(user=outsider)
    assert (
        dt.timedelta(hours=3, minutes=59)
        < access.expires_at - access.started_at
        <= dt.timedelta(hours=4)
    )
    event = AuditEvent.objects.get(action="break_glass", user_id=outsider.pk)
    assert (event.case_id, event.detail) == (family_case.pk, REASON)
    read = AuditEvent.objects.filter(action="read", user_id=outsider.pk).latest("id")
    assert read.detail == "via break-the-glass"


def test_access_ends_when_the_time_is_up(client, family_case, outsider) -> None:
    access = services.break_glass_open(actor=outsider, case_id=family_case.pk, reason=REASON)
    BreakGlassAccess.objects.filter(pk=access.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    client.force_login(outsider)
    assert client.get(reverse("cases:case_detail", args=[family_case.pk])).status_code == 404


def test_a_reason_is_required(client, family_case, outsider) -> None:
    client.force_login(outsider)
    response = client.post(
        reverse("cases:break_glass"),
        {"case_id": family_case.pk, "reason": "even kijken", "reason_category": "acute_danger"},
    )
    assert response.context["form"].errors["reason"]
    assert not BreakGlassAccess.objects.exists()


@pytest.mark.parametrize("role", ["team_lead", "admin", "auditor"])
def test_roles_without_case_work_cannot_break_the_glass(family_case, make_user, role) -> None:
    with pytest.raises(NotPermitted):
        services.break_glass_open(
            actor=make_user(f"r-{role}", role=role), case_id=family_case.pk, reason=REASON
        )
    assert not BreakGlassAccess.objects.exists()


def test_auditor_report_lists_the_access(client, family_case, outsider, make_user) -> None:
    services.break_glass_open(actor=outsider, case_id=family_case.pk, reason=REASON)
    client.force_login(make_user("privacy", role="auditor"))
    accesses = client.get(reverse("oversight:break_glass_report")).context["accesses"]
    assert [(a.user, a.case_id, a.reason) for a in accesses] == [(outsider, family_case.pk, REASON)]


def test_professionals_of_another_organisation_are_refused_unless_it_cooperates(
    client, family_case, coordinator
) -> None:
    from django.core.management import call_command

    from kindveilig.demo import builders

    veilig_thuis = builders.organisation("Veilig Thuis Regio")
    stranger = builders.user("vt-onderzoeker", organisation=veilig_thuis)
    client.force_login(stranger)
    data = {"case_id": family_case.pk, "reason": REASON, "reason_category": "acute_danger"}
    refused = client.post(reverse("cases:break_glass"), data)
    missing = client.post(reverse("cases:break_glass"), {**data, "case_id": 999_999})
    # The same answer for a case elsewhere and for no case at all: existence is not revealed.
    assert refused.context["form"].non_field_errors() == missing.context["form"].non_field_errors()
    assert not BreakGlassAccess.objects.exists()
    assert AuditEvent.objects.filter(user_id=stranger.pk, action="access_denied").count() == 2

    call_command("breakglass", "allow", family_case.organisation.name, "Veilig Thuis Regio")
    allowed = client.post(reverse("cases:break_glass"), data)
    assert allowed["Location"] == reverse("cases:case_detail", args=[family_case.pk])
    assert BreakGlassAccess.objects.get().user == stranger


def test_a_member_cannot_break_the_glass_on_her_own_case(family_case, coordinator) -> None:
    with pytest.raises(NotPermitted, match="Mijn dossiers"):
        services.break_glass_open(actor=coordinator, case_id=family_case.pk, reason=REASON)
    assert not BreakGlassAccess.objects.exists()


def test_emergency_access_reads_only_unless_the_danger_is_acute(
    client, family_case, outsider
) -> None:
    from kindveilig.cases.models import Case

    services.break_glass_open(actor=outsider, case_id=family_case.pk, reason=REASON)
    client.force_login(outsider)
    assert client.get(reverse("cases:case_detail", args=[family_case.pk])).status_code == 200
    edit = {
        "name": "veranderd",
        "legal_context": "voluntary",
        "reason_for_concern": "",
        "version": 1,
    }
    refused = client.post(reverse("cases:case_edit", args=[family_case.pk]), edit)
    assert refused.status_code == 403
    assert "alleen om te lezen" in refused.content.decode()
    assert Case.objects.get(pk=family_case.pk).name == "familie Proef"

    services.break_glass_open(
        actor=outsider, case_id=family_case.pk, reason=REASON, reason_category="acute_danger"
    )
    client.post(reverse("cases:case_edit", args=[family_case.pk]), edit)
    assert Case.objects.get(pk=family_case.pk).name == "veranderd"


def test_the_auditor_reviews_each_access_with_a_comment(
    client, family_case, outsider, make_user
) -> None:
    access = services.break_glass_open(actor=outsider, case_id=family_case.pk, reason=REASON)
    auditor = make_user("privacy", role="auditor")
    client.force_login(auditor)
    page = client.get(reverse("oversight:break_glass_report"))
    assert page.context["unreviewed"] == 1
    url = reverse("oversight:break_glass_review", args=[access.pk])
    client.post(url, {"comment": ""})
    access.refresh_from_db()
    assert access.reviewed_at is None
    client.post(url, {"comment": "Gebeld met regievoerder: terecht, politie-inzet."})
    access.refresh_from_db()
    assert (access.reviewed_by, access.review_comment) == (
        auditor,
        "Gebeld met regievoerder: terecht, politie-inzet.",
    )
    assert client.get(reverse("oversight:break_glass_report")).context["unreviewed"] == 0
    event = AuditEvent.objects.get(user_id=auditor.pk, object_type="break_glass_access")
    assert (event.action, event.case_id) == ("update", family_case.pk)
