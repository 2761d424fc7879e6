"""A case page's body (and the API's answer about a case) rendered once per change of the
case, per user, language and day.

Rendering a case page (the family, the workspace's facts, the method's next steps) costs
most of a request; the data behind it changes rarely compared with how often it is read. The
body is therefore kept, per web process and in memory only (never on disk or in a shared
service: it holds personal data), under a key that changes whenever what it shows may have:

- the case's **change stamp**: the number of audit events that changed the case's data or who
  may see it (``audit.selectors.case_write_count_of``; the door reads it with the case). Every
  write of case data is audited in its own transaction (PRODUCT §7), and the log is
  append-only, so a committed change always gives a new number. The stamp is read before the
  rest of the data, so a body is never kept under a newer stamp than the data it shows; and
  nothing is kept while a transaction is open (its writes could still be rolled back).
- the case's id and creation time (an id is never shown for another case's page), the user
  (what they may do, their drafts), the language and the day (ages, overdue reviews).

What is not the case's own data (a colleague's name, an organisation's name, a user's role)
follows within the cache's timeout (``CACHES["pages"]``, 5 minutes). Access is not part of
it: the door (``access_case``) is passed and the read audited on every request before the
body is looked up, so a kept body is only ever shown to whom the door lets in now.

The CSRF token differs per browser: the body is kept with a placeholder that is replaced by
the requesting browser's token each time (``core.kept``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.contrib.messages import get_messages
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from ninja import Schema
from ninja.responses import NinjaJSONEncoder

from kindveilig.cases.models import Case
from kindveilig.core.kept import kept_html, kept_value

PAGES_CACHE = "pages"


def page_key(request: HttpRequest, case: Case, name: str) -> tuple[object, ...] | None:
    """What a kept page or answer of ``case`` depends on; None when it must not be kept.
    ``case.change_stamp`` is read by the door (``access_case``): a case that did not pass it
    has none, and its page cannot be kept."""
    if _inside_a_transaction():
        return None
    return (
        name,
        case.pk,
        case.created_at.isoformat(),
        case.change_stamp,  # type: ignore[attr-defined]
        request.user.pk,
        get_language(),
        timezone.localdate().isoformat(),
    )


def _inside_a_transaction() -> bool:
    """Within a transaction the stamp counts writes that may still be rolled back; the next
    committed write would then bring the same number with other data. (A test's own
    transaction, which Django marks, does not count.)"""
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


def case_page_body(
    request: HttpRequest,
    case: Case,
    template_name: str,
    build_context: Callable[[], dict[str, Any]],
) -> SafeString:
    """The body of ``template_name`` for ``case``, rendered from ``build_context()`` only
    when no body is kept for this state of the case. Call after the door (``access_case``)."""
    key = page_key(request, case, template_name)
    return _kept_render(request, key, template_name, build_context)


def case_page(
    request: HttpRequest,
    case: Case,
    template_name: str,
    build_context: Callable[[], dict[str, Any]],
) -> HttpResponse:
    """The whole page of ``template_name`` for ``case`` (the layout included), kept like a
    body and additionally per path (the language switch returns to it) and per what the
    layout shows of the user (name and role). Not kept while messages wait to be shown, nor
    for a case opened through emergency access (its banner shows the access's end time).
    ``build_context`` may call ``case_page_body``. Call after the door."""
    key = page_key(request, case, template_name)
    waiting = len(get_messages(request))
    if key is None or waiting or case.entered_via_break_glass:
        key = None
    else:
        user: Any = request.user
        key = (*key, request.get_full_path(), user.username, user.get_full_name(), user.role)
    return HttpResponse(_kept_render(request, key, template_name, build_context))


def _kept_render(
    request: HttpRequest,
    key: tuple[object, ...] | None,
    template_name: str,
    build_context: Callable[[], dict[str, Any]],
) -> SafeString:
    def render(csrf_token: str) -> str:
        context = {**build_context(), "csrf_token": csrf_token}
        return render_to_string(template_name, context, request=request)

    return kept_html(request, PAGES_CACHE, key, render)


def case_json(
    request: HttpRequest,
    case: Case,
    name: str,
    schema: type[Schema],
    build: Callable[[], dict[str, Any]],
) -> HttpResponse:
    """An API answer about ``case`` as ``schema`` validates and serialises it (as django-ninja
    does), built from ``build()`` only when none is kept for this state of the case. Call after
    the door."""

    def render() -> str:
        return json.dumps(schema.model_validate(build()).model_dump(), cls=NinjaJSONEncoder)

    content = kept_value(PAGES_CACHE, page_key(request, case, name), render)
    return HttpResponse(content, content_type="application/json; charset=utf-8")
