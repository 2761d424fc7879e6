"""In the browser: a person's BSN is shown by keyboard on request, and the case and its new
pages reflow at 320 px (WCAG 1.4.10) without the BSN in them."""

import pytest
from django.utils import timezone

from kindveilig.accounts.models import User
from kindveilig.cases import services
from kindveilig.demo.data import load_demo
from tests.e2e.test_login_and_case import log_in

pytestmark = pytest.mark.e2e

BSN = "111222333"


def no_sideways_scrolling(page) -> bool:
    """The page itself fits the viewport (wide tables scroll inside their own region)."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_bsn_is_shown_by_keyboard_on_a_narrow_screen(page, transactional_db):
    case = load_demo(today=timezone.localdate())
    coordinator = User.objects.get(username="regievoerder")
    parent = case.persons.filter(role="parent").first()
    services.person_update(
        actor=coordinator, person=parent, expected_version=parent.version, changes={"bsn": BSN}
    )
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto("/account/inloggen/")
    log_in(page, "regievoerder")
    page.goto(f"/dossiers/{case.pk}/")
    page.get_by_test_id("family").wait_for()
    assert no_sideways_scrolling(page)
    assert BSN not in page.content()

    button = page.locator(f'form[action$="/personen/{parent.pk}/bsn/"] button')
    button.focus()
    page.keyboard.press("Enter")
    revealed = page.get_by_test_id("bsn-revealed")
    revealed.wait_for()
    assert BSN in revealed.inner_text()
    # The focus moves to the number, so a keyboard or screen-reader user hears it (htmx moves
    # it when the swap settles, a moment after the number appears).
    page.wait_for_function("document.activeElement?.dataset.testid === 'bsn-revealed'")

    for path in (
        f"/dossiers/{case.pk}/personen/{parent.pk}/bewerken/",
        f"/dossiers/{case.pk}/personen/{case.persons.filter(role='child').first().pk}"
        "/mishandeling/nieuw/",
    ):
        page.goto(path)
        page.locator("form.kv-form").first.wait_for()
        assert no_sideways_scrolling(page)
        assert BSN not in page.content()
