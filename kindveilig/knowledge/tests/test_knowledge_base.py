"""The knowledge base holds every list of PRODUCT §6 with exactly the fixed codes."""

import shutil
from pathlib import Path

import pytest
import yaml

from kindveilig.knowledge.loader import DATA_DIR, KnowledgeBaseError, load_knowledge_base
from kindveilig.knowledge.schema import Source


@pytest.fixture(scope="module")
def kb():
    return load_knowledge_base()


def codes(kb, name: str) -> set[str]:
    return kb[name].codes()


ALARM_SIGNALS = {
    "mishandeling.letsel-zonder-ongeval",
    "mishandeling.ernstig-fysiek-geweld",
    "mishandeling.ernstig-seksueel-misbruik",
    "mishandeling.bedreigende-leefomgeving",
    "mishandeling.ernstig-huiselijk-geweld",
    "omgang.basisbehoeften",
    "omgang.geen-bescherming",
    "omgang.weigert-toegang",
    "omgang.geen-betrokkenheid",
    "ouder.verklaring-letsel-inconsistent",
    "ouder.eerder-kind-overleden",
    "ouder.dreigt-geweld",
    "ouder.niet-beschikbaar",
    "ouder.ernstige-verstandelijke-beperking",
    "kind.toxische-stoffen",
    "kind.shaken-baby",
    "kind.verdachte-medische-symptomen",
    "kind.broer-zus-alarmsignaal",
    "kind.besnijdenisrisico",
}

FRAMEWORK_DIMENSIONS = {
    *(
        f"kind.{slug}"
        for slug in [
            "gezondheid",
            "cognitieve-ontwikkeling",
            "emotionele-ontwikkeling-gedrag",
            "identiteit",
            "gezins-sociale-relaties",
            "sociale-presentatie",
            "zelfredzaamheid",
        ]
    ),
    *(
        f"opvoeding.{slug}"
        for slug in [
            "basale-verzorging",
            "veiligheid",
            "emotionele-warmte",
            "stimuleren",
            "regels-grenzen",
            "stabiliteit",
        ]
    ),
    *(
        f"omgeving.{slug}"
        for slug in [
            "gezinsfunctioneren",
            "bredere-familie",
            "woonsituatie",
            "werksituatie",
            "financien",
            "sociale-integratie",
            "voorzieningen",
        ]
    ),
}

RISK_FACTORS = {
    *(
        f"risico.ouder.{slug}"
        for slug in [
            "pedagogische-vaardigheden",
            "ouder-kind-interactie",
            "negatieve-houding-kind",
            "eerdere-mishandeling",
            "ontkennen-minimaliseren",
            "psychiatrische-problematiek",
            "verslaving",
            "verstandelijke-beperking",
            "beschikbaarheid",
            "jong-ouderschap",
            "eigen-slachtofferschap",
            "eerder-geweld",
        ]
    ),
    *(
        f"risico.kind.{slug}"
        for slug in [
            "jong-kind",
            "belaste-voorgeschiedenis",
            "ziekte-handicap",
            "gedrags-ontwikkelingsproblemen",
            "moeilijk-temperament",
            "ongewenst",
        ]
    ),
    *(
        f"risico.gezin.{slug}"
        for slug in [
            "gezinssamenstelling",
            "veel-conflicten",
            "partnerrelatie-huiselijk-geweld",
            "instabiel-leven",
            "materiele-problemen",
            "ingrijpende-gebeurtenissen",
            "sociaal-isolement",
        ]
    ),
    "risico.omgeving.problematische-woonomgeving",
    "risico.omgeving.sociaal-culturele-context",
}

PROTECTIVE_FACTORS = {
    *(
        f"bescherming.ouder.{slug}"
        for slug in [
            "competentie-draagkracht",
            "positief-zelfbeeld",
            "emotionele-beschikbaarheid",
            "flexibiliteit",
            "intelligentie",
            "stabiele-persoonlijkheid",
            "jeugdervaringen-hanteren",
            "positieve-jeugdervaringen",
            "ondersteunende-partner",
            "informeel-netwerk",
            "formeel-netwerk",
            "steun-vragen",
            "veranderbereidheid",
        ]
    ),
    *(
        f"bescherming.kind.{slug}"
        for slug in [
            "zelfwaardering",
            "egoveerkracht",
            "intelligentie",
            "aantrekkelijk-uiterlijk",
            "makkelijk-temperament",
            "sociale-competentie",
            "steun-volwassene",
            "veranderbereidheid",
        ]
    ),
}

INTERVENTIONS = {
    "pcit",
    "families-first",
    "triple-p-pathways",
    "veilig-sterk-verder",
    "mst-can",
    "emdr",
    "horizon",
    "steps",
    "let-op-de-kleintjes",
    "incredible-years",
    "vipp-sd",
    "vig",
    "jeugdhulp-thuis",
    "mst",
    "iog",
    "ovg",
    "beter-met-thuis",
    "psycho-educatie",
    "tf-cbt",
}

NEEDS = {
    "ptss",
    "eenmalig-seksueel-geweld",
    "gedragsproblemen",
    "ouder-kind-relatie",
    "opvoedvaardigheden",
    "woederegulatie-ouder",
    "crisis-uithuisplaatsing",
    "multiprobleem",
    "gezinscommunicatie",
    "antisociaal-gedrag",
    "verwerking",
    "herhaling-voorkomen",
}

EXACT_CODES = {
    "alarm_signals": ALARM_SIGNALS,
    "alarm_signal_groups": {"mishandeling", "omgang", "ouder", "kind"},
    "framework_dimensions": FRAMEWORK_DIMENSIONS,
    "framework_domains": {"kind", "opvoeding", "omgeving"},
    "risk_factors": RISK_FACTORS,
    "protective_factors": PROTECTIVE_FACTORS,
    "research_questions": {
        "direct-gevaar",
        "bedreigend-handelen",
        "kindsignalen",
        "gevolgen",
        "oorzaken",
        "toekomstige-risicos",
    },
    "maltreatment_forms": {
        "fysieke-mishandeling",
        "fysieke-verwaarlozing",
        "psychische-mishandeling",
        "psychische-verwaarlozing",
        "getuige-huiselijk-geweld",
        "seksueel-misbruik",
    },
    "interventions": INTERVENTIONS,
    "needs": NEEDS,
    "questionnaires": {
        "cbcl",
        "trf",
        "ysr",
        "kippi",
        "sdq",
        "nosi",
        "nosik",
        "nvos",
        "vmg",
        "gks",
        "vgp",
        "vgf",
    },
    "risk_instruments": {"cfra", "care-nl", "delta-veiligheidslijst", "lirik"},
    "conversation_guides": {
        "basishouding",
        "voorbereiding",
        "gesprek-ouders",
        "technieken-ouders",
        "verandertaal",
        "kader-gesprek-kind",
        "gesprek-kind",
        "technieken-kind",
    },
    "meldcode_questions": {
        "vermoeden",
        "acute-structurele-onveiligheid",
        "adequate-hulp",
        "hulp-aanvaard",
        "hulp-resultaat",
    },
    "meldcode_steps": {"signalen", "collegiale-consultatie", "gesprek", "wegen", "beslissen"},
    "general_goals": {"veiligheid-kind", "gevolgen-beperken"},
    "network_criteria": {"reageert", "helpt-effectief", "bereikbaar", "betrouwbaar"},
    "collaboration_phases": {"voorbereiding", "ontwikkeling", "borging"},
    "collaboration_domains": {f"domein-{n}" for n in range(1, 8)},
    "thresholds": {
        "r1.veiligheid-herzien-na-dagen",
        "r3.ernst-hoog",
        "r3.kans-groot",
        "r4.veel-risicofactoren-vanaf",
        "r5.gesprek-kind-vanaf-leeftijd",
        "r9.duur-min-maanden",
        "r9.duur-max-maanden",
        "r9.duur-onvoldoende-maanden",
        "r9.huisbezoeken-meer-dan",
        "r9.huisbezoeken-minder-dan",
        "r13.kwetsbare-leeftijd-onder",
    },
    "research_means": {"dossieranalyse", "observatie", "vragenlijst", "gesprek"},
    # PRODUCT §5 R3 fixes the kinds of scenario (the engine's judging.SCENARIO_KINDS).
    "risk_scenario_kinds": {
        "continuation",
        "recurrence",
        "onset",
        "circumstances-change",
        "positive-development",
    },
    # The rules of PRODUCT §5 (Rule in kindveilig/method/outcome.py), and the method's own steps.
    "method_rules": {f"r{number}" for number in range(1, 15)} | {"method"},
}

# Lists whose codes are ours (not fixed in PRODUCT §6): the handbook fixes their size.
EXACT_COUNTS = {
    "parent_factors": 13,
    "effective_factors": 23,
    "sos_techniques": 6,
    "help_plan_parts": 7,
    "collaboration_forms": 5,
    "collaboration_checklist": 47,
    "change_prognosis_items": 15,
    "working_methods": 16,
    "closure_criteria": 8,
    "investigation_steps": 4,
    "research_means": 4,
    "abc_schema": 3,
    "child_signal_caveats": 4,
    "example_research_questions": 3,
    "risk_questions": 3,
    "risk_scenario_steps": 4,
    "risk_scenario_kinds": 5,
    "risk_instrument_caveats": 3,
}


# Codes we chose for lists that PRODUCT §6 does not fix: listed here so that an entry that is
# silently dropped or renamed fails a test (codes are stable API values).
CHOSEN_CODES = {
    "method_reasons": {
        "steps.no-child",
        "steps.no-concern",
        "steps.question-open",
        "steps.no-counter-evidence",
        "steps.no-lifeline",
        "steps.no-findings",
        "steps.safety-not-assessed",
        "steps.direct-danger",
        "steps.sibling-signal-since",
        "steps.sibling-signal-lapsed",
        "steps.safety-review-due",
        "steps.safety-awaiting-approval",
        "steps.safety-returned",
        "steps.risk-not-assessed",
        "steps.risk-awaiting-approval",
        "steps.risk-returned",
        "steps.scenario-without-agreements",
        "steps.no-causes",
        "steps.no-conclusion",
        "steps.conclusion-awaiting-approval",
        "steps.conclusion-returned",
        "r5.no-conversation",
        "r5.held",
        "r5.reason-recorded",
        "r5.age-unknown",
        "r5.too-young",
        "r5.parents-first",
        "r5.aftercare-first",
        "r5.prepared",
        "r12.age-fits",
        "r13.young-child",
        "r13.before-birth",
        "r13.older",
        "r13.age-unknown",
        "r1.no-signal",
        "r1.signal-with-guarantee",
        "r1.signal-without-guarantee",
        "r2.sibling-has-signal",
        "r3.priority-a",
        "r3.priority-b",
        "r3.priority-c",
        "r3.priority-d",
        "r4.context-none",
        "r4.context-some",
        "r4.context-many",
        "r4.weighty",
        "r4.child-buffers",
    },
    "change_prognosis_items": {
        "beperking.afspraken-niet-nakomen",
        "beperking.eerdere-hulp-zonder-effect",
        "beperking.psychiatrisch",
        "beperking.verslaving",
        "beperking.verstandelijk",
        "geen-bereidheid.geen-hulp-willen",
        "geen-bereidheid.hulpaanbod-afwijzen",
        "geen-bereidheid.weigeren-te-veranderen",
        "verandertaal.intentie",
        "verandertaal.nadelen-huidige-situatie",
        "verandertaal.optimisme",
        "verandertaal.voordelen-verandering",
        "vraag.aard-ernst-erkennen",
        "vraag.persoonlijke-beperkingen",
        "vraag.schade-erkennen",
    },
    "closure_criteria": {
        "blijvend-resultaat",
        "doelen-geevalueerd",
        "kind-functioneert-goed",
        "kind-groeit-veilig-op",
        "opvoeders-berekend",
        "terugvalafspraken",
        "veiligheidsdoelen-geevalueerd",
        "vertrouwen-terugval-voorkomen",
    },
    "collaboration_checklist": {
        "deel1.domein-1.01",
        "deel1.domein-1.02",
        "deel1.domein-1.03",
        "deel1.domein-1.04",
        "deel1.domein-1.05",
        "deel1.domein-2.01",
        "deel1.domein-2.02",
        "deel1.domein-2.03",
        "deel1.domein-2.04",
        "deel1.domein-3.01",
        "deel1.domein-3.02",
        "deel1.domein-4.01",
        "deel1.domein-4.02",
        "deel1.domein-4.03",
        "deel1.domein-5.01",
        "deel1.domein-5.02",
        "deel1.domein-5.03",
        "deel1.domein-6.01",
        "deel1.domein-6.02",
        "deel1.domein-7.01",
        "deel1.domein-7.02",
        "deel1.domein-7.03",
        "deel1.domein-7.04",
        "deel2.01",
        "deel2.02",
        "deel2.03",
        "deel2.04",
        "deel2.05",
        "deel2.06",
        "deel2.07",
        "deel2.08",
        "deel2.09",
        "deel2.10",
        "deel2.11",
        "deel2.12",
        "deel2.13",
        "deel2.14",
        "deel2.15",
        "deel2.16",
        "deel2.17",
        "deel2.18",
        "deel2.19",
        "deel2.20",
        "deel2.21",
        "deel2.22",
        "deel2.23",
        "deel2.24",
    },
    "collaboration_forms": {
        "coalitie",
        "communicatie",
        "cooperatie",
        "coordinatie",
        "integratie",
    },
    "effective_factors": {
        "algemeen.aansluiting-probleem",
        "algemeen.motivatie",
        "algemeen.professionaliteit",
        "algemeen.programmatrouw",
        "algemeen.structurering",
        "algemeen.werkomstandigheden",
        "algemeen.werkrelatie",
        "element.abuse-specific",
        "element.bewezen-effectief",
        "element.cognitief-gedragsmatig",
        "element.duur-intensiteit",
        "element.in-leefsituatie",
        "element.integraal",
        "element.krachtgericht",
        "element.op-maat",
        "element.stoppen-en-gevolgen",
        "specifiek.abuse-specific",
        "specifiek.cognitief-gedragsmatig",
        "specifiek.duur-intensiteit",
        "specifiek.eigen-leefsituatie",
        "specifiek.krachtgericht",
        "specifiek.meerdere-domeinen",
        "specifiek.op-maat",
    },
    "example_goals": {
        "gezin.conflicten-rustig-oplossen",
        "kind.gevoelens-vertellen",
        "kind.slapen-zonder-nachtmerries",
        "kind.voor-zichzelf-opkomen",
        "kind.weten-naar-wie",
        "kind.weten-wat-ouders-mogen",
        "ouder.behoeften-emoties-herkennen",
        "ouder.compliment-geven",
        "ouder.conflicten-zonder-kinderen",
        "ouder.gedrag-bijsturen-zonder-geweld",
        "ouder.nuchter-bij-kinderen",
        "ouder.positief-omgaan",
        "ouder.realistische-verwachtingen",
        "ouder.stress-herkennen",
        "ouder.weten-wie-helpt",
    },
    "help_plan_parts": {
        "coordinatie-contactpersonen",
        "eigen-kracht-netwerk",
        "hulpverleningsdoelen",
        "interventies",
        "monitoring-evaluatie",
        "samenhangend-beeld",
        "veiligheidsplan",
    },
    "monitoring_questions": {
        "evaluatie.doelen-gehaald",
        "evaluatie.nazorg-nodig",
        "evaluatie.veiligheidsdoelen",
        "gesprek.wanneer",
        "gesprek.wat-bereikt",
        "gesprek.wat-nog-nodig",
        "gesprek.wat-werkt-tegen",
        "gesprek.wie-helpt",
        "monitoring.belemmeringen",
        "monitoring.volgens-plan",
        "monitoring.vooruitgang",
        "veiligheid.gewaarborgd",
    },
    "own_strength_questions": {
        "eigen-kracht.schaalvragen",
        "eigen-kracht.uitzonderingen",
        "eigen-kracht.wanneer",
        "eigen-kracht.wat-helpt-al",
        "eigen-kracht.wat-nodig",
        "eigen-kracht.wat-werkt-tegen",
        "eigen-kracht.wie-helpt",
        "eigen-kracht.wondervraag",
        "netwerk.bij-wie-terecht",
        "netwerk.hoe-vragen",
        "netwerk.wie-helpt-bij-doel",
        "netwerk.wie-vindt-belangrijk",
    },
    "parent_factors": {
        "ouderfactor.negatief.fysieke-gezondheid",
        "ouderfactor.negatief.onverwerkte-jeugdervaring",
        "ouderfactor.negatief.pedagogische-kennis",
        "ouderfactor.negatief.psychische-problematiek",
        "ouderfactor.negatief.verslaving",
        "ouderfactor.negatief.verstandelijke-beperking",
        "ouderfactor.positief.competentie-draagkracht",
        "ouderfactor.positief.jeugdervaringen-hanteren",
        "ouderfactor.positief.ondersteunende-partner",
        "ouderfactor.positief.pedagogische-kennis",
        "ouderfactor.positief.positief-zelfbeeld",
        "ouderfactor.positief.stabiel-flexibel",
        "ouderfactor.positief.steun-vragen",
    },
    "prevalence_facts": {
        "prevalentie.amk-adviezen-2011",
        "prevalentie.amk-affectieve-verwaarlozing",
        "prevalentie.amk-bevestigd",
        "prevalentie.amk-getuige-huiselijk-geweld",
        "prevalentie.amk-meisjesbesnijdenis",
        "prevalentie.amk-meldingen-2011",
        "prevalentie.amk-munchhausen-by-proxy",
        "prevalentie.amk-pedagogische-verwaarlozing",
        "prevalentie.amk-seksueel-misbruik",
        "prevalentie.amk-stijging",
        "prevalentie.jaarlijks",
        "prevalentie.meerdere-vormen",
        "prevalentie.npm2005",
        "prevalentie.npm2010-beroepskrachten",
        "prevalentie.npm2010-scholieren",
        "prevalentie.vormen-beroepskrachten-scholieren",
    },
    "sos_techniques": {
        "bereidheid-vertrouwen-mogelijkheden",
        "doelen",
        "perspectief-gezinsleden",
        "sterke-kanten",
        "uitzonderingen",
        "veiligheid-en-vooruitgang-schalen",
    },
    "investigation_steps": {
        "onderzoeksvragen",
        "informatie-verzamelen",
        "beoordelen",
        "verslaglegging",
    },
    "lifeline_columns": {
        "tijd",
        "bron",
        "beschrijving",
        "problemen",
        "krachten",
        "kwetsbare-periode",
    },
    "abc_schema": {"antecedent", "gedrag", "consequentie"},
    "fact_opinion": {
        "feit",
        "mening",
        "emotie",
        "beleving",
        "bron-vermelden",
        "meerdere-bronnen",
        "eerste-indruk-toetsen",
        "zorgen-onderbouwen",
    },
    "child_signal_caveats": {
        "zelden-specifiek",
        "oorzaak-en-gevolg",
        "ervaren-onveiligheid",
        "verschil-in-gevolgen",
    },
    "example_research_questions": {"kind.ptss", "ouder.alcohol", "netwerk.oma-opvang"},
    "risk_questions": {"aard", "kans", "ernst"},
    "risk_scenario_steps": {
        "inventariseren",
        "kans-en-ernst-schatten",
        "meest-risicovol-bepalen",
        "veiligheidsplan-maken",
    },
    "risk_instrument_caveats": {"geen-zekerheid", "niet-huidige-veiligheid", "niet-wat-te-doen"},
    "conversation_phrases": {
        "kind.kader.geheim",
        "kind.kader.helpen",
        "kind.kader.onderwerp",
        "kind.open-vraag.doorvragen",
        "kind.sfeer.fijn-thuis",
        "kind.stappen.geen-schuld",
        "kind.stappen.waarom-hier",
        "kind.stappen.wat-anders",
        "ouders.concreet.zorg-van-de-ouder",
        "ouders.gesloten-vraag.slaan",
        "ouders.gevolgen.algemene-kennis",
        "ouders.gevolgen.wat-kinderen-nodig-hebben",
        "ouders.open-vraag.omgaan-met",
        "ouders.open-vraag.wat-gebeurt-er",
        "ouders.positief.goed-aangepakt",
        "ouders.positief.goede-ouder",
        "ouders.positief.samen-als-gezin",
        "ouders.positief.stap-gezet",
        "ouders.verandering.schaal-doel",
        "ouders.verandering.schaal-nu",
        "ouders.verandering.tegenstrijdigheid",
        "ouders.verandering.wat-anders",
        "ouders.verandering.wat-bereiken",
        "verandertaal.ouder.beter-voelen",
        "verandertaal.ouder.ernstig",
        "verandertaal.ouder.groter-probleem",
        "verandertaal.ouder.van-jeugdzorg-af",
        "verandertaal.ouder.wil-veranderen",
        "verandertaal.reactie.ambivalentie",
        "verandertaal.reactie.bevestigen",
        "verandertaal.reactie.doorvertellen",
        "verandertaal.reactie.samenvatten",
    },
    "working_methods": {
        "werkwijze.belemmerende-gedachten",
        "werkwijze.gevolgen-geweld-informeren",
        "werkwijze.irritatiedagboek",
        "werkwijze.omgaan-met-stress-en-angst",
        "werkwijze.omgaan-met-woede",
        "werkwijze.opvoedingsstijl-en-geschiedenis",
        "werkwijze.opvoedingsvaardigheden-versterken",
        "werkwijze.psycho-educatie-geweld-kind",
        "werkwijze.stoplicht",
        "werkwijze.stress-herkennen",
        "werkwijze.thermometer",
        "werkwijze.verwachtingen-ontwikkeling",
        "werkwijze.verwachtingen-ouder",
        "werkwijze.visie-kind-op-geweld",
        "werkwijze.vog",
        "werkwijze.winst-en-verliesrekening",
    },
}


@pytest.mark.parametrize("name", sorted(CHOSEN_CODES))
def test_list_keeps_its_chosen_codes(kb, name) -> None:
    assert codes(kb, name) == CHOSEN_CODES[name]


def test_every_list_has_its_code_set_under_test(kb) -> None:
    assert set(kb.lists) == set(EXACT_CODES) | set(CHOSEN_CODES)


@pytest.mark.parametrize("name", sorted(EXACT_CODES))
def test_list_has_exactly_the_specified_codes(kb, name) -> None:
    assert codes(kb, name) == EXACT_CODES[name]


@pytest.mark.parametrize("name", sorted(EXACT_COUNTS))
def test_list_has_the_handbooks_number_of_entries(kb, name) -> None:
    assert len(kb[name]) == EXACT_COUNTS[name]


def test_sub_counts_follow_the_handbook(kb) -> None:
    by = lambda name, attr, value: sum(1 for e in kb[name] if getattr(e, attr) == value)  # noqa: E731
    assert (
        by("parent_factors", "polarity", "negative"),
        by("parent_factors", "polarity", "positive"),
    ) == (6, 7)
    assert [by("effective_factors", "category", c) for c in ("general", "specific", "element")] == [
        7,
        7,
        9,
    ]
    assert [by("collaboration_checklist", "part", p) for p in (1, 2)] == [23, 24]
    groups = ("mishandeling", "omgang", "ouder", "kind")
    assert [by("alarm_signals", "group", g) for g in groups] == [5, 4, 5, 5]


def test_interventions_carry_every_matching_attribute(kb) -> None:
    for intervention in kb["interventions"]:
        assert intervention.age_min <= intervention.age_max
        assert intervention.evidence_level
        assert intervention.participants and intervention.setting
        assert set(intervention.needs) <= NEEDS
    assert kb.entry("interventions", "steps").sex == "female"
    pcit = kb.entry("interventions", "pcit")
    assert (pcit.age_min, pcit.age_max, tuple(pcit.age_range_bijlage)) == (2, 8, (2, 7))
    horizon = kb.entry("interventions", "horizon")
    assert (horizon.age_min, horizon.age_max, tuple(horizon.age_range_bijlage)) == (4, 18, (4, 12))


def test_every_entry_names_its_source_as_a_reader_of_the_handbook_finds_it(kb) -> None:
    for knowledge_list in kb.lists.values():
        for entry in knowledge_list:
            assert entry.label and entry.label_en and entry.text
            reference = entry.source.reference()
            assert reference.startswith(("§", "Bijlage ", "hoofdstuk ")), reference
            assert "regel" not in reference, reference
    assert kb.entry("alarm_signals", "kind.shaken-baby").source.reference() == "§3.2.1"


def test_source_references_read_as_in_the_handbook() -> None:
    assert Source(section="3.2.2", table="Tabel 3.1").reference() == "§3.2.2, tabel 3.1"
    assert Source(section="bijlage 5.1").reference() == "Bijlage 5.1"
    assert Source(section="4").reference() == "hoofdstuk 4"
    with pytest.raises(ValueError):
        Source(section="3.2.1", lines=(1, 2))  # line numbers of a text file are no source
    with pytest.raises(ValueError):
        Source(section="regels 12-14")


def test_thresholds_hold_the_rule_values(kb) -> None:
    value = lambda code: kb.entry("thresholds", code).value  # noqa: E731
    assert (value("r3.ernst-hoog"), value("r3.kans-groot")) == (4, 50)
    assert value("r4.veel-risicofactoren-vanaf") == 4
    assert value("r1.veiligheid-herzien-na-dagen") == 42
    assert (value("r9.duur-min-maanden"), value("r9.duur-max-maanden")) == (10, 24)
    assert (value("r9.huisbezoeken-meer-dan"), value("r9.huisbezoeken-minder-dan")) == (12, 33)
    assert (value("r5.gesprek-kind-vanaf-leeftijd"), value("r13.kwetsbare-leeftijd-onder")) == (
        4,
        5,
    )


@pytest.fixture
def data_copy(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def _edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_duplicate_code_is_refused(data_copy) -> None:
    _edit(data_copy / "needs.yaml", lambda d: d["entries"].append(dict(d["entries"][0])))
    with pytest.raises(KnowledgeBaseError, match="duplicate code 'ptss'"):
        load_knowledge_base(data_copy)


def test_age_min_above_age_max_is_refused(data_copy) -> None:
    def change(data):
        data["entries"][0]["age_min"] = 12
        data["entries"][0]["age_max"] = 4

    _edit(data_copy / "interventions.yaml", change)
    with pytest.raises(KnowledgeBaseError, match="age_min"):
        load_knowledge_base(data_copy)


def test_unresolved_reference_is_refused(data_copy) -> None:
    _edit(data_copy / "interventions.yaml", lambda d: d["entries"][0]["needs"].append("vliegangst"))
    with pytest.raises(KnowledgeBaseError, match="unknown needs code 'vliegangst'"):
        load_knowledge_base(data_copy)


def test_a_rule_without_its_description_is_refused(data_copy) -> None:
    _edit(data_copy / "thresholds.yaml", lambda d: d["entries"][0].update(rule="R99"))
    with pytest.raises(KnowledgeBaseError, match="rule 'R99' is not in method_rules"):
        load_knowledge_base(data_copy)


def test_every_rule_of_the_engine_is_described_in_words(kb) -> None:
    from kindveilig.method.outcome import Rule

    assert {rule.value.lower() for rule in Rule} == kb["method_rules"].codes()
    for entry in kb["method_rules"]:
        assert entry.text_en and entry.label != entry.code


def test_missing_required_attribute_and_unknown_attribute_are_refused(data_copy) -> None:
    _edit(data_copy / "alarm_signals.yaml", lambda d: d["entries"][0].pop("source"))
    with pytest.raises(KnowledgeBaseError, match="source"):
        load_knowledge_base(data_copy)
    shutil.copy(DATA_DIR / "alarm_signals.yaml", data_copy / "alarm_signals.yaml")
    _edit(data_copy / "alarm_signals.yaml", lambda d: d["entries"][0].update(groep="x"))
    with pytest.raises(KnowledgeBaseError, match="groep"):
        load_knowledge_base(data_copy)


def test_a_dropped_list_file_is_refused(data_copy) -> None:
    (data_copy / "risk_factors.yaml").unlink()
    with pytest.raises(KnowledgeBaseError, match="risk_factors"):
        load_knowledge_base(data_copy)


def test_search_finds_entries_and_sub_items(kb) -> None:
    hits = kb.search("shaken baby")
    assert ("alarm_signals", "kind.shaken-baby") in {(h.list_name, h.entry.code) for h in hits}
    fracture = kb.search("botbreuken zonder verklaring")
    assert [(h.entry.code, h.sub_item.code) for h in fracture if h.sub_item] == [
        ("kind.gezondheid", "kind.gezondheid.zorg.botbreuken")
    ]
    assert kb.search("   ") == []


def test_framework_items_cover_every_row_of_tables_3_1_to_3_3(kb) -> None:
    """Concern and strength items per table, as counted in the handbook (see the data file)."""
    counts: dict[tuple[str, str], int] = {}
    for dimension in kb["framework_dimensions"]:
        for kind, items in (
            ("zorg", dimension.concern_items),
            ("kracht", dimension.strength_items),
        ):
            for item in items:
                key = (item.source.table or "", kind)
                counts[key] = counts.get(key, 0) + 1
                assert item.code.startswith(f"{dimension.code}.{kind}.")
    assert counts == {
        ("Tabel 3.1", "zorg"): 35,
        ("Tabel 3.1", "kracht"): 23,
        ("Tabel 3.2", "zorg"): 42,
        ("Tabel 3.2", "kracht"): 24,
        ("Tabel 3.3", "zorg"): 26,
        ("Tabel 3.3", "kracht"): 28,
    }
    domains = {d.code: d.domain for d in kb["framework_dimensions"]}
    tables = {"Tabel 3.1": "opvoeding", "Tabel 3.2": "kind", "Tabel 3.3": "omgeving"}
    for dimension in kb["framework_dimensions"]:
        for item in [*dimension.concern_items, *dimension.strength_items]:
            assert tables[item.source.table] == domains[dimension.code]


# --- The investigation stage (chapters 3 and 4) ----------------------------------------


def _in_order(knowledge_list) -> list[str]:
    return [entry.code for entry in sorted(knowledge_list, key=lambda entry: entry.order)]


def test_the_investigation_has_four_steps_in_the_handbooks_order(kb) -> None:
    steps = kb["investigation_steps"]
    assert _in_order(steps) == [
        "onderzoeksvragen",
        "informatie-verzamelen",
        "beoordelen",
        "verslaglegging",
    ]
    assert [step.order for step in steps] == [1, 2, 3, 4]
    assert all(step.activities and step.source.section == "3.1" for step in steps)


def test_four_research_means_each_say_what_they_are_good_for(kb) -> None:
    means = kb["research_means"]
    assert _in_order(means) == ["dossieranalyse", "observatie", "vragenlijst", "gesprek"]
    for entry in means:
        assert entry.suited_for and entry.variants and entry.attention_points
        assert entry.source.reference() == "§3.1.2"
    # After an observation the handbook suggests questions for the parents.
    assert len(kb.entry("research_means", "observatie").follow_up_questions) == 4


def test_abc_schema_has_three_parts_each_with_a_question(kb) -> None:
    parts = kb["abc_schema"]
    assert _in_order(parts) == ["antecedent", "gedrag", "consequentie"]
    assert [part.letter for part in sorted(parts, key=lambda p: p.order)] == ["A", "B", "C"]
    for part in parts:
        assert part.questions and all(question.endswith("?") for question in part.questions)


def test_lifeline_has_the_handbooks_columns_and_the_vulnerable_period_check(kb) -> None:
    lifeline = kb["lifeline_columns"]
    columns = [entry for entry in lifeline if entry.kind == "column"]
    assert _in_order(columns) == ["tijd", "bron", "beschrijving", "problemen", "krachten"]
    kinds = {item.code for item in kb.entry("lifeline_columns", "beschrijving").options}
    assert kinds == {
        "soort.gebeurtenis",
        "soort.onderzoek",
        "soort.advies-interventie",
        "soort.emotie",
    }
    (check,) = [entry for entry in lifeline if entry.kind == "check"]
    assert check.code == "kwetsbare-periode"
    # The threshold lives in thresholds.yaml only; the lifeline refers to it.
    assert check.thresholds == ["r13.kwetsbare-leeftijd-onder"]
    assert kb.entry("thresholds", check.thresholds[0]).rule == "R13"


def test_facts_are_told_apart_from_opinions_emotions_and_experience(kb) -> None:
    kinds = {entry.code: entry.kind for entry in kb["fact_opinion"]}
    assert kinds["feit"] == "observable"
    assert [code for code, kind in kinds.items() if kind == "observable"] == ["feit"]
    assert {kinds["mening"], kinds["emotie"], kinds["beleving"]} == {"personal"}
    assert kinds["bron-vermelden"] == "practice"


def test_four_caveats_for_child_signals_from_section_3_2_3(kb) -> None:
    caveats = kb["child_signal_caveats"]
    assert [caveat.order for caveat in sorted(caveats, key=lambda c: c.order)] == [1, 2, 3, 4]
    assert all(caveat.source.section == "3.2.3" and caveat.question for caveat in caveats)


def test_example_research_questions_cover_child_parents_and_upbringing(kb) -> None:
    examples = kb["example_research_questions"]
    assert sorted(example.about for example in examples) == ["child", "parent", "upbringing"]
    assert all(example.question.endswith("?") for example in examples)


def test_conversation_phrases_belong_to_an_item_of_their_guide(kb) -> None:
    phrases = kb["conversation_phrases"]
    for phrase in phrases:
        guide = kb.entry("conversation_guides", phrase.guide)
        if phrase.item is not None:
            assert phrase.item in {item.label for item in guide.items}, phrase.code
        if phrase.speaker == "parent":
            assert phrase.guide == "verandertaal", phrase.code
    guides = {phrase.guide for phrase in phrases}
    # Conversations with parents (with change talk) and with children all have phrases.
    assert {"gesprek-ouders", "technieken-ouders", "verandertaal", "technieken-kind"} <= guides
    for item in ("Laten doorvertellen", "Samenvatten", "Bevestigen"):
        assert any(p.guide == "verandertaal" and p.item == item for p in phrases), item


# --- Risk assessment (§3.4) and the child's protective factors (§1.4.3) ------------------


def test_three_key_questions_weigh_nature_probability_and_severity(kb) -> None:
    questions = kb["risk_questions"]
    assert _in_order(questions) == ["aard", "kans", "ernst"]
    assert [q.aspect for q in sorted(questions, key=lambda q: q.order)] == [
        "nature",
        "probability",
        "severity",
    ]
    for question in questions:
        assert question.question.endswith("?") and question.source.reference() == "§3.4"


def test_risk_scenarios_are_made_in_four_steps_the_third_using_the_r3_thresholds(kb) -> None:
    steps = kb["risk_scenario_steps"]
    assert _in_order(steps) == [
        "inventariseren",
        "kans-en-ernst-schatten",
        "meest-risicovol-bepalen",
        "veiligheidsplan-maken",
    ]
    assert all(step.activities and step.source.section == "3.4" for step in steps)
    ranking = kb.entry("risk_scenario_steps", "meest-risicovol-bepalen")
    assert ranking.thresholds == ["r3.ernst-hoog", "r3.kans-groot"]
    assert {kb.entry("thresholds", code).rule for code in ranking.thresholds} == {"R3"}
    assert all(not step.thresholds for step in steps if step is not ranking)
    # The safety plan has agreements on prevention and on response.
    assert len(kb.entry("risk_scenario_steps", "veiligheidsplan-maken").activities) == 2


def test_scenario_kinds_in_the_handbooks_words_with_its_one_example_trigger(kb) -> None:
    kinds = kb["risk_scenario_kinds"]
    assert _in_order(kinds) == [
        "continuation",
        "recurrence",
        "onset",
        "circumstances-change",
        "positive-development",
    ]
    labels = {kind.code: kind.label.lower() for kind in kinds}
    for code, word in [
        ("continuation", "voortzetting"),
        ("recurrence", "herhaling"),
        ("onset", "ontstaan"),
        ("circumstances-change", "verandering in de gezinssituatie"),
        ("positive-development", "positieve ontwikkeling"),
    ]:
        assert word in labels[code], code
    triggers = {kind.code: kind.example_trigger for kind in kinds if kind.example_trigger}
    assert list(triggers) == ["circumstances-change"]
    assert "gevangenis" in triggers["circumstances-change"]


def test_instrument_caveats_name_the_instruments_that_do_assess_current_safety(kb) -> None:
    caveats = kb["risk_instrument_caveats"]
    assert _in_order(caveats) == ["geen-zekerheid", "niet-huidige-veiligheid", "niet-wat-te-doen"]
    current = {i.code for i in kb["risk_instruments"] if i.assesses_current_safety}
    exceptions = {caveat.code: set(caveat.exceptions) for caveat in caveats}
    assert exceptions == {
        "geen-zekerheid": set(),
        "niet-huidige-veiligheid": current,
        "niet-wat-te-doen": set(),
    }
    assert current == {"lirik", "delta-veiligheidslijst"}


def test_the_childs_protective_factors_carry_the_caveat_of_section_1_4_3(kb) -> None:
    for factor in kb["protective_factors"]:
        if factor.level == "kind":
            assert factor.source.section == "1.4.3", factor.code
            assert factor.note and "gevolgen" in factor.note, factor.code
            assert "kinderschoenen" in factor.note and "tegen" in factor.note, factor.code
            assert "niet mee" in factor.note, factor.code
        else:
            assert factor.source.section == "1.3.2", factor.code
