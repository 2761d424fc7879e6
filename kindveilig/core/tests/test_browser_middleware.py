"""The browser's middleware (session, login, second factor, idle timeout, messages) runs for
pages and not for the JSON API, whose requests carry a bearer token (core.middleware)."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from django.urls import reverse

from kindveilig.accounts.services import api_token_create
from kindveilig.core.middleware import BrowserMiddleware


def test_a_browser_session_neither_opens_nor_touches_the_api(
    client, family_case, coordinator
) -> None:
    client.force_login(coordinator)
    page = client.get(reverse("cases:case_detail", args=[family_case.pk]))
    assert page.status_code == 200 and page.wsgi_request.user == coordinator
    session_before = dict(client.session)

    refused = client.get(f"/api/v1/cases/{family_case.pk}")
    assert refused.status_code == 401
    assert refused.wsgi_request.user.is_anonymous
    assert not hasattr(refused.wsgi_request, "session")
    assert "sessionid" not in refused.cookies  # the session was not refreshed or ended
    assert dict(client.session) == session_before

    token = api_token_create(user=coordinator)
    answered = client.get(
        f"/api/v1/cases/{family_case.pk}", headers={"Authorization": f"Bearer {token}"}
    )
    assert answered.json()["name"] == family_case.name
    assert answered.wsgi_request.user == coordinator


@override_settings(BROWSER_MIDDLEWARE=["django.middleware.csrf.CsrfViewMiddleware"])
def test_middleware_django_must_call_from_the_handler_is_refused() -> None:
    with pytest.raises(ImproperlyConfigured, match="process_view"):
        BrowserMiddleware(lambda request: None)  # type: ignore[arg-type,return-value]
