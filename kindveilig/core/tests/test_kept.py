"""The layout's kept parts ({% kept %}, core.kept): rendered once per combination of what they
show, so each user sees their own name and role, in their language, with a CSRF token that
works for their own browser."""

import re

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.urls import reverse

from conftest import VerifiedClient
from kindveilig.accounts.models import Role
from kindveilig.core.kept import CSRF_PLACEHOLDER


def header(html: str) -> str:
    return html[html.index('<header class="kv-header">') : html.index("</header>")]


def test_each_user_sees_their_own_header_in_their_language(make_user) -> None:
    anna = make_user("anna")
    anna.first_name, anna.last_name = "Anna", "Jansen"
    anna.save()
    lead = make_user("lead", role=Role.TEAM_LEAD)
    lead.first_name = "Lisa"
    lead.save()
    first, second = VerifiedClient(), VerifiedClient()
    first.force_login(anna)
    second.force_login(lead)
    url = reverse("knowledge:index")
    own = header(first.get(url).content.decode())
    other = header(second.get(url).content.decode())
    assert "Anna Jansen" in own and "Lisa" not in own
    assert "Lisa" in other and "Anna" not in other
    assert "Caseload van het team" in other and "Caseload van het team" not in own
    assert "Noodtoegang" in own and "Noodtoegang" not in other  # by role
    # A renamed account shows at once; a language switch too.
    anna.first_name = "Annemarie"
    anna.save()
    assert "Annemarie Jansen" in header(first.get(url).content.decode())
    first.post(reverse("set_language"), {"language": "en", "next": url})
    english = header(first.get(url).content.decode())
    assert "Log out" in english and "Uitloggen" not in english


def test_the_kept_header_logs_out_with_this_browsers_token(coordinator) -> None:
    laptop = VerifiedClient(enforce_csrf_checks=True)
    phone = VerifiedClient(enforce_csrf_checks=True)
    laptop.force_login(coordinator)
    phone.force_login(coordinator)
    url = reverse("knowledge:index")
    laptop.get(url)  # renders and keeps the header
    html = phone.get(url).content.decode()
    assert CSRF_PLACEHOLDER not in html
    logout = header(html)[header(html).index(reverse("accounts:logout")) :]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', logout)[1]
    assert re.search(r'<meta name="csrf-token" content="([^"]+)"', html)[1] == token
    response = phone.post(reverse("accounts:logout"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert "_auth_user_id" not in phone.session
    assert laptop.get(url).wsgi_request.user == coordinator  # the other session lives on


def test_kept_needs_a_quoted_name_and_renders_plainly_outside_a_request() -> None:
    with pytest.raises(TemplateSyntaxError):
        Template("{% kept header %}x{% endkept %}")
    # A page's blocks are found without entering the kept parts: none may hide there.
    with pytest.raises(TemplateSyntaxError):
        Template('{% kept "part" %}{% block title %}x{% endblock %}{% endkept %}')
    rendered = Template('{% kept "part" name %}Hallo {{ name }}{% endkept %}').render(
        Context({"name": "Karin"})
    )
    assert rendered == "Hallo Karin"
