"""The investigation: every kind of record through its service (checked against the case and
the knowledge base, versioned, historied, audited), the pages, the API, and the rules on them
(R5, R12, R13, the next steps)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kindveilig.accounts.services import api_token_create
from kindveilig.audit.models import AuditEvent
from kindveilig.cases.records import ConcurrentEditError
from kindveilig.demo import builders
from kindveilig.investigation import selectors, services
from kindveilig.investigation.models import (
    Conversation,
    FrameworkFinding,
    LifelineEvent,
    Observation,
    QuestionnaireAdministration,
    ResearchQuestion,
)


@pytest.fixture
def family(coordinator, make_user):
    return builders.family(
        coordinator=coordinator,
        name="familie Onderzoek",
        members=[(make_user("collega-onderzoek"), "case_worker")],
        persons=[
            builders.PersonSpec("child", "Sanne", "Onderzoek", dt.date(2017, 3, 14)),
            builders.PersonSpec("child", "Daan", "Onderzoek", dt.date(2023, 2, 2)),
            builders.PersonSpec("parent", "Eva", "Onderzoek", dt.date(1990, 7, 21)),
        ],
    )


def person(case, name):
    return case.persons.get(given_name=name)


def add(actor, case, model, **values):
    return services.investigation_record_add(actor=actor, case=case, model=model, values=values)


def test_the_six_standard_questions_exist_per_child_where_they_concern_a_child(family) -> None:
    plan = selectors.research_plan(case=family)
    per_child = [q for q in plan if q.child is not None]
    assert len(plan) == 4 * 2 + 2  # questions 1-4 for each of the two children, 5 and 6 once
    assert {q.child.given_name for q in per_child} == {"Sanne", "Daan"}
    assert all(q.record is None and not q.answered for q in plan)


def test_an_answer_needs_its_substantiation_and_counter_evidence_is_asked(
    family, coordinator
) -> None:
    sanne = person(family, "Sanne")
    question = services.research_question_start(
        actor=coordinator, case=family, standard_code="kindsignalen", child_id=sanne.pk
    )
    with pytest.raises(ValidationError) as refusal:
        services.investigation_record_change(
            actor=coordinator,
            record=question,
            expected_version=question.version,
            values={"status": "answered", "answer": "Ja, vermoeidheid."},
        )
    assert set(refusal.value.message_dict) == {"substantiation"}
    answered = services.investigation_record_change(
        actor=coordinator,
        record=question,
        expected_version=question.version,
        values={"status": "answered", "answer": "Ja.", "substantiation": "School en moeder."},
    )
    item = next(q for q in selectors.research_plan(case=family) if q.record == answered)
    assert item.lacks_counter_evidence
    steps = [step.decision for step in selectors.case_next_steps(case=family)]
    assert "test-hypothesis" in steps
    with pytest.raises(ConcurrentEditError):
        services.investigation_record_change(
            actor=coordinator, record=question, expected_version=1, values={"hypothesis": "x"}
        )


def test_records_name_only_persons_and_codes_of_their_case(family, coordinator) -> None:
    other = builders.family(
        coordinator=coordinator,
        name="familie Anders",
        persons=[builders.PersonSpec("child", "Bo", "Anders", dt.date(2018, 1, 1))],
    )
    stranger = other.persons.get()
    with pytest.raises(ValidationError) as refusal:
        add(
            coordinator,
            family,
            LifelineEvent,
            date=dt.date(2020, 1, 1),
            kind="soort.gebeurtenis",
            description="x",
            person_ids=[stranger.pk],
        )
    assert "person_ids" in refusal.value.message_dict
    with pytest.raises(ValidationError) as refusal:
        add(
            coordinator,
            family,
            FrameworkFinding,
            dimension="kind.bestaat-niet",
            kind="concern",
            text="x",
        )
    assert "dimension" in refusal.value.message_dict
    with pytest.raises(ValidationError) as refusal:
        add(
            coordinator,
            family,
            QuestionnaireAdministration,
            child_id=person(family, "Sanne").pk,
            instrument="ysr",
            informant="teacher",
            administered_on=dt.date(2026, 1, 1),
        )
    assert "informant" in refusal.value.message_dict
    assert not LifelineEvent.objects.exists() and not FrameworkFinding.objects.exists()


def test_lifeline_marks_events_of_the_young_child_r13(family, coordinator) -> None:
    sanne = person(family, "Sanne")
    add(
        coordinator,
        family,
        LifelineEvent,
        date=dt.date(2019, 6, 1),
        kind="soort.gebeurtenis",
        description="Verhuizing na uitzetting",
        person_ids=[sanne.pk],
        assessment="problem",
    )
    add(
        coordinator,
        family,
        LifelineEvent,
        date=dt.date(2025, 9, 1),
        kind="soort.advies-interventie",
        description="Schoolmaatschappelijk werk",
        person_ids=[sanne.pk],
    )
    rows = selectors.lifeline(case=family)
    assert [bool(row.vulnerable) for row in rows] == [True, False]
    assert rows[0].vulnerable[0].reasons[0].fact("age") == 2


def test_conversations_and_r5(family, coordinator) -> None:
    sanne, daan = person(family, "Sanne"), person(family, "Daan")
    talk = {
        o.reasons[0].fact("child"): o.decision for o in selectors.talk_with_children(case=family)
    }
    assert talk == {"Sanne": "needed", "Daan": "too_young"}
    with pytest.raises(ValidationError) as refusal:
        add(
            coordinator,
            family,
            Conversation,
            with_whom="child",
            person_ids=[sanne.pk],
            status="not_held",
        )
    assert "reason_not_held" in refusal.value.message_dict
    add(
        coordinator,
        family,
        Conversation,
        with_whom="child",
        person_ids=[sanne.pk],
        status="held",
        child_worries="Dat papa en mama ruzie maken.",
        child_good_things="Bij oma logeren.",
        child_wishes="Dat het thuis rustig is.",
    )
    talk = {
        o.reasons[0].fact("child"): o.decision for o in selectors.talk_with_children(case=family)
    }
    assert talk["Sanne"] == "held"
    with pytest.raises(ValidationError):
        add(
            coordinator,
            family,
            Conversation,
            with_whom="child",
            person_ids=[daan.pk],
            change_talk=["bestaat-niet"],
        )


def test_removal_keeps_history_and_is_logged(family, coordinator) -> None:
    observation = add(
        coordinator,
        family,
        Observation,
        person_id=person(family, "Sanne").pk,
        observed_on=dt.date(2026, 11, 1),
        behaviour="Trekt zich terug.",
    )
    observation_id = observation.pk
    services.investigation_record_remove(actor=coordinator, record=observation)
    assert not Observation.objects.exists()
    assert Observation.history.filter(id=observation_id, history_type="-").exists()
    event = AuditEvent.objects.filter(object_type="observation").latest("id")
    assert (event.action, event.client_id_list()) == ("delete", [person(family, "Sanne").pk])


def test_the_pages_add_and_show_records_and_the_workspace(client, family, coordinator) -> None:
    client.force_login(coordinator)
    sanne = person(family, "Sanne")
    url = reverse("investigation:lifeline", args=[family.pk])
    response = client.post(
        url,
        {
            "date": "2019-06-01",
            "kind": "soort.gebeurtenis",
            "description": "Vader verliest zijn baan",
            "person_ids": [sanne.pk],
            "assessment": "problem",
        },
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "Vader verliest zijn baan" in page and "<svg" in page
    assert "kwetsbare ontwikkelingsperiode" in page
    assert 'data-testid="next-steps"' in page and "Sanne (9) heeft nog geen gesprek gehad." in page
    invalid = client.post(url, {"date": "2019-06-01", "kind": "soort.gebeurtenis"})
    assert invalid.context["form"].errors["description"]


@pytest.mark.parametrize(
    "name",
    ["research_plan", "lifeline", "observations", "questionnaires", "framework", "conversations"],
)
def test_non_members_get_404_on_every_section(client, family, outsider, name) -> None:
    client.force_login(outsider)
    assert client.get(reverse(f"investigation:{name}", args=[family.pk])).status_code == 404


def test_the_api_adds_changes_and_removes(client, family, coordinator) -> None:
    headers = {"Authorization": f"Bearer {api_token_create(user=coordinator)}"}
    base = f"/api/v1/cases/{family.pk}/investigation/framework-findings"
    created = client.post(
        base,
        {
            "person": person(family, "Sanne").pk,
            "dimension": "kind.gezondheid",
            "kind": "strength",
            "text": "Gezond",
            "nature": "feit",
        },
        "application/json",
        headers=headers,
    )
    assert created.status_code == 201, created.content
    record_id = created.json()["id"]
    changed = client.patch(
        f"{base}/{record_id}",
        {"version": 1, "text": "Gezond en fit"},
        "application/json",
        headers=headers,
    )
    assert changed.json()["text"] == "Gezond en fit"
    stale = client.patch(
        f"{base}/{record_id}", {"version": 1, "text": "x"}, "application/json", headers=headers
    )
    assert stale.status_code == 409
    assert [r["id"] for r in client.get(base, headers=headers).json()] == [record_id]
    assert client.delete(f"{base}/{record_id}", headers=headers).status_code == 204
    assert not FrameworkFinding.objects.exists()
    wrong = client.post(
        base, {"dimension": "x", "kind": "concern"}, "application/json", headers=headers
    )
    assert wrong.status_code == 422 and "dimension" in {e["field"] for e in wrong.json()["detail"]}


def test_research_question_records_are_case_records(family, coordinator) -> None:
    question = services.research_question_start(
        actor=coordinator, case=family, standard_code="oorzaken", child_id=None
    )
    again = services.research_question_start(
        actor=coordinator, case=family, standard_code="oorzaken", child_id=None
    )
    assert again == question and ResearchQuestion.objects.count() == 1


def test_long_texts_autosave_a_draft_that_is_restored_and_dropped_on_save(
    client, family, coordinator
) -> None:
    from kindveilig.cases.models import Draft

    client.force_login(coordinator)
    sanne = person(family, "Sanne")
    save_url = reverse("cases:draft_save", args=[family.pk, "onderzoek-observations"])
    typed = {"person": str(sanne.pk), "behaviour": "Sanne kruipt onder de tafel", "x": "y"}
    answer = client.post(save_url, typed)
    assert answer.status_code == 200 and "Concept opgeslagen" in answer.content.decode()
    draft = Draft.objects.get(user=coordinator, case=family, form_key="onderzoek-observations")
    assert draft.data == {"person": str(sanne.pk), "behaviour": "Sanne kruipt onder de tafel"}
    assert AuditEvent.objects.filter(object_type="draft", object_id=str(draft.pk)).exists()

    page = client.get(reverse("investigation:observations", args=[family.pk]))
    assert page.context["form"].initial["behaviour"] == "Sanne kruipt onder de tafel"
    assert 'data-testid="draft-restored"' in page.content.decode()

    saved = client.post(
        reverse("investigation:observations", args=[family.pk]),
        {"person": sanne.pk, "observed_on": "2026-11-01", "behaviour": "Sanne kruipt weg"},
    )
    assert saved.status_code == 302
    assert not Draft.objects.filter(form_key="onderzoek-observations").exists()
    assert Observation.objects.filter(case=family, behaviour="Sanne kruipt weg").exists()


def test_a_record_keeps_its_own_draft_and_unknown_forms_keep_none(
    client, family, coordinator
) -> None:
    from kindveilig.cases.models import Draft

    client.force_login(coordinator)
    sanne = person(family, "Sanne")
    observation = add(
        coordinator,
        family,
        Observation,
        person_id=sanne.pk,
        observed_on=dt.date(2026, 11, 1),
        behaviour="Trekt zich terug.",
    )
    key = f"onderzoek-observations-{observation.pk}"
    client.post(reverse("cases:draft_save", args=[family.pk, key]), {"behaviour": "Nieuw"})
    edit = client.get(reverse("investigation:observations_edit", args=[family.pk, observation.pk]))
    assert edit.context["form"].initial["behaviour"] == "Nieuw"
    discard = client.post(reverse("cases:draft_discard", args=[family.pk, key]))
    assert discard.url == reverse(
        "investigation:observations_edit", args=[family.pk, observation.pk]
    )
    assert not Draft.objects.filter(form_key=key).exists()
    for unknown in ("onderzoek-unknown", "onderzoek-observations-0", "anything"):
        url = reverse("cases:draft_save", args=[family.pk, unknown])
        assert client.post(url, {"behaviour": "x"}).status_code == 404
    assert not Draft.objects.exists()


def test_the_triangles_show_every_child_persons_with_findings_and_the_family(
    family, coordinator
) -> None:
    sanne, eva = person(family, "Sanne"), person(family, "Eva")
    for who, dimension, kind, text in (
        (sanne, "kind.gezondheid", "concern", "Vaak moe"),
        (sanne, "kind.gezondheid", "strength", "Sport graag"),
        (eva, "opvoeding.stabiliteit", "strength", "Vaste ritmes"),
        (None, "omgeving.bredere-familie", "strength", "Oma dichtbij"),
    ):
        add(
            coordinator,
            family,
            FrameworkFinding,
            person_id=who.pk if who else None,
            dimension=dimension,
            kind=kind,
            text=text,
            nature="feit",
        )
    triangles = selectors.framework_overviews(case=family)
    shown = [who.given_name if who else "gezin" for who, _sides in triangles]
    assert shown == ["Sanne", "Daan", "Eva", "gezin"]  # Daan without findings; Mark has none

    def cell(who_name, code):
        sides = dict((w.given_name if w else "gezin", s) for w, s in triangles)[who_name]
        return next(c for side in sides for c in side.cells if c.code == code)

    health = cell("Sanne", "kind.gezondheid")
    assert [f.text for f in health.concerns] == ["Vaak moe"]
    assert [f.text for f in health.strengths] == ["Sport graag"]
    assert [f.text for f in cell("Eva", "opvoeding.stabiliteit").strengths] == ["Vaste ritmes"]
    assert [f.text for f in cell("gezin", "omgeving.bredere-familie").strengths] == ["Oma dichtbij"]
    assert len([c for side in triangles[0][1] for c in side.cells]) == 20


def test_pages_show_words_not_codes(client, family, coordinator) -> None:
    """A questionnaire's informant, a Framework item and the rule behind a warning are shown
    in words, never as their codes (teacher, opvoeding.…, R12)."""
    sanne = person(family, "Sanne")
    add(
        coordinator,
        family,
        QuestionnaireAdministration,
        child_id=sanne.pk,
        instrument="sdq",
        informant="teacher",
        administered_on=dt.date(2026, 1, 5),
    )
    finding = add(
        coordinator,
        family,
        FrameworkFinding,
        person_id=sanne.pk,
        dimension="kind.gezondheid",
        kind="concern",
        item_code="kind.gezondheid.zorg.hongerig",
        text="Vraagt op school om eten.",
    )
    client.force_login(coordinator)
    questionnaires = client.get(reverse("investigation:questionnaires", args=[family.pk]))
    html = questionnaires.content.decode()
    assert "Leerkracht" in html and ">teacher<" not in html
    assert "R12" not in html and "Vragenlijsten voorstellen" in html
    framework = client.get(reverse("investigation:framework", args=[family.pk])).content.decode()
    assert "Kind heeft honger" in framework
    edit = reverse("investigation:framework_edit", args=[family.pk, finding.pk])
    assert "kind.gezondheid" not in client.get(edit).content.decode().split("<h1", 1)[1][:300]


def test_each_child_has_its_own_lifeline(client, family, coordinator) -> None:
    sanne, daan, eva = person(family, "Sanne"), person(family, "Daan"), person(family, "Eva")
    for when, who, what in (
        (dt.date(2023, 6, 1), [daan.pk], "Daan naar het ziekenhuis"),
        (dt.date(2022, 6, 1), [sanne.pk], "Sanne naar school"),
        (dt.date(2021, 6, 1), [eva.pk], "Moeder verliest haar baan"),  # no child named: family
    ):
        add(
            coordinator,
            family,
            LifelineEvent,
            date=when,
            kind="soort.gebeurtenis",
            description=what,
            person_ids=who,
        )
    daans = selectors.lifeline(case=family, child=daan)
    assert [row.event.description for row in daans] == [
        "Moeder verliest haar baan",
        "Daan naar het ziekenhuis",
    ]
    assert all(r.reasons[0].fact("child") == "Daan" for row in daans for r in row.vulnerable)
    client.force_login(coordinator)
    url = reverse("investigation:lifeline", args=[family.pk])
    page = client.get(url, {"kind": sanne.pk}).content.decode()
    assert "Sanne naar school" in page and "Daan naar het ziekenhuis" not in page
    assert "Daan naar het ziekenhuis" in client.get(url, {"kind": "onbekend"}).content.decode()
