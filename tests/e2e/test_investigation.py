"""A professional carries familie Demo through an investigation in the browser: a specific
research question with counter-evidence, two lifeline events (one in a vulnerable period), an
observation, a questionnaire, findings on three dimensions and a conversation with Sanne in her
own words — and sees the next steps change."""

import pytest
from django.utils import timezone

from kindveilig.demo.data import load_demo
from kindveilig.investigation.models import (
    Conversation,
    FrameworkFinding,
    LifelineEvent,
    Observation,
    QuestionnaireAdministration,
    ResearchQuestion,
)
from tests.e2e.test_login_and_case import log_in

pytestmark = pytest.mark.e2e


def save(page) -> None:
    page.locator("form.kv-form button[type=submit]").last.click()
    page.get_by_text("Opgeslagen.").wait_for()


def test_an_investigation_through_the_browser(page, transactional_db) -> None:
    today = timezone.localdate()
    case = load_demo(today=today)
    base = f"/dossiers/{case.pk}/onderzoek"
    page.goto("/account/inloggen/")
    log_in(page, "hulpverlener")

    page.goto(f"/dossiers/{case.pk}/")
    steps = page.get_by_test_id("next-steps")
    assert "Sanne (9) heeft nog geen gesprek gehad." in steps.inner_text()
    page.get_by_role("navigation", name="Fasen van het dossier").get_by_role(
        "link", name="Onderzoek"
    ).click()
    page.get_by_role("heading", name="Onderzoeksplan", level=1).wait_for()

    # A specific research question, answered with its substantiation and counter-evidence.
    page.fill("#id_question", "Slaapt Sanne 's nachts door als er ruzie is geweest?")
    page.fill("#id_hypothesis", "Sanne wordt wakker van de ruzies en is daarom moe.")
    page.select_option("#id_status", "answered")
    page.fill("#id_answer", "Ja, zij wordt vaak wakker.")
    page.fill("#id_substantiation", "Moeder en Sanne vertellen het allebei.")
    page.fill("#id_counter_evidence", "Vader zegt dat Sanne altijd al slecht sliep.")
    save(page)
    question = ResearchQuestion.objects.get(case=case, question__startswith="Slaapt Sanne")
    assert question.status == "answered" and question.counter_evidence.startswith("Vader")

    # Two lifeline events: one when Daan was two (vulnerable period), one when Sanne was seven.
    page.goto(f"{base}/levenslijn/")
    for when, who, what in (
        (today.replace(year=today.year - 1), "Daan Demo (kind)", "Verhuizing na huisuitzetting"),
        (
            today.replace(year=today.year - 2),
            "Sanne Demo (kind)",
            "Sanne begint op de nieuwe school",
        ),
    ):
        page.fill("#id_date", when.isoformat())
        page.select_option("#id_kind", "soort.gebeurtenis")
        page.fill("#id_description", what)
        page.get_by_label(who).check()
        page.fill("#id_source", "moeder")
        save(page)
    timeline = page.locator("svg[role=img]")
    assert "kwetsbare periode" in page.content()
    assert timeline.count() == 1 and timeline.get_attribute("aria-labelledby")
    vulnerable = page.locator("tr", has_text="Verhuizing na huisuitzetting")
    assert "Daan" in vulnerable.inner_text()
    assert LifelineEvent.objects.filter(case=case).count() >= 4

    # An observation in the ABC format.
    page.goto(f"{base}/observaties/")
    page.select_option("#id_person", label="Sanne Demo")
    page.fill("#id_observed_on", today.isoformat())
    page.fill("#id_antecedent", "Vader komt binnen en zet de tv hard.")
    page.fill("#id_behaviour", "Sanne pakt haar tas en gaat naar boven.")
    page.fill("#id_consequence", "Niemand zegt iets.")
    save(page)
    assert Observation.objects.filter(case=case, behaviour__startswith="Sanne pakt").exists()

    # A questionnaire suggested for Sanne's age, recorded as reported.
    page.goto(f"{base}/vragenlijsten/")
    assert "Voorgesteld voor Sanne" in page.content()
    page.select_option("#id_child", label="Sanne Demo")
    page.select_option("#id_instrument", "cbcl")
    page.select_option("#id_informant", "parent")
    page.fill("#id_administered_on", today.isoformat())
    page.fill("#id_outcome", "Internaliserende problemen in het grensgebied.")
    save(page)
    assert QuestionnaireAdministration.objects.filter(case=case, instrument="cbcl").exists()

    # Findings on three dimensions of the Framework.
    page.goto(f"{base}/framework/")
    before = FrameworkFinding.objects.filter(case=case).count()
    for dimension, kind, text in (
        ("kind.gezondheid", "concern", "Sanne is vaak moe."),
        ("kind.identiteit", "strength", "Sanne is trots op haar tekeningen."),
        ("opvoeding.basale-verzorging", "strength", "Er is altijd eten en schone kleding."),
    ):
        page.select_option("#id_person", label="Sanne Demo")
        page.select_option("#id_dimension", dimension)
        page.select_option("#id_kind", kind)
        page.fill("#id_text", text)
        page.fill("#id_source", "eigen observatie")
        save(page)
    assert FrameworkFinding.objects.filter(case=case).count() == before + 3
    assert "Sanne is trots op haar tekeningen." in page.content()

    # A conversation with Sanne, in her own words.
    page.goto(f"{base}/gesprekken/")
    page.select_option("#id_with_whom", "child")
    page.get_by_label("Sanne Demo (kind)").check()
    page.select_option("#id_status", "held")
    page.fill("#id_planned_on", today.isoformat())
    page.fill("#id_child_worries", "Als papa en mama boos zijn.")
    page.fill("#id_child_good_things", "Tekenen met oma.")
    page.fill("#id_child_wishes", "Dat het thuis rustig is.")
    save(page)
    held = Conversation.objects.get(case=case, child_wishes="Dat het thuis rustig is.")
    assert held.status == "held"
    assert "Dat het thuis rustig is." in page.content()

    # The next steps no longer ask for a conversation with Sanne.
    page.goto(f"/dossiers/{case.pk}/")
    steps_now = page.get_by_test_id("next-steps").inner_text()
    assert "Sanne (9) heeft nog geen gesprek gehad." not in steps_now
