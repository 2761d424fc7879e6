import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from kindveilig.demo.data import load_demo
from kindveilig.investigation.models import LifelineEvent
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e


def test_a_date_is_typed_and_shown_day_month_year_on_an_english_browser(
    browser, live_server, transactional_db
):
    """An <input type=date> would show mm/dd/yyyy on this browser; Kindveilig's dates do not
    depend on the browser's language."""
    case = load_demo(today=timezone.localdate())
    context = browser.new_context(base_url=live_server.url, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        page.goto(reverse("accounts:login"))
        log_in(page, "regievoerder")
        page.goto(reverse("investigation:lifeline", args=[case.pk]))
        date = page.locator("#id_date")
        assert date.get_attribute("type") == "text"
        assert date.get_attribute("inputmode") == "numeric"
        date.fill("3-7-2019")
        page.locator("#id_kind").select_option("soort.gebeurtenis")
        page.locator("#id_description").fill("Verhuizing naar een kleinere woning.")
        page.locator("#add-heading + form button[type=submit]").click()
        row = page.get_by_test_id("lifeline").get_by_role("row").filter(has_text="Verhuizing")
        assert row.get_by_role("cell").first.inner_text() == "03-07-2019"

        event = LifelineEvent.objects.get(case=case, description__startswith="Verhuizing")
        assert event.date == dt.date(2019, 7, 3)
        page.goto(reverse("investigation:lifeline_edit", args=[case.pk, event.pk]))
        assert page.locator("#id_date").input_value() == "03-07-2019"

        # A date the way an American browser would write it is refused with a clear error.
        page.locator("#id_date").fill("07/03/2019")
        page.get_by_role("button", name="Opslaan").click()
        assert "31-12-2025" in page.locator("#id_date_error").inner_text()
        assert page.locator("#id_date").get_attribute("aria-describedby") == (
            "id_date_helptext id_date_error"
        )
    finally:
        context.close()
