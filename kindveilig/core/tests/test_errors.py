"""A service's refusal reads the same everywhere: a 403 with its translated reason."""

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.utils import translation

from kindveilig.core.errors import NotPermitted
from kindveilig.core.middleware import NotPermittedMiddleware


def refusing_view(request: HttpRequest) -> HttpResponse:
    raise NotPermitted("Alleen de regievoerder mag het team samenstellen.")


def test_the_ui_shows_a_refusal_as_a_403_page_with_its_reason(rf: RequestFactory, db) -> None:
    request = rf.get("/dossiers/1/team/")
    request.user = AnonymousUser()
    middleware = NotPermittedMiddleware(refusing_view)
    with translation.override("nl"):
        try:
            refusing_view(request)
        except NotPermitted as exc:
            response = middleware.process_exception(request, exc)
    assert response is not None and response.status_code == 403
    page = response.content.decode()
    assert "Niet toegestaan" in page
    assert "Alleen de regievoerder mag het team samenstellen." in page


def test_other_exceptions_pass_through(rf: RequestFactory) -> None:
    middleware = NotPermittedMiddleware(refusing_view)
    assert middleware.process_exception(rf.get("/"), ValueError("x")) is None
