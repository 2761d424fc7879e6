import functools
import json
import re

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


# --- No internal codes in the Dutch Kennisbank -------------------------------------------


def visible_text(html: str) -> str:
    """The text a reader sees: no tags, attributes (links, ids) or the page's head."""
    body = html.split("<body", 1)[1]
    return re.sub(r"<[^>]+>", " ", body)


INTERNAL = re.compile(r"\bR\d{1,2}\b|\bregels? \d+|\b\w+\.md\b|\b[a-z]+_[a-z_]+\b")


@functools.cache
def dotted_codes() -> re.Pattern[str]:
    """Any entry code with a dot (risico.ouder.pedagogische-vaardigheden) as a word."""
    from kindveilig.knowledge.loader import knowledge_base
    from kindveilig.knowledge.schema import sub_items

    codes = {
        code
        for knowledge_list in knowledge_base().lists.values()
        for entry in knowledge_list
        for code in [entry.code, *(item.code for item in sub_items(entry))]
        if "." in code
    }
    alternatives = "|".join(re.escape(code) for code in sorted(codes, key=len, reverse=True))
    return re.compile(rf"(?<![\w.-])(?:{alternatives})(?![\w-])")


def internal_codes(text: str) -> list[str]:
    """What a professional should never read: rule numbers (R5), line numbers of a text file
    ("regels 406-406"), our design documents, list names (risk_factors) and entry codes with a
    dot (risico.ouder.pedagogische-vaardigheden)."""
    return INTERNAL.findall(text) + dotted_codes().findall(text)


def test_no_text_of_the_knowledge_base_shows_an_internal_code() -> None:
    from django.utils import translation

    from kindveilig.knowledge.display import entry_attributes, entry_label, entry_text
    from kindveilig.knowledge.loader import knowledge_base

    kb = knowledge_base()
    problems = {}
    with translation.override("nl"):
        for name, knowledge_list in kb.lists.items():
            for entry in knowledge_list:
                texts = [entry_label(entry), entry_text(entry), entry.note or ""]
                for attribute in entry_attributes(entry, knowledge_list):
                    if attribute.kind == "text":
                        texts.append(str(attribute.value))
                    elif attribute.kind == "list" and not attribute.reference_list:
                        texts += [str(value) for value in attribute.value]
                found = internal_codes(" ".join(texts).replace(entry.code, ""))
                if found:
                    problems[f"{name}: {entry.code}"] = found
    assert problems == {}


def test_no_kennisbank_page_shows_an_internal_code(client, make_user) -> None:
    """Every list page, and one entry of every list (the texts of all entries are checked
    above): the page's own words around the data have no codes either."""
    from kindveilig.knowledge.loader import knowledge_base

    kb = knowledge_base()
    client.force_login(make_user("kb-codes"))
    problems = {}
    pages = [reverse("knowledge:index"), reverse("knowledge:index") + "?q=ouder"]
    for name, knowledge_list in kb.lists.items():
        pages.append(reverse("knowledge:list", args=[name]))
        pages.append(reverse("knowledge:entry", args=[name, knowledge_list.entries[-1].code]))
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        found = internal_codes(visible_text(response.content.decode()))
        if found:
            problems[url] = found
    assert problems == {}


def test_attribute_values_are_words_not_codes() -> None:
    from django.utils import translation

    from kindveilig.knowledge.display import entry_attributes
    from kindveilig.knowledge.loader import knowledge_base

    kb = knowledge_base()
    code_like = re.compile(r"^[a-z][a-z0-9]*([.-][a-z0-9]+)+$|^(yes|no|steps|attitude)$")
    problems = []
    with translation.override("nl"):
        for name, knowledge_list in kb.lists.items():
            for entry in knowledge_list:
                for attribute in entry_attributes(entry, knowledge_list):
                    if attribute.kind == "reference" or attribute.reference_list:
                        continue  # shown as the label of the entry it refers to
                    values = attribute.value if attribute.kind == "list" else [attribute.value]
                    if attribute.kind in ("text", "list"):
                        problems += [
                            (name, entry.code, attribute.key, value)
                            for value in values
                            if code_like.match(str(value))
                        ]
    assert problems == []


def test_rules_are_named_in_words_and_linked_to_their_explanation(client, make_user) -> None:
    client.force_login(make_user("kb-rules"))
    html = client.get(reverse("knowledge:list", args=["interventions"])).content.decode()
    assert reverse("knowledge:entry", args=["method_rules", "r8"]) in html
    assert "Passende interventies zoeken" in html
    rule = client.get(reverse("knowledge:entry", args=["method_rules", "r5"])).content.decode()
    assert "vanaf vier jaar" in rule
    threshold = reverse("knowledge:entry", args=["thresholds", "r5.gesprek-kind-vanaf-leeftijd"])
    html = client.get(threshold).content.decode()
    assert reverse("knowledge:entry", args=["method_rules", "r5"]) in html
    assert "Gesprek met het kind" in html


def test_an_item_inside_an_entry_is_named_by_its_label() -> None:
    from kindveilig.knowledge.display import label_of

    assert label_of("framework_dimensions", "opvoeding.stabiliteit.zorg.verslaving") == (
        "Ouder is verslaafd"
    )
    assert label_of("framework_dimensions", "kind.gezondheid") == (
        "Gezondheid en lichamelijke verschijning"
    )
    assert label_of("framework_dimensions", "onbekend") == "onbekend"


# The parts of the method that are not built yet: the Kennisbank names them only as "later".
NOT_BUILT = (
    "Plantoets",
    "Interventies zoeken",
    "Hulpverleningsplan",
    "Veiligheidsplan",
    "Meldcode",
)


def test_the_kennisbank_promises_no_page_that_does_not_exist(client, make_user) -> None:
    from kindveilig.knowledge.loader import knowledge_base

    kb = knowledge_base()
    promised = [
        (name, place)
        for name, knowledge_list in kb.lists.items()
        for place in knowledge_list.meta.used_in
        if place.startswith(NOT_BUILT)
    ]
    assert promised == []
    client.force_login(make_user("kb-planned"))
    page = client.get(reverse("knowledge:list", args=["interventions"])).content.decode()
    used_in = page[page.index('data-testid="used-in"') :]
    assert "Nog nergens: de onderdelen van Kindveilig die dit gebruiken" in used_in
    assert "Plantoets" in used_in[used_in.index('data-testid="planned-in"') :]
    uses = client.get(reverse("knowledge:list", args=["alarm_signals"])).content.decode()
    assert "Veiligheidstaxatie per kind" in uses and 'data-testid="planned-in"' not in uses
