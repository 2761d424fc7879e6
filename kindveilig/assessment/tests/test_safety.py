"""The safety assessment per child through its service (R1 every branch, R2 both ways, the
override, nothing saved on wrong input, the audit event), the selector of children to
re-assess, the pages and the case header."""

import datetime as dt

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from kindveilig.assessment.models import SafetyAssessment
from kindveilig.assessment.selectors.safety import children_to_reassess, reason_texts
from kindveilig.assessment.services.safety import safety_assessment_record
from kindveilig.audit.models import AuditEvent
from kindveilig.demo import builders
from kindveilig.investigation import services as investigation
from kindveilig.investigation.models import FrameworkFinding
from kindveilig.method.judging import SIBLING_SIGNAL

INJURY = "mishandeling.letsel-zonder-ongeval"
VIOLENCE = "mishandeling.ernstig-fysiek-geweld"


@pytest.fixture
def family(coordinator, make_user):
    return builders.family(
        coordinator=coordinator,
        name="familie Veilig",
        members=[(make_user("collega-veilig"), "case_worker")],
        persons=[
            builders.PersonSpec("child", "Anna", "Veilig", dt.date(2016, 3, 14)),
            builders.PersonSpec("child", "Bram", "Veilig", dt.date(2020, 2, 2)),
            builders.PersonSpec("parent", "Eva", "Veilig", dt.date(1990, 7, 21)),
        ],
    )


def person(case, name):
    return case.persons.get(given_name=name)


def assess(actor, case, child, signals=(), *, guarantee=False, **extra):
    values = {
        "responsible_adult": "Oma Veilig" if guarantee else "",
        "substantiation": "Gezien op school en thuis.",
        **extra,
    }
    return safety_assessment_record(
        actor=actor,
        case=case,
        child_id=child.pk,
        alarm_signals=list(signals),
        responsible_adult_guarantees_safety=guarantee,
        **values,
    )


# --- R1 through the service -------------------------------------------------------------------


def test_signals_without_a_guarantee_are_direct_danger(family, coordinator) -> None:
    anna = person(family, "Anna")
    record = assess(coordinator, family, anna, [INJURY], notes={INJURY: "Blauwe plekken"})
    record.refresh_from_db()
    assert record.decision == record.current_decision == "direct_danger"
    assert record.alarm_signals == [
        {"code": INJURY, "source": "recorded", "note": "Blauwe plekken"}
    ]
    assert record.reasons == [
        {
            "rule": "R1",
            "code": "r1.signal-without-guarantee",
            "source": "3.2.1",
            "facts": {"signals": [INJURY]},
        }
    ]
    assert record.assessed_by == coordinator


def test_signals_with_a_guarantee_need_safety_agreements(family, coordinator) -> None:
    record = assess(coordinator, family, person(family, "Anna"), [INJURY], guarantee=True)
    assert record.decision == "safety_agreements_needed"
    assert record.responsible_adult == "Oma Veilig"
    assert record.reasons[0]["code"] == "r1.signal-with-guarantee"


def test_no_signal_is_no_direct_danger_and_says_so(family, coordinator) -> None:
    record = assess(coordinator, family, person(family, "Anna"))
    assert record.decision == "no_direct_danger"
    assert [reason["code"] for reason in record.reasons] == ["r1.no-signal"]
    assert "niet dat het kind veilig is" in reason_texts(record)[0]


# --- R2: the sibling signal -------------------------------------------------------------------


def test_a_sibling_signal_passes_to_the_other_child_but_never_back(family, coordinator) -> None:
    anna, bram = person(family, "Anna"), person(family, "Bram")
    assess(coordinator, family, anna, [INJURY], guarantee=True)
    for_bram = assess(coordinator, family, bram)
    assert for_bram.alarm_signals == [{"code": SIBLING_SIGNAL, "source": "sibling", "note": ""}]
    assert for_bram.decision == "direct_danger"
    assert [reason["rule"] for reason in for_bram.reasons] == ["R1", "R2"]
    assert for_bram.reasons[1]["facts"] == {"siblings": [str(anna.pk)]}
    # Anna is assessed again without signals: Bram's sibling-only signal does not come back.
    again = assess(coordinator, family, anna)
    assert again.alarm_signals == [] and again.decision == "no_direct_danger"
    assert [reason["rule"] for reason in again.reasons] == ["R1"]


def test_a_recorded_sibling_signal_is_not_doubled(family, coordinator) -> None:
    assess(coordinator, family, person(family, "Anna"), [VIOLENCE])
    record = assess(coordinator, family, person(family, "Bram"), [SIBLING_SIGNAL, SIBLING_SIGNAL])
    assert record.alarm_signals == [{"code": SIBLING_SIGNAL, "source": "recorded", "note": ""}]


def test_children_to_reassess_after_a_sibling_gets_a_signal(family, coordinator) -> None:
    anna, bram = person(family, "Anna"), person(family, "Bram")
    assess(coordinator, family, bram)
    assert children_to_reassess(family) == {}
    assess(coordinator, family, anna, [INJURY])
    assert children_to_reassess(family) == {bram.pk: ["Anna"]}
    assess(coordinator, family, bram)  # now with the sibling signal
    assert children_to_reassess(family) == {}
    assess(coordinator, family, anna)  # Anna's signal is gone: Bram's sibling signal too
    assert children_to_reassess(family) == {bram.pk: ["Anna"]}


# --- The override, and wrong input ------------------------------------------------------------


def test_an_override_needs_a_reason_and_a_different_decision(family, coordinator) -> None:
    anna = person(family, "Anna")
    with pytest.raises(ValidationError) as no_reason:
        assess(coordinator, family, anna, [INJURY], override_decision="safety_agreements_needed")
    assert set(no_reason.value.message_dict) == {"override_reason"}
    with pytest.raises(ValidationError) as same:
        assess(
            coordinator,
            family,
            anna,
            [INJURY],
            override_decision="direct_danger",
            override_reason="Zeker weten",
        )
    assert set(same.value.message_dict) == {"override_decision"}
    record = assess(
        coordinator,
        family,
        anna,
        [INJURY],
        override_decision="safety_agreements_needed",
        override_reason="Vader is sinds gisteren uit huis geplaatst.",
    )
    assert (record.decision, record.current_decision) == (
        "direct_danger",
        "safety_agreements_needed",
    )
    assert reason_texts(record)[-1] == "Vader is sinds gisteren uit huis geplaatst."
    assert SafetyAssessment.objects.count() == 1


def test_wrong_input_names_every_field_and_saves_nothing(family, coordinator) -> None:
    eva = person(family, "Eva")
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refusal:
        safety_assessment_record(
            actor=coordinator,
            case=family,
            child_id=person(family, "Anna").pk,
            alarm_signals=["kind.bestaat-niet"],
            responsible_adult_guarantees_safety=True,
            responsible_adult="  ",
            substantiation=" ",
        )
    errors = refusal.value.message_dict
    assert set(errors) == {"alarm_signals", "responsible_adult", "substantiation"}
    assert "kind.bestaat-niet" in errors["alarm_signals"][0]
    with pytest.raises(ValidationError) as parent:
        assess(coordinator, family, eva)
    assert str(eva.pk) in parent.value.message_dict["child_id"][0]
    with pytest.raises(ValidationError) as stray:
        assess(coordinator, family, person(family, "Anna"), notes={VIOLENCE: "?"})
    assert VIOLENCE in stray.value.message_dict["notes"][0]
    assert SafetyAssessment.objects.count() == 0
    assert AuditEvent.objects.count() == events


def test_a_child_of_another_case_is_refused(family, coordinator) -> None:
    other = builders.family(
        coordinator=coordinator,
        name="familie Anders",
        persons=[builders.PersonSpec("child", "Olaf", "Anders", dt.date(2018, 1, 1))],
    )
    with pytest.raises(ValidationError) as refusal:
        assess(coordinator, family, other.persons.get())
    assert set(refusal.value.message_dict) == {"child_id"}


def test_the_assessment_is_audited_with_the_child_as_client(family, coordinator) -> None:
    anna = person(family, "Anna")
    record = assess(coordinator, family, anna, [INJURY])
    event = AuditEvent.objects.filter(object_type="safety_assessment").latest("id")
    assert (event.action, event.object_id, event.client_id_list()) == (
        "create",
        str(record.pk),
        [anna.pk],
    )


# --- Pages ------------------------------------------------------------------------------------


def english(client) -> None:
    """The pages' own words are asserted in English (the source language), so the tests hold
    before and after the Dutch translation; knowledge base texts follow the language too."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def test_the_page_shows_the_decision_in_words_with_its_reasons_and_history(
    client, family, coordinator
) -> None:
    anna, bram = person(family, "Anna"), person(family, "Bram")
    assess(coordinator, family, anna)
    assess(coordinator, family, anna, [INJURY], notes={INJURY: "Blauwe plekken op de rug"})
    client.force_login(coordinator)
    url = reverse("assessment:safety", args=[family.pk])
    dutch = client.get(url).content.decode()
    assert "Letsel dat niet door een ongeluk komt" in dutch  # the signal by its label
    assert INJURY not in dutch
    assert "geen verantwoordelijke volwassene die nu instaat" in dutch  # R1's reason in words
    english(client)
    page = client.get(url).content.decode()
    anna_part = page.split(f'data-testid="safety-{anna.pk}"')[1].split("</section>")[0]
    assert 'data-decision="direct_danger"' in anna_part and "utrecht-alert--error" in anna_part
    assert "Direct danger" in anna_part and "Blauwe plekken op de rug" in anna_part
    assert f'data-testid="history-{anna.pk}"' in anna_part and "No direct danger" in anna_part
    bram_part = page.split(f'data-testid="safety-{bram.pk}"')[1].split("</section>")[0]
    assert 'data-testid="not-assessed"' in bram_part
    assert 'data-testid="reassess"' not in bram_part  # Bram was never assessed


def test_the_override_shows_beside_the_decision(client, family, coordinator) -> None:
    assess(
        coordinator,
        family,
        person(family, "Anna"),
        [INJURY],
        override_decision="safety_agreements_needed",
        override_reason="Vader woont sinds gisteren elders.",
    )
    client.force_login(coordinator)
    english(client)
    page = client.get(reverse("assessment:safety", args=[family.pk])).content.decode()
    assert 'data-decision="safety_agreements_needed"' in page
    assert 'data-testid="override"' in page and "Vader woont sinds gisteren elders." in page


def test_the_form_saves_an_assessment_and_returns_to_the_page(client, family, coordinator) -> None:
    anna = person(family, "Anna")
    client.force_login(coordinator)
    url = reverse("assessment:safety_add", args=[family.pk, anna.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "alarm_signals": [INJURY],
            f"note__{INJURY}": "Arm in het gips",
            "responsible_adult_guarantees_safety": "yes",
            "responsible_adult": "Oma",
            "child_signals": "Anna is stil.",
            "substantiation": "Gezien bij de huisarts.",
            "override_decision": "",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("assessment:safety", args=[family.pk])
    record = SafetyAssessment.objects.get()
    assert record.decision == "safety_agreements_needed"
    assert record.alarm_signals == [
        {"code": INJURY, "source": "recorded", "note": "Arm in het gips"}
    ]
    assert record.child_signals == "Anna is stil."


def test_a_form_with_an_error_keeps_the_input_and_saves_nothing(
    client, family, coordinator
) -> None:
    anna = person(family, "Anna")
    client.force_login(coordinator)
    english(client)
    url = reverse("assessment:safety_add", args=[family.pk, anna.pk])
    response = client.post(
        url,
        {
            "alarm_signals": [INJURY],
            f"note__{INJURY}": "Getypte notitie",
            f"note__{VIOLENCE}": "Notitie zonder vinkje",
            "responsible_adult_guarantees_safety": "yes",
            "responsible_adult": "",
            "threatening_acts": "Vader schreeuwt.",
            "substantiation": "",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert {"substantiation", f"note__{VIOLENCE}"} <= set(form.errors)
    html = response.content.decode()
    assert 'data-testid="form-errors"' in html
    assert "Getypte notitie" in html and "Vader schreeuwt." in html
    assert f'value="{INJURY}"' in html and "checked" in html
    assert 'aria-describedby="id_substantiation_error"' in html
    assert SafetyAssessment.objects.count() == 0
    # The service's errors come back on their fields too.
    response = client.post(
        url,
        {
            "alarm_signals": [INJURY],
            "responsible_adult_guarantees_safety": "yes",
            "substantiation": "Onderbouwd.",
        },
    )
    assert response.context["form"].errors["responsible_adult"]
    assert SafetyAssessment.objects.count() == 0


def test_the_form_shows_the_sibling_notice_and_the_childs_framework_findings(
    client, family, coordinator
) -> None:
    anna, bram = person(family, "Anna"), person(family, "Bram")
    assess(coordinator, family, anna, [INJURY])
    investigation.investigation_record_add(
        actor=coordinator,
        case=family,
        model=FrameworkFinding,
        values={
            "person_id": bram.pk,
            "dimension": "kind.gezondheid",
            "kind": "concern",
            "text": "Bram is vaak ziek.",
        },
    )
    client.force_login(coordinator)
    html = client.get(reverse("assessment:safety_add", args=[family.pk, bram.pk])).content.decode()
    assert 'data-testid="sibling-notice"' in html and "Anna" in html
    assert "Bram is vaak ziek." in html.split('data-testid="material"')[1]
    for_anna = client.get(reverse("assessment:safety_add", args=[family.pk, anna.pk]))
    assert 'data-testid="sibling-notice"' not in for_anna.content.decode()


def test_only_children_of_the_case_and_only_members(client, family, coordinator, outsider) -> None:
    client.force_login(coordinator)
    eva = person(family, "Eva")
    assert client.get(reverse("assessment:safety_add", args=[family.pk, eva.pk])).status_code == 404
    client.force_login(outsider)
    anna = person(family, "Anna")
    assert client.get(reverse("assessment:safety", args=[family.pk])).status_code == 404
    response = client.post(
        reverse("assessment:safety_add", args=[family.pk, anna.pk]),
        {"responsible_adult_guarantees_safety": "no", "substantiation": "x"},
    )
    assert response.status_code == 404
    assert SafetyAssessment.objects.count() == 0


def test_the_case_header_shows_direct_danger(client, family, coordinator) -> None:
    anna = person(family, "Anna")
    assess(coordinator, family, anna, [INJURY])
    assess(coordinator, family, person(family, "Bram"), guarantee=True)  # R2: Anna's signal
    client.force_login(coordinator)
    english(client)
    html = client.get(reverse("cases:case_detail", args=[family.pk])).content.decode()
    glance = html[html.index('data-testid="glance"') :].split("</ul>")[0]
    assert glance.count("kv-tag--danger") == 1
    assert "Direct danger" in glance and "Safety agreements needed" in glance
    today = timezone.localdate().strftime("%d-%m-%Y")
    assert today in glance and str(coordinator) in glance


def test_the_review_date_is_agreed_or_the_default_term_and_never_in_the_past(
    client, family, coordinator
) -> None:
    anna = person(family, "Anna")
    today = timezone.localdate()
    with pytest.raises(ValidationError) as past:
        assess(coordinator, family, anna, review_on=today - dt.timedelta(days=1))
    assert set(past.value.message_dict) == {"review_on"}
    assert SafetyAssessment.objects.count() == 0
    agreed = assess(coordinator, family, anna, review_on=today + dt.timedelta(days=7))
    assert agreed.review_on == today + dt.timedelta(days=7)
    # On the form: the error is on the field, and what was typed stays.
    client.force_login(coordinator)
    url = reverse("assessment:safety_add", args=[family.pk, anna.pk])
    yesterday = (today - dt.timedelta(days=1)).strftime("%d-%m-%Y")
    response = client.post(
        url,
        {
            "responsible_adult_guarantees_safety": "no",
            "substantiation": "Tweede gesprek met Anna.",
            "review_on": yesterday,
        },
    )
    assert response.context["form"].errors["review_on"]
    assert "Tweede gesprek met Anna." in response.content.decode()
    assert SafetyAssessment.objects.count() == 1
