import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from kindveilig.accounts.models import Role

REQUIRED_KEYS = {
    "alarm_signals",
    "framework_dimensions",
    "risk_factors",
    "protective_factors",
    "research_questions",
    "maltreatment_forms",
    "interventions",
    "working_methods",
    "questionnaires",
    "risk_instruments",
    "conversation_guides",
    "effective_factors",
    "collaboration_checklist",
    "meldcode_questions",
    "thresholds",
    "version",
}


def test_json_export_has_every_list_with_code_label_source(capsys) -> None:
    call_command("knowledge", "export", "--format", "json")
    data = json.loads(capsys.readouterr().out)
    assert set(data) >= REQUIRED_KEYS
    for key, entries in data.items():
        if isinstance(entries, list):
            assert entries, key
            assert all({"code", "label", "source"} <= set(entry) for entry in entries), key
    pcit = next(e for e in data["interventions"] if e["code"] == "pcit")
    assert {
        "age_min",
        "age_max",
        "kind",
        "maltreatment_forms",
        "evidence_level",
        "needs",
        "participants",
        "setting",
        "cbt",
    } <= set(pcit)
    assert pcit["kind"] == "specific-stop"
    assert pcit["source"]["reference"].startswith("§5.5")
    assert "lines" not in pcit["source"]


def test_markdown_export_is_readable(capsys) -> None:
    call_command("knowledge", "export", "--format", "markdown")
    out = capsys.readouterr().out
    assert out.startswith("# Kennisbank Kindveilig")
    assert "## Alarmsignalen (`alarm_signals`)" in out
    assert "(`kind.shaken-baby`)" in out


def test_kennisbank_requires_login(client) -> None:
    response = client.get(reverse("knowledge:index"))
    assert response.status_code == 302


@pytest.mark.parametrize("role", [Role.PROFESSIONAL, Role.AUDITOR, Role.ADMIN])
def test_every_logged_in_user_can_browse_and_search(client, make_user, role) -> None:
    client.force_login(make_user(f"kb-{role}", role=role))
    index = client.get(reverse("knowledge:index"), {"q": "shaken"})
    assert "kind.shaken-baby" in [hit.entry.code for hit in index.context["hits"]]
    listing = client.get(reverse("knowledge:list", args=["alarm_signals"]))
    assert len(listing.context["knowledge_list"]) == 19
    detail = client.get(reverse("knowledge:entry", args=["interventions", "pcit"]))
    html = detail.content.decode()
    assert "Tabel 5.1" in html  # the source reference
    assert "Interventies zoeken" in html  # where the product uses it


def test_unknown_list_or_code_is_404(client, make_user) -> None:
    client.force_login(make_user("kb-404"))
    assert client.get(reverse("knowledge:list", args=["nope"])).status_code == 404
    assert client.get(reverse("knowledge:entry", args=["needs", "nope"])).status_code == 404


INVESTIGATION_LISTS = [
    "investigation_steps",
    "research_means",
    "lifeline_columns",
    "abc_schema",
    "fact_opinion",
    "child_signal_caveats",
    "example_research_questions",
    "conversation_phrases",
]


@pytest.mark.parametrize("list_name", INVESTIGATION_LISTS)
def test_investigation_lists_are_browsable(client, make_user, list_name) -> None:
    from kindveilig.knowledge.loader import knowledge_base

    client.force_login(make_user(f"kb-{list_name}"))
    assert client.get(reverse("knowledge:list", args=[list_name])).status_code == 200
    for entry in knowledge_base()[list_name]:
        response = client.get(reverse("knowledge:entry", args=[list_name, entry.code]))
        assert response.status_code == 200, entry.code


def test_lifeline_check_links_to_its_threshold(client, make_user) -> None:
    client.force_login(make_user("kb-lifeline"))
    url = reverse("knowledge:entry", args=["lifeline_columns", "kwetsbare-periode"])
    html = client.get(url).content.decode()
    assert reverse("knowledge:entry", args=["thresholds", "r13.kwetsbare-leeftijd-onder"]) in html


RISK_LISTS = [
    "risk_questions",
    "risk_scenario_steps",
    "risk_scenario_kinds",
    "risk_instrument_caveats",
]


@pytest.mark.parametrize("list_name", RISK_LISTS)
def test_risk_assessment_lists_are_browsable(client, make_user, list_name) -> None:
    from kindveilig.knowledge.loader import knowledge_base

    client.force_login(make_user(f"kb-{list_name}"))
    assert client.get(reverse("knowledge:list", args=[list_name])).status_code == 200
    for entry in knowledge_base()[list_name]:
        response = client.get(reverse("knowledge:entry", args=[list_name, entry.code]))
        assert response.status_code == 200, entry.code


def test_risk_caveats_link_to_instruments_and_the_childs_factors_show_their_caveat(
    client, make_user
) -> None:
    client.force_login(make_user("kb-risk"))
    url = reverse("knowledge:entry", args=["risk_instrument_caveats", "niet-huidige-veiligheid"])
    html = client.get(url).content.decode()
    assert reverse("knowledge:entry", args=["risk_instruments", "lirik"]) in html
    url = reverse("knowledge:entry", args=["protective_factors", "bescherming.kind.zelfwaardering"])
    assert "kinderschoenen" in client.get(url).content.decode()
