from __future__ import annotations

from collections.abc import Callable
from typing import Any

from csp.constants import HEADER as CSP_HEADER
from csp.utils import build_policy
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.core.handlers.exception import convert_exception_to_response
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.module_loading import import_string


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
        if request.path.startswith(settings.API_PREFIX):
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


class BrowserMiddleware:
    """The middleware of a browser's visit (``settings.BROWSER_MIDDLEWARE``: the session, the
    login with its second factor, the idle timeout, messages, the required password change),
    which requests to the JSON API (``settings.API_PREFIX``) pass by.

    An API client authenticates every request with its bearer token (``api.auth``) and has no
    session: a session cookie sent along with an API request is not looked at, so it can
    neither log the request in nor be touched by it. Its user is anonymous until the token
    names it. The browser's middleware is chained here as Django chains it, each layer's
    exceptions turned into responses; the API's requests no longer pay for it (a fifth of
    an API read's time).
    """

    HOOKS = ("process_view", "process_exception", "process_template_response")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.api_prefix = str(settings.API_PREFIX)
        self.get_response = get_response
        chain: Callable[[HttpRequest], Any] = get_response
        for path in reversed(settings.BROWSER_MIDDLEWARE):
            layer = import_string(path)(chain)
            hooks = [hook for hook in self.HOOKS if hasattr(layer, hook)]
            if hooks:  # Django would not call them from here
                raise ImproperlyConfigured(f"{path} has {hooks}: list it in MIDDLEWARE")
            chain = convert_exception_to_response(layer)
        self.browser = chain

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith(self.api_prefix):
            request.user = AnonymousUser()  # until the bearer token names the user
            return self.get_response(request)
        return self.browser(request)
