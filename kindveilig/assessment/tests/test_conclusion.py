"""The conclusion: one per case, made on the first save and changed with optimistic
concurrency; its page shows the 6 standard research questions (open ones marked, with a link
to answer them) and what each rests on."""

import datetime as dt

import pytest
from django.urls import reverse

from kindveilig.assessment.models import Conclusion, SafetyAssessment
from kindveilig.assessment.selectors.conclusion import standard_questions
from kindveilig.assessment.services.conclusion import conclusion_save
from kindveilig.audit.models import AuditEvent
from kindveilig.cases.records import ConcurrentEditError
from kindveilig.demo import builders
from kindveilig.investigation import services as investigation


@pytest.fixture
def family(coordinator, make_user):
    return builders.family(
        coordinator=coordinator,
        name="familie Conclusie",
        members=[(make_user("collega-conclusie"), "case_worker")],
        persons=[
            builders.PersonSpec("child", "Noor", "Conclusie", dt.date(2016, 5, 1)),
            builders.PersonSpec("parent", "Ilse", "Conclusie", dt.date(1985, 1, 1)),
        ],
    )


def test_made_on_first_save_then_changed_with_optimistic_concurrency(family, coordinator) -> None:
    first = conclusion_save(
        actor=coordinator, case=family, expected_version=0, summary=" Beeld ", sources="Bronnen"
    )
    assert first.version == 1 and first.summary == "Beeld"
    assert AuditEvent.objects.filter(object_type="conclusion", action="create").exists()
    with pytest.raises(ConcurrentEditError):
        conclusion_save(actor=coordinator, case=family, expected_version=0, summary="x", sources="")
    second = conclusion_save(
        actor=coordinator, case=family, expected_version=1, summary="Beeld 2", sources="Bronnen"
    )
    assert second.version == 2 and Conclusion.objects.count() == 1
    with pytest.raises(ConcurrentEditError) as stale:
        conclusion_save(actor=coordinator, case=family, expected_version=1, summary="y", sources="")
    assert stale.value.current.summary == "Beeld 2"
    assert Conclusion.objects.get().summary == "Beeld 2"
    event = AuditEvent.objects.filter(object_type="conclusion", action="update").latest("id")
    assert "summary" in event.detail


def test_questions_rest_on_safety_causes_and_risk(family, coordinator) -> None:
    noor = family.persons.get(given_name="Noor")
    assessment = SafetyAssessment.objects.create(
        case=family, child=noor, assessed_by=coordinator, decision="no_direct_danger"
    )
    rows = standard_questions(case=family)
    assert len(rows) == 6  # one child: questions 1-4 once each, 5 and 6
    assert [row.rests_on for row in rows] == ["safety"] * 4 + ["causes", "risk"]
    assert all(row.safety == assessment for row in rows[:4])
    assert rows[5].risk is None and all(row.open for row in rows)


def test_the_page_marks_open_questions_and_saves_the_picture(client, family, coordinator) -> None:
    question = investigation.research_question_start(
        actor=coordinator, case=family, standard_code="oorzaken", child_id=None
    )
    investigation.investigation_record_change(
        actor=coordinator,
        record=question,
        expected_version=question.version,
        values={"status": "answered", "answer": "Antwoord-oorzaken", "substantiation": "Omdat"},
    )
    client.force_login(coordinator)
    url = reverse("assessment:conclusion", args=[family.pk])
    response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('data-testid="question-open"') == 5
    assert "Antwoord-oorzaken" in page
    assert reverse("investigation:research_plan", args=[family.pk]) in page
    assert reverse("assessment:causes", args=[family.pk]) in page
    saved = client.post(url, {"summary": "Samenhangend", "sources": "Gesprekken", "version": 0})
    assert saved.status_code == 302
    assert Conclusion.objects.get(case=family).summary == "Samenhangend"
    stale = client.post(url, {"summary": "Ouder", "sources": "", "version": 0})
    assert stale.status_code == 200 and stale.context["conflict"].summary == "Samenhangend"
    assert Conclusion.objects.get(case=family).summary == "Samenhangend"


def test_non_members_get_404(client, family, outsider) -> None:
    client.force_login(outsider)
    assert client.get(reverse("assessment:conclusion", args=[family.pk])).status_code == 404


def test_questions_2_to_4_show_what_the_safety_assessment_says(client, family, coordinator) -> None:
    from kindveilig.assessment.services.safety import safety_assessment_record

    noor = family.persons.get(given_name="Noor")
    safety_assessment_record(
        actor=coordinator,
        case=family,
        child_id=noor.pk,
        alarm_signals=[],
        responsible_adult_guarantees_safety=False,
        threatening_acts="Moeder schreeuwt dagelijks tegen Noor.",
        child_signals="Noor durft niet naar huis.",
        consequences="",
        substantiation="Gesprek met Noor op school.",
    )
    rows = {row.item.standard_code: row for row in standard_questions(case=family)}
    assert rows["bedreigend-handelen"].in_assessment == "Moeder schreeuwt dagelijks tegen Noor."
    assert rows["kindsignalen"].in_assessment == "Noor durft niet naar huis."
    assert rows["gevolgen"].in_assessment == "" and rows["direct-gevaar"].in_assessment == ""
    client.force_login(coordinator)
    page = client.get(reverse("assessment:conclusion", args=[family.pk])).content.decode()
    assert page.count('data-testid="in-assessment"') == 2
    assert "Noor durft niet naar huis." in page
