import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext

from kindveilig.demo.data import load_demo
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e


def test_demo_user_logs_in_opens_familie_demo_and_switches_language(page, transactional_db):
    load_demo(today=timezone.localdate())

    page.goto("/")
    assert "/account/inloggen/" in page.url
    # The cursor is in the first field of the login page and of the code page.
    assert page.evaluate("document.activeElement.id") == "id_username"
    log_in(page, "hulpverlener")

    page.get_by_role("heading", name="Mijn dossiers").wait_for()
    page.get_by_role("link", name="familie Demo").click()

    page.get_by_role("heading", name="familie Demo").wait_for()
    family = page.get_by_test_id("family")
    assert "Sanne Demo" in family.inner_text() and "Daan Demo" in family.inner_text()
    assert "Rianne Regie" in page.get_by_test_id("professionals").inner_text()
    assert page.locator("html").get_attribute("lang") == "nl"

    page.get_by_test_id("language-en").click()
    page.get_by_role("heading", name="Professionals involved").wait_for()
    assert page.locator("html").get_attribute("lang") == "en"
    assert "familie Demo" in page.title()

    # The skip link is the first thing a keyboard user reaches and leads to the main content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#main"


def test_non_member_cannot_open_the_case_in_the_browser(page, transactional_db):
    case = load_demo(today=timezone.localdate())
    page.goto("/account/inloggen/")
    log_in(page, "teamleider")
    # The team lead lands on the team's caseload: the case by its number, not the family.
    with translation.override("nl"):
        caseload = gettext("Team caseload")
    page.get_by_role("heading", name=caseload).wait_for()
    rows = page.get_by_test_id("caseload").get_by_role("row")
    assert rows.filter(has=page.get_by_role("cell", name=str(case.pk), exact=True)).count() == 1
    assert page.get_by_role("link", name="familie Demo").count() == 0
    assert "familie Demo" not in page.content() and "Sanne" not in page.content()

    response = page.goto(f"/dossiers/{case.pk}/")
    assert response.status == 404
    assert "Sanne" not in page.content()


def test_typed_text_survives_a_closed_tab_as_a_draft(page, browser, live_server, transactional_db):
    case = load_demo(today=timezone.localdate())
    page.goto("/account/inloggen/")
    log_in(page, "regievoerder")
    page.goto(f"/dossiers/{case.pk}/bewerken/")
    page.get_by_label("Aanleiding en zorgen").fill("Juf meldt: Sanne huilt vaak in de klas.")
    page.get_by_test_id("draft-status").get_by_text("Concept opgeslagen om").wait_for()

    page.close()  # the tab is closed without saving
    other = page.context.new_page()
    other.goto(f"{live_server.url}/dossiers/{case.pk}/bewerken/")
    other.get_by_test_id("draft-restored").wait_for()
    assert other.get_by_label("Aanleiding en zorgen").input_value() == (
        "Juf meldt: Sanne huilt vaak in de klas."
    )
    other.get_by_role("button", name="Opslaan").click()
    other.get_by_test_id("reason-for-concern").wait_for()
    assert "Sanne huilt vaak" in other.get_by_test_id("reason-for-concern").inner_text()
