"""Security headers, a strict CSP, deploy checks, and no personal data in error pages or logs."""

import logging
import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import path, reverse

from kindveilig.core.logging import RedactingFormatter

PLANTED = "Zoë Plantjesdatum"


def test_pages_carry_a_strict_csp_and_security_headers(client, family_case, coordinator) -> None:
    client.force_login(coordinator)
    response = client.get(reverse("cases:case_detail", args=[family_case.pk]))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cache-Control"] == "no-store"
    assert "camera=()" in response["Permissions-Policy"]


@override_settings(
    CONTENT_SECURITY_POLICY={"DIRECTIVES": {"default-src": ["'self'"], "img-src": ["data:"]}}
)
def test_the_policy_is_the_one_of_the_settings_on_every_response(client) -> None:
    """Built once per process from the settings, set on pages, errors and the API alike."""
    for url in ("/", "/bestaat-niet/", "/api/v1/cases"):
        policy = client.get(url)["Content-Security-Policy"]
        # django-csp orders the directives as a set iterates (per process).
        assert set(policy.split("; ")) == {"default-src 'self'", "img-src data:"}


@pytest.mark.parametrize(
    "name",
    [
        "cases:my_cases",
        "cases:case_detail",
        "cases:case_edit",
        "knowledge:index",
        "accounts:security",
    ],
)
def test_rendered_pages_have_no_inline_scripts_or_styles(
    client, family_case, coordinator, name
) -> None:
    client.force_login(coordinator)
    kwargs = {"case_id": family_case.pk} if name.startswith("cases:case") else {}
    html = client.get(reverse(name, kwargs=kwargs)).content.decode()
    scripts = re.findall(r"<script(?P<attrs>[^>]*)>", html)
    assert scripts and all("src=" in attrs for attrs in scripts)
    assert "<style" not in html
    assert not re.search(r"\sstyle=", html)
    assert not re.search(r"\son[a-z]+=", html)


def test_production_settings_pass_the_deploy_check(tmp_path) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "KINDVEILIG_SECRET_KEY": "x" * 30 + "-production-test-secret-" + "y" * 30,
        "KINDVEILIG_AUDIT_KEY": "a" * 60,
        "KINDVEILIG_ALLOWED_HOSTS": "kindveilig.example.nl",
        "KINDVEILIG_DATA_DIR": str(tmp_path),
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests' conftest only
    result = subprocess.run(
        [sys.executable, "-m", "kindveilig.cli", "check", "--deploy"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_cookies_are_secure(monkeypatch) -> None:
    import importlib

    monkeypatch.setenv("KINDVEILIG_SECRET_KEY", "z" * 60)
    monkeypatch.setenv("KINDVEILIG_AUDIT_KEY", "a" * 60)
    sys.modules.pop("config.settings.production", None)
    production = importlib.import_module("config.settings.production")

    assert production.SESSION_COOKIE_SECURE and production.CSRF_COOKIE_SECURE
    assert production.SECURE_SSL_REDIRECT and production.SECURE_HSTS_SECONDS >= 31536000


def failing_view(request):
    raise ValueError(f"kon dossier van {PLANTED} niet laden")


urlpatterns = [path("stuk/", failing_view)]


@override_settings(ROOT_URLCONF=__name__)
def test_500_page_and_log_do_not_show_personal_data(client, caplog) -> None:
    client.raise_request_exception = False
    with caplog.at_level(logging.ERROR):
        response = client.get("/stuk/")
    assert response.status_code == 500
    assert PLANTED not in response.content.decode()
    assert "Er ging iets mis" in response.content.decode()

    formatter = RedactingFormatter("%(levelname)s %(name)s %(message)s")
    formatted = "\n".join(formatter.format(record) for record in caplog.records)
    assert "ValueError: [message withheld]" in formatted
    assert PLANTED not in formatted


def test_the_configured_log_formatter_is_the_redacting_one() -> None:
    plain = settings.LOGGING["formatters"]["plain"]
    assert plain["()"] == "kindveilig.core.logging.RedactingFormatter"
    handlers = [h for h in logging.getLogger().handlers if isinstance(h, logging.StreamHandler)]
    assert any(isinstance(h.formatter, RedactingFormatter) for h in handlers)
