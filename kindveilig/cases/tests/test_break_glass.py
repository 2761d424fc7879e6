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
        reverse("cases:break_glass"), {"case_id": family_case.pk, "reason": REASON}
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
        reverse("cases:break_glass"), {"case_id": family_case.pk, "reason": "even kijken"}
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
