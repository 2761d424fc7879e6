"""Rendered HTML kept in the web process's memory, to be shown again while what it shows is
unchanged: the case page's body (``cases.pagecache``) and the layout's header and footer
(``{% kept %}``, ``core.templatetags.kv``).

Kept per process and in memory only (``CACHES``), never on disk or in a shared service: it may
hold personal data. The caller's key must name everything the HTML depends on. The one thing
that differs per browser, the CSRF token, is rendered as a placeholder and replaced by the
requesting browser's own token each time.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Iterable

from django.core.cache import caches
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.utils.safestring import SafeString

# Unguessable per process, so no text typed into a case can pose as it.
CSRF_PLACEHOLDER = f"kvcsrf{secrets.token_hex(16)}"


def kept_value(
    cache_alias: str, key_parts: Iterable[object] | None, produce: Callable[[], str]
) -> str:
    """The text kept under ``key_parts``, or ``produce()`` kept now; ``None`` for key parts
    means that it must not be kept (``produce()`` each time)."""
    if key_parts is None:
        return produce()
    cache = caches[cache_alias]
    key = "kept:" + hashlib.sha256(repr(tuple(key_parts)).encode()).hexdigest()
    value: str | None = cache.get(key)
    if value is None:
        value = produce()
        cache.set(key, value)
    return value


def kept_html(
    request: HttpRequest,
    cache_alias: str,
    key_parts: Iterable[object] | None,
    render: Callable[[str], str],
) -> SafeString:
    """The HTML kept under ``key_parts``, or ``render(CSRF_PLACEHOLDER)`` kept now; with the
    placeholder replaced by this request's CSRF token. ``render`` must render the placeholder
    wherever the CSRF token goes (the ``csrf_token`` context variable)."""

    def produce() -> str:
        # Kept parts inside this one (the layout's header in a kept page) give the placeholder
        # too, so that no browser's token is kept; the outermost part puts the token in.
        before = getattr(request, _KEPT_CSRF_ATTRIBUTE, None)
        setattr(request, _KEPT_CSRF_ATTRIBUTE, CSRF_PLACEHOLDER)
        try:
            return render(CSRF_PLACEHOLDER)
        finally:
            if before is None:
                delattr(request, _KEPT_CSRF_ATTRIBUTE)
            else:
                setattr(request, _KEPT_CSRF_ATTRIBUTE, before)

    html = kept_value(cache_alias, key_parts, produce)
    # Rendered by our templates, which escaped every value.
    return SafeString(html.replace(CSRF_PLACEHOLDER, _token(request)))


_KEPT_CSRF_ATTRIBUTE = "_kept_csrf_token"


def _token(request: HttpRequest) -> str:
    """One masked CSRF token for all the kept parts of a response (masking a new one takes 32
    random choices from the system's source)."""
    token: str | None = getattr(request, _KEPT_CSRF_ATTRIBUTE, None)
    if token is None:
        token = get_token(request)
        setattr(request, _KEPT_CSRF_ATTRIBUTE, token)
    return token
