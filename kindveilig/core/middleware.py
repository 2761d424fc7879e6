from __future__ import annotations

from collections.abc import Callable

from csp.constants import HEADER as CSP_HEADER
from csp.utils import build_policy
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers


class LanguageMiddleware:
    """Dutch unless the user chose otherwise.

    Django's LocaleMiddleware follows the browser's Accept-Language, which would show an
    English UI to a Dutch professional whose laptop happens to be set to English. Here the
    language is the one chosen with the language switch (cookie), else Dutch. API clients, who
    carry no cookie, may ask for a language with Accept-Language.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = self._language_for(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie", "Accept-Language"))
        response.headers.setdefault("Content-Language", language)
        return response

    def _language_for(self, request: HttpRequest) -> str:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen in self.supported:
            return str(chosen)
        if request.path.startswith("/api/"):
            accepted = translation.get_language_from_request(request)
            if accepted in self.supported:
                return accepted
        return str(settings.LANGUAGE_CODE)


class SecurityHeadersMiddleware:
    """Headers Django does not set itself: no browser features we do not use, and no caching
    of pages with case data (a shared or lost laptop must not keep them)."""

    PERMISSIONS_POLICY = (
        "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
    )

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.PERMISSIONS_POLICY)
        if not request.path.startswith(settings.STATIC_URL):
            response.headers["Cache-Control"] = "no-store"
        return response


class ContentSecurityPolicyMiddleware:
    """The Content-Security-Policy of ``settings.CONTENT_SECURITY_POLICY``, built once.

    django-csp's middleware builds the header anew for every response, for per-view changes
    and nonces; we use neither (no inline script or style anywhere), so the policy is the same
    for every response. The header is django-csp's own (its settings format and builder),
    built when the process starts instead of ~0.1 ms per request. As django-csp does, Django's
    technical 404 and 500 pages (DEBUG only, with inline styles) go without it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = build_policy()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if settings.DEBUG and response.status_code in (404, 500):
            return response
        if self.policy:
            response.headers.setdefault(CSP_HEADER, self.policy)
        return response
