"""Demo data: one organisation, one user per role, and the fictional family "familie Demo".

Idempotent: running it again changes nothing that already exists. Everything here is fictional;
demo passwords are documented in the README and must never be used outside a demo.
"""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from kindveilig.accounts.models import Organisation, Role, Team, User
from kindveilig.accounts.services import totp_current_code
from kindveilig.cases import services
from kindveilig.cases.models import Case, CaseRole, PersonRole
from kindveilig.demo import builders

DEMO_ORGANISATION = "Jeugdhulp Demo Regio"
DEMO_TEAM = "Team Noord"
DEMO_PASSWORD = "Kindveilig-demo-2026"  # noqa: S105 - documented demo password
DEMO_CASE_NAME = "familie Demo"
# The second factor of every demo user: add this key to an authenticator app, or print the
# current code with `kindveilig democode <username>`. Demo only, like the password.
DEMO_TOTP_KEY = b"KindveiligDemo2026!!"
DEMO_TOTP_SECRET_BASE32 = base64.b32encode(DEMO_TOTP_KEY).decode()


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: Role
    case_role: CaseRole | None
    description: str


DEMO_USERS = [
    DemoUser(
        "regievoerder",
        "Rianne",
        "Regie",
        Role.PROFESSIONAL,
        CaseRole.COORDINATOR,
        "regievoerder (coördinator van familie Demo)",
    ),
    DemoUser(
        "hulpverlener",
        "Hamid",
        "Hulp",
        Role.PROFESSIONAL,
        CaseRole.CASE_WORKER,
        "hulpverlener (lid van familie Demo)",
    ),
    DemoUser(
        "gedragswetenschapper",
        "Gerda",
        "Gedrag",
        Role.BEHAVIOURAL_SCIENTIST,
        CaseRole.BEHAVIOURAL_SCIENTIST,
        "gedragswetenschapper (vier-ogen, lid van familie Demo)",
    ),
    DemoUser(
        "teamleider",
        "Tom",
        "Leider",
        Role.TEAM_LEAD,
        None,
        "teamleider (geen toegang tot dossierinhoud)",
    ),
    DemoUser(
        "beheerder",
        "Bea",
        "Beheer",
        Role.ADMIN,
        None,
        "functioneel beheerder (geen toegang tot dossierinhoud)",
    ),
    DemoUser(
        "auditor",
        "Alex",
        "Audit",
        Role.AUDITOR,
        None,
        "privacy officer / logbeheerder (geen toegang tot dossierinhoud)",
    ),
]


@transaction.atomic
def load_demo(*, today: dt.date) -> Case:
    organisation, _ = Organisation.objects.get_or_create(name=DEMO_ORGANISATION)
    team, _ = Team.objects.get_or_create(organisation=organisation, name=DEMO_TEAM)
    users: dict[str, User] = {}
    for demo_user in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=demo_user.username,
            defaults={
                "first_name": demo_user.first_name,
                "last_name": demo_user.last_name,
                "role": demo_user.role,
                "organisation": organisation,
                "team": team,
                "email": f"{demo_user.username}@demo.kindveilig.invalid",
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            TOTPDevice.objects.create(
                user=user, name="Demo-authenticator", key=DEMO_TOTP_KEY.hex(), confirmed=True
            )
        users[demo_user.username] = user

    existing = Case.objects.filter(name=DEMO_CASE_NAME, organisation=organisation).first()
    if existing is not None:
        return existing

    coordinator = users["regievoerder"]
    members = [
        (users[demo_user.username], demo_user.case_role)
        for demo_user in DEMO_USERS
        if demo_user.case_role and demo_user.case_role != CaseRole.COORDINATOR
    ]

    def born(years_ago: int, month: int, day: int) -> dt.date:
        return dt.date(today.year - years_ago, month, day)

    case = builders.family(
        coordinator=coordinator,
        name=DEMO_CASE_NAME,
        members=members,
        persons=[
            builders.child(
                "Sanne",
                "Demo",
                age=9,
                today=today,
                birthday=(3, 14),
                sex="female",
                relation="dochter",
            ),
            builders.child(
                "Daan", "Demo", age=3, today=today, birthday=(2, 2), sex="male", relation="zoon"
            ),
            builders.parent(
                "Eva", "Demo", birth_date=born(34, 7, 21), sex="female", relation="moeder"
            ),
            builders.parent(
                "Mark", "Demo", birth_date=born(37, 11, 5), sex="male", relation="vader"
            ),
            builders.PersonSpec(
                PersonRole.NETWORK,
                "Ria",
                "Jansen",
                born(66, 1, 30),
                "female",
                "oma (moederskant)",
                lives_in_household=False,
            ),
            builders.PersonSpec(
                PersonRole.NETWORK,
                "Fatima",
                "El Amrani",
                born(45, 9, 9),
                "female",
                "buurvrouw",
                lives_in_household=False,
            ),
        ],
    )
    builders.external_professional(
        actor=coordinator,
        case=case,
        name="dr. P. Jansen",
        organisation_name="Huisartsenpraktijk De Linde",
        discipline="huisarts",
        phone="010-0000000",
        availability="ma-vr 8-17 uur",
    )
    for child in case.persons.filter(role=PersonRole.CHILD):
        services.maltreatment_form_record(
            actor=coordinator,
            child=child,
            code="getuige-huiselijk-geweld",
            status="suspected",
            onset="melding school, oktober",
        )
    investigation_in_progress(case=case, actor=coordinator, today=today)
    judging_in_progress(case=case, actor=coordinator)
    return case


def judging_in_progress(*, case: Case, actor: User) -> None:
    """Judging under way: Sanne's safety assessed (a signal, with oma guaranteeing her safety:
    safety agreements needed), a risk assessment with three scenarios, and the causes begun.
    Daan's safety is not assessed yet, nothing is approved and the conclusion is not written:
    the next steps and the four-eyes approval have something to show."""
    from kindveilig.assessment.services.causes import cause_add
    from kindveilig.assessment.services.risk import risk_assessment_record
    from kindveilig.assessment.services.safety import safety_assessment_record

    sanne = case.persons.get(given_name="Sanne")
    mother = case.persons.get(given_name="Eva")
    father = case.persons.get(given_name="Mark")
    safety_assessment_record(
        actor=actor,
        case=case,
        child_id=sanne.pk,
        alarm_signals=["mishandeling.ernstig-huiselijk-geweld"],
        notes={
            "mishandeling.ernstig-huiselijk-geweld": (
                "Sanne vertelt dat vader moeder in oktober heeft geslagen terwijl zij erbij was."
            )
        },
        responsible_adult_guarantees_safety=True,
        responsible_adult="Eva Demo (moeder), met oma Ria Jansen als vangnet",
        threatening_acts="Geweld van vader tegen moeder in het bijzijn van de kinderen.",
        child_signals="Sanne is op school stil en schrikt van harde geluiden (mentor).",
        consequences="Spanning en slaapproblemen; school zorgt zich over haar concentratie.",
        substantiation=(
            "Moeder en oma zijn te bereiken en hebben afgesproken dat Sanne bij oma slaapt als "
            "het thuis escaleert; vader woont tijdelijk bij zijn broer."
        ),
    )
    risk_assessment_record(
        actor=actor,
        case=case,
        risk_factors=[
            {"code": "risico.gezin.partnerrelatie-huiselijk-geweld", "weighty": True},
            "risico.ouder.eerder-geweld",
            "risico.gezin.materiele-problemen",
            "risico.kind.jong-kind",
        ],
        protective_factors=[
            "bescherming.ouder.informeel-netwerk",
            "bescherming.ouder.steun-vragen",
            "bescherming.kind.steun-volwassene",
        ],
        scenarios=[
            {
                "description": "Vader komt terug en het geweld tussen de ouders gaat door",
                "kind": "recurrence",
                "trigger": "Vader keert terug zonder hulp voor zijn agressie",
                "probability": 60,
                "severity": 4,
            },
            {
                "description": "Moeder raakt overbelast door de schulden en de zorg voor Daan",
                "kind": "circumstances-change",
                "trigger": "Beslaglegging op het inkomen",
                "probability": 40,
                "severity": 3,
            },
            {
                "description": "Vader gaat naar de hulp voor plegers en de ouders maken afspraken",
                "kind": "positive-development",
                "trigger": None,
                "probability": 30,
                "severity": 1,
            },
        ],
        notes="Taxatie na het gesprek met beide ouders; LIRIK nog niet afgenomen.",
    )
    for parent, code, note in (
        (
            father,
            "ouderfactor.negatief.onverwerkte-jeugdervaring",
            "Vader groeide zelf op met geweld tussen zijn ouders.",
        ),
        (
            mother,
            "ouderfactor.positief.steun-vragen",
            "Moeder zocht zelf contact met de huisarts en met oma.",
        ),
    ):
        values = {"kind": "parent", "parent_id": parent.pk, "code": code, "note": note}
        cause_add(actor=actor, case=case, values=values)


def investigation_in_progress(*, case: Case, actor: User, today: dt.date) -> None:
    """A realistic investigation under way, so a newcomer sees a living dossier: the concern,
    a research question answered (with counter-evidence), a specific question, a lifeline with
    an event from Sanne's first years, an observation, a questionnaire, Framework findings, a
    conversation with the parents held and one with Sanne planned."""
    from kindveilig.investigation import services as investigation
    from kindveilig.investigation.models import (
        Conversation,
        FrameworkFinding,
        LifelineEvent,
        Observation,
        QuestionnaireAdministration,
        ResearchQuestion,
    )

    case = services.case_update(
        actor=actor,
        case=case,
        expected_version=case.version,
        changes={
            "reason_for_concern": (
                "De school van Sanne meldt dat zij sinds oktober vaak moe en stil is en vertelde "
                "dat haar ouders 's avonds hard ruzie maken (bron: intern begeleider, 12-10). "
                "Moeder bevestigt spanningen thuis; vader wil eerst met de hulpverlener praten."
            )
        },
    )
    sanne = case.persons.get(given_name="Sanne")
    daan = case.persons.get(given_name="Daan")
    parents = list(case.persons.filter(role=PersonRole.PARENT).values_list("pk", flat=True))

    def add(model: type, **values: object) -> object:
        return investigation.investigation_record_add(
            actor=actor, case=case, model=model, values=values
        )

    danger = investigation.research_question_start(
        actor=actor, case=case, standard_code="direct-gevaar", child_id=sanne.pk
    )
    investigation.investigation_record_change(
        actor=actor,
        record=danger,
        expected_version=danger.version,
        values={
            "hypothesis": "Geen direct gevaar: de ruzies zijn verbaal en oma is dichtbij.",
            "means": ["gesprek", "dossieranalyse"],
            "status": "answered",
            "answer": "Op dit moment geen direct gevaar voor Sanne.",
            "substantiation": "Geen letsel gezien (school, huisarts); moeder en oma bevestigen "
            "dat er niet geslagen wordt; Sanne kan bij oma terecht.",
            "counter_evidence": "Gezocht naar aanwijzingen voor fysiek geweld (huisarts, "
            "school): niet gevonden. Vader is nog niet gesproken.",
        },
    )
    add(
        ResearchQuestion,
        question="Hoe ervaart Sanne de ruzies thuis, en bij wie zoekt zij steun?",
        hypothesis="Sanne voelt zich verantwoordelijk voor de stemming thuis.",
        information_needed="Haar eigen verhaal; wat de school en oma zien.",
        sources="Sanne, leerkracht, oma",
        means=["gesprek", "observatie"],
        status="in_progress",
    )
    born = sanne.birth_date or today
    add(
        LifelineEvent,
        date=dt.date(born.year + 2, 6, 1),
        kind="soort.gebeurtenis",
        description="Vader verliest zijn baan; periode van veel spanning thuis.",
        person_ids=[sanne.pk, *parents],
        source="moeder",
        assessment="problem",
    )
    add(
        LifelineEvent,
        date=dt.date(today.year - 1, 9, 1),
        kind="soort.advies-interventie",
        description="Schoolmaatschappelijk werk: twee gesprekken met moeder over opvoeding.",
        person_ids=[sanne.pk],
        source="school",
        assessment="strength",
    )
    add(
        Observation,
        person_id=sanne.pk,
        observed_on=today - dt.timedelta(days=6),
        setting="Thuisbezoek, aan tafel",
        antecedent="Vader verheft zijn stem tegen moeder over geld.",
        behaviour="Sanne wordt stil, pakt Daan bij de hand en gaat met hem naar boven.",
        consequence="Moeder roept haar terug; vader zegt dat er niets aan de hand is.",
        dimension="kind.emotionele-ontwikkeling-gedrag",
    )
    add(
        QuestionnaireAdministration,
        child_id=sanne.pk,
        instrument="sdq",
        informant="teacher",
        administered_on=today - dt.timedelta(days=10),
        outcome="Verhoogd op emotionele problemen; prosociaal gedrag hoog.",
        clinical_range="borderline",
    )
    for person, dimension, kind, text, nature, source in [
        (
            sanne,
            "kind.emotionele-ontwikkeling-gedrag",
            "concern",
            "Vaak moe en stil in de klas sinds oktober.",
            "feit",
            "leerkracht",
        ),
        (
            sanne,
            "kind.gezins-sociale-relaties",
            "strength",
            "Warme band met oma, gaat er graag heen.",
            "feit",
            "moeder, oma",
        ),
        (
            sanne,
            "kind.cognitieve-ontwikkeling",
            "strength",
            "Goede leerresultaten.",
            "feit",
            "rapport school",
        ),
        (
            daan,
            "kind.gezondheid",
            "strength",
            "Groeit goed, bezoekt het consultatiebureau.",
            "feit",
            "JGZ",
        ),
        (
            None,
            "omgeving.bredere-familie",
            "strength",
            "Oma woont om de hoek en is beschikbaar.",
            "feit",
            "oma",
        ),
    ]:
        add(
            FrameworkFinding,
            person_id=person.pk if person else None,
            dimension=dimension,
            kind=kind,
            text=text,
            nature=nature,
            source=source,
        )
    add(
        Conversation,
        with_whom="parents",
        person_ids=parents,
        status="held",
        planned_on=today - dt.timedelta(days=3),
        location="Thuis",
        attendees="Moeder, vader, regievoerder",
        notes="Beide ouders herkennen de spanningen; vader is terughoudend.",
        parents_view="Moeder wil dat de ruzies stoppen; vader vindt het 'normaal'.",
        change_talk=["verandertaal.nadelen-huidige-situatie"],
    )
    add(
        Conversation,
        with_whom="child",
        person_ids=[sanne.pk],
        status="planned",
        planned_on=today + dt.timedelta(days=4),
        location="School, rustige ruimte",
        attendees="Sanne, hulpverlener",
        aftercare="Juf Anne vangt Sanne na het gesprek op; oma haalt haar uit school.",
    )


def demo_totp_code(user: User) -> str | None:
    """The current second-factor code of a demo user; None for any other account."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True, key=DEMO_TOTP_KEY.hex()).first()
    if device is None:
        return None
    return totp_current_code(device)
