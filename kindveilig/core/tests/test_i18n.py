"""Dutch is the primary language: every UI string must have a Dutch translation."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
from django.conf import settings
from django.urls import reverse


def test_every_ui_string_has_a_dutch_translation(tmp_path) -> None:
    # Extract the strings from a copy of the code, so the test sees strings that were added
    # without running makemessages, and the repository itself is not touched.
    repo = Path(settings.BASE_DIR)
    work = tmp_path / "repo"
    for name in ("kindveilig", "config", "locale"):
        shutil.copytree(repo / name, work / name, ignore=shutil.ignore_patterns("__pycache__"))
    env = {
        **os.environ,
        "PYTHONPATH": str(work),
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "KINDVEILIG_DATA_DIR": str(tmp_path / "data"),
    }
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "nl", "-v", "0"],
        cwd=work,
        env=env,
        check=True,
    )
    catalogue = polib.pofile(str(work / "locale/nl/LC_MESSAGES/django.po"))
    missing = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert missing == [], f"untranslated: {missing}"
    assert fuzzy == [], f"fuzzy: {fuzzy}"


def test_pages_are_dutch_by_default_and_english_after_switching(client, make_user) -> None:
    client.force_login(make_user("taal"))
    assert "Mijn dossiers" in client.get(reverse("cases:my_cases")).content.decode()

    response = client.post(
        reverse("set_language"), {"language": "en", "next": reverse("cases:my_cases")}, follow=True
    )
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "My cases" in html and "Mijn dossiers" not in html


def test_browser_language_does_not_override_dutch(client, make_user) -> None:
    client.force_login(make_user("engelse-laptop"))
    response = client.get(reverse("cases:my_cases"), headers={"Accept-Language": "en-US,en"})
    assert "Mijn dossiers" in response.content.decode()


def test_api_clients_may_ask_for_english_messages(client, make_user) -> None:
    from kindveilig.accounts.services import api_token_create

    token = api_token_create(user=make_user("api-en"))
    response = client.post(
        "/api/v1/cases",
        data={"name": ""},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"},
    )
    assert response.json()["detail"][0]["message"] == "This field cannot be empty."
