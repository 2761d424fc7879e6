"""The pages about Kindveilig itself (privacy, help), the footer and the favicon."""

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse

from kindveilig.core.context_processors import kindveilig_version


@pytest.mark.parametrize("name", ["core:privacy", "core:help"])
def test_privacy_and_help_are_open_before_logging_in(client, db, name) -> None:
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "nl"


def test_privacy_says_what_is_kept_who_sees_it_the_log_and_how_long(client, db) -> None:
    html = client.get(reverse("core:privacy")).content.decode()
    for heading in ("privacy-what", "privacy-who", "privacy-log", "privacy-how-long"):
        assert f'id="{heading}"' in html
    assert "NEN 7513" in html and "Jeugdwet" in html
    assert f" {settings.KINDVEILIG_BREAK_GLASS_HOURS} " in html


def test_help_explains_logging_in_and_whom_to_ask(client, db) -> None:
    html = client.get(reverse("core:help")).content.decode()
    assert 'id="help-login"' in html and 'id="help-contact"' in html
    assert f" {settings.KINDVEILIG_IDLE_TIMEOUT_MINUTES} " in html
    assert f" {settings.KINDVEILIG_ONE_TIME_PASSWORD_HOURS} " in html
    assert "0800 2000" in html  # Veilig Thuis


def test_help_and_privacy_stay_open_while_a_new_password_is_required(client, coordinator) -> None:
    coordinator.must_change_password = True
    coordinator.save(update_fields=["must_change_password"])
    client.force_login(coordinator)
    assert client.get(reverse("cases:my_cases")).status_code == 302
    assert client.get(reverse("core:help")).status_code == 200
    assert client.get(reverse("core:privacy")).status_code == 200


def test_every_page_has_the_favicon_and_a_footer_with_version_privacy_and_help(client, db):
    html = client.get(reverse("accounts:login")).content.decode()
    assert 'rel="icon"' in html and "kindveilig/favicon.svg" in html
    assert finders.find("kindveilig/favicon.svg")
    assert reverse("core:privacy") in html and reverse("core:help") in html
    assert kindveilig_version() in html and kindveilig_version() != "0+unknown"


def test_the_first_field_of_the_login_and_code_pages_has_the_focus(client, db) -> None:
    login = client.get(reverse("accounts:login")).content.decode()
    assert login.count("autofocus") == 1
    assert 'id="id_username"' in login.split("autofocus")[0].rsplit("<input", 1)[1]
    from kindveilig.accounts.views import CodeForm, ReauthenticationForm

    assert "autofocus" in str(CodeForm()["code"])
    reauthentication = ReauthenticationForm()
    assert "autofocus" in str(reauthentication["password"])
    assert "autofocus" not in str(reauthentication["code"])
