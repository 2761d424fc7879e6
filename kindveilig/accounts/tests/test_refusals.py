"""A service's refusal reads the same everywhere: a 403 with its translated reason, logged as
a denied access."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from kindveilig.accounts.middleware import NotPermittedMiddleware
from kindveilig.audit.models import AuditEvent
from kindveilig.cases.models import Case
from kindveilig.core.errors import NotPermitted


def refusing_view(request: HttpRequest) -> HttpResponse:
    raise NotPermitted("Alleen de regievoerder mag het team samenstellen.", case_id=7)


def test_the_ui_shows_a_refusal_as_a_403_page_with_its_reason(rf: RequestFactory, db) -> None:
    request = rf.get("/dossiers/7/team/")
    request.user = AnonymousUser()
    middleware = NotPermittedMiddleware(refusing_view)
    with translation.override("nl"), pytest.raises(NotPermitted) as refusal:
        refusing_view(request)
    response = middleware.process_exception(request, refusal.value)
    assert response is not None and response.status_code == 403
    page = response.content.decode()
    assert "Niet toegestaan" in page
    assert "Alleen de regievoerder mag het team samenstellen." in page
    event = AuditEvent.objects.get(action="access_denied")
    assert (event.object_type, event.case_id) == ("case", 7)


def test_other_exceptions_pass_through(rf: RequestFactory) -> None:
    middleware = NotPermittedMiddleware(refusing_view)
    assert middleware.process_exception(rf.get("/"), ValueError("x")) is None


def test_a_team_lead_opening_a_case_gets_the_reason_and_leaves_a_trace(client, make_user) -> None:
    team_lead = make_user("teamlead", role="team_lead")
    client.force_login(team_lead)
    response = client.post(
        reverse("cases:case_create"), {"name": "familie X", "legal_context": "voluntary"}
    )
    assert response.status_code == 403
    assert "Met uw rol kunt u geen dossiers openen." in response.content.decode()
    assert not Case.objects.exists()
    event = AuditEvent.objects.get(user_id=team_lead.pk, action="access_denied")
    assert (event.object_type, event.detail) == ("case", "role team_lead")


def test_the_api_refusal_is_logged_too(client, make_user) -> None:
    from kindveilig.accounts.services import api_token_create

    auditor = make_user("privacy", role="auditor")
    token = api_token_create(user=auditor)
    response = client.post(
        "/api/v1/cases",
        data={"name": "familie X"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 403
    assert AuditEvent.objects.filter(user_id=auditor.pk, action="access_denied").count() == 1
