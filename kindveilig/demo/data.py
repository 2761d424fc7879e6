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
    return case


def demo_totp_code(user: User) -> str | None:
    """The current second-factor code of a demo user; None for any other account."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True, key=DEMO_TOTP_KEY.hex()).first()
    if device is None:
        return None
    return totp_current_code(device)
