"""Judging in the browser: the coordinator assesses Daan's safety for familie Demo (his sister
Sanne has an alarm signal, so R2 adds the sibling signal by itself), sees the decision in the
case header and on the stage Beoordeling, and the behavioural scientist of the case approves it
(four eyes); the coordinator may not approve her own work."""

import pytest
from django.utils import timezone

from kindveilig.approvals.models import Approval
from kindveilig.assessment.models import SafetyAssessment
from kindveilig.demo.data import load_demo
from tests.e2e.test_login_and_case import log_in

pytestmark = pytest.mark.e2e


def test_an_assessment_recorded_and_approved_through_the_browser(page, transactional_db) -> None:
    case = load_demo(today=timezone.localdate())
    daan = case.persons.get(given_name="Daan")
    page.goto("/account/inloggen/")
    log_in(page, "regievoerder")

    page.goto(f"/dossiers/{case.pk}/")
    page.get_by_role("navigation", name="Fasen van het dossier").get_by_role(
        "link", name="Beoordeling"
    ).click()
    page.get_by_role("heading", name="Beoordeling", level=1).wait_for()
    steps = page.get_by_test_id("next-steps").inner_text()
    assert "De veiligheid van Daan (3) is nog niet beoordeeld." in steps

    page.get_by_role("link", name="De veiligheid van Daan beoordelen", exact=True).click()
    notice = page.get_by_test_id("sibling-notice").inner_text()
    assert "Sanne" in notice
    # Saving without a substantiation keeps what was typed and saves nothing.
    page.get_by_label("Ja").check()
    page.get_by_label("Wie staat ervoor in").fill("Eva Demo (moeder)")
    page.get_by_role("button", name="De beoordeling opslaan").click()
    page.locator(".utrecht-form-field--invalid").first.wait_for()
    assert page.get_by_label("Wie staat ervoor in").input_value() == "Eva Demo (moeder)"
    assert not SafetyAssessment.objects.filter(child=daan).exists()

    page.get_by_label("Onderbouwing").fill("Moeder en oma zijn bereikbaar; vader woont elders.")
    page.get_by_role("button", name="De beoordeling opslaan").click()
    page.get_by_text("De veiligheid van Daan is beoordeeld.").wait_for()
    assessment = SafetyAssessment.objects.get(child=daan)
    assert assessment.decision == "safety_agreements_needed"
    assert {"code": "kind.broer-zus-alarmsignaal", "source": "sibling", "note": ""} in (
        assessment.alarm_signals
    )
    glance = page.get_by_test_id("glance").inner_text()
    assert glance.count("Veiligheidsafspraken nodig") == 2  # Sanne's and now Daan's

    # Nobody approves their own work: the coordinator sees why instead of a form.
    page.goto(f"/dossiers/{case.pk}/beoordeling/goedkeuring/")
    assert page.get_by_test_id("approval-form").count() == 0

    page.get_by_role("button", name="Uitloggen").click()
    page.goto("/account/inloggen/")
    log_in(page, "gedragswetenschapper")
    page.goto(f"/dossiers/{case.pk}/beoordeling/goedkeuring/")
    section = page.get_by_test_id("approval-subject").filter(has_text="Daan")
    section.get_by_label("Goedgekeurd").check()
    section.get_by_label("Toelichting").fill("Afspraken met moeder en oma zijn concreet genoeg.")
    section.get_by_role("button", name="Besluit opslaan").click()
    page.locator("[data-testid=approval-subject][data-status=approved]").first.wait_for()
    approval = Approval.objects.get(subject_type="safety_assessment", subject_id=assessment.pk)
    assert approval.decision == "approved"
    assert approval.decided_by.username == "gedragswetenschapper"
    assert "Afspraken met moeder en oma" in approval.comment
