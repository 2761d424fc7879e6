"""The permission matrix: every URL and API operation × anonymous, case members and
non-members of every role, with the expected outcome — generated from the URL configuration
and the OpenAPI schema, so a new route or operation without an entry here fails the build.

The world holds one record of every kind of case data (derived from ``CaseRecord``, so a new
kind fails here until it is added), each carrying a marker text. Outcomes are checked on what
matters: a case page shows the family for members; nobody else ever sees a marker; the API list
contains the case only for members; and every status an operation answers is declared in the
schema for it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from kindveilig.accounts.models import Role, User
from kindveilig.accounts.services import api_token_create
from kindveilig.api.api import api
from kindveilig.approvals.models import Approval
from kindveilig.approvals.services import approval_decide
from kindveilig.assessment.models import (
    CauseFactor,
    Conclusion,
    InstrumentOutcome,
    RiskAssessment,
    SafetyAssessment,
)
from kindveilig.assessment.services import risk
from kindveilig.assessment.services.causes import cause_add
from kindveilig.assessment.services.conclusion import conclusion_save
from kindveilig.assessment.services.safety import safety_assessment_record
from kindveilig.cases import services
from kindveilig.cases.models import (
    BreakGlassAccess,
    BreakGlassReason,
    Case,
    CaseMember,
    CaseRecord,
    CaseRole,
    ChildMaltreatmentForm,
    Person,
)
from kindveilig.demo import builders
from kindveilig.investigation import services as investigation
from kindveilig.investigation.api import KINDS as INVESTIGATION_KINDS
from kindveilig.investigation.models import (
    Conversation,
    FrameworkFinding,
    LifelineEvent,
    Observation,
    QuestionnaireAdministration,
    ResearchQuestion,
)
from kindveilig.investigation.views import SECTIONS

FAMILY = "familie Matrix"
CHILD = "Matrixkind"

# One record of every kind of case data, each with a marker no non-member may ever see.
RECORD_BUILDERS = {
    Person: lambda actor, case, child: child,
    CaseMember: lambda actor, case, child: builders.external_professional(
        actor=actor, case=case, name="Matrixhuisarts"
    ),
    ChildMaltreatmentForm: lambda actor, case, child: services.maltreatment_form_record(
        actor=actor,
        child=child,
        code="fysieke-mishandeling",
        status="suspected",
        onset="Matrixbegin",
    ),
}


RECORD_BUILDERS.update(
    {
        ResearchQuestion: lambda actor, case, child: investigation.investigation_record_add(
            actor=actor,
            case=case,
            model=ResearchQuestion,
            values={"question": "Matrixvraag: hoe gaat het op school?"},
        ),
        LifelineEvent: lambda actor, case, child: investigation.investigation_record_add(
            actor=actor,
            case=case,
            model=LifelineEvent,
            values={
                "date": dt.date(2020, 1, 1),
                "kind": "soort.gebeurtenis",
                "description": "Matrixgebeurtenis",
                "person_ids": [child.pk],
            },
        ),
        Observation: lambda actor, case, child: investigation.investigation_record_add(
            actor=actor,
            case=case,
            model=Observation,
            values={
                "person_id": child.pk,
                "observed_on": dt.date(2026, 1, 1),
                "behaviour": "Matrixgedrag",
            },
        ),
        QuestionnaireAdministration: lambda actor, case, child: (
            investigation.investigation_record_add(
                actor=actor,
                case=case,
                model=QuestionnaireAdministration,
                values={
                    "child_id": child.pk,
                    "instrument": "sdq",
                    "informant": "parent",
                    "administered_on": dt.date(2026, 1, 1),
                    "outcome": "Matrixuitkomst",
                },
            )
        ),
        FrameworkFinding: lambda actor, case, child: investigation.investigation_record_add(
            actor=actor,
            case=case,
            model=FrameworkFinding,
            values={
                "person_id": child.pk,
                "dimension": "kind.gezondheid",
                "kind": "strength",
                "text": "Matrixbevinding",
            },
        ),
        Conversation: lambda actor, case, child: investigation.investigation_record_add(
            actor=actor,
            case=case,
            model=Conversation,
            values={
                "with_whom": "child",
                "person_ids": [child.pk],
                "status": "held",
                "child_wishes": "Matrixwens",
            },
        ),
    }
)
# Judging (the assessment app): plain records until each part's service builds them.
RECORD_BUILDERS.update(
    {
        SafetyAssessment: lambda actor, case, child: safety_assessment_record(
            actor=actor,
            case=case,
            child_id=child.pk,
            alarm_signals=[],
            responsible_adult_guarantees_safety=False,
            substantiation="Matrixonderbouwing",
        ),
        RiskAssessment: lambda actor, case, child: risk.risk_assessment_record(
            actor=actor,
            case=case,
            risk_factors=[{"code": "risico.ouder.verslaving", "weighty": True}],
            protective_factors=["bescherming.kind.zelfwaardering"],
            scenarios=[
                {
                    "description": "Matrixrisico: vader drinkt weer",
                    "kind": "recurrence",
                    "probability": 60,
                    "severity": 4,
                }
            ],
            notes="Matrixrisico",
        ),
        InstrumentOutcome: lambda actor, case, child: risk.instrument_outcome_add(
            actor=actor,
            case=case,
            values={
                "instrument": "lirik",
                "administered_on": dt.date(2026, 1, 5),
                "administered_by": "Matrixafnemer",
                "outcome": "Matrixinstrument",
            },
        ),
        CauseFactor: lambda actor, case, child: cause_add(
            actor=actor,
            case=case,
            values={
                "kind": "family_environment",
                "code": "omgeving.financien",
                "polarity": "negative",
                "note": "Matrixoorzaak",
            },
        ),
        Conclusion: lambda actor, case, child: conclusion_save(
            actor=actor, case=case, expected_version=0, summary="Matrixconclusie", sources=""
        ),
        # The case's behavioural scientist returns the risk assessment "member" made.
        Approval: lambda actor, case, child: approval_decide(
            actor=case.members.get(role=CaseRole.BEHAVIOURAL_SCIENTIST).user,
            case=case,
            subject_type="risk_assessment",
            subject_id=RiskAssessment.objects.get(case=case).pk,
            subject_version=1,
            decision="returned",
            comment="Matrixgoedkeuring",
        ),
    }
)
PARENT = "Matrixouder"
MARKERS = [
    FAMILY,
    CHILD,
    PARENT,
    "Matrixhuisarts",
    "Matrixbegin",
    "Matrixvraag",
    "Matrixgebeurtenis",
    "Matrixgedrag",
    "Matrixuitkomst",
    "Matrixbevinding",
    "Matrixwens",
    "Matrixonderbouwing",
    "Matrixrisico",
    "Matrixinstrument",
    "Matrixoorzaak",
    "Matrixconclusie",
    "Matrixgoedkeuring",
]

MEMBERS = ["member", "member_bs"]
NON_MEMBERS = [f"non_member_{role.value}" for role in Role]
# A professional of the organisation, not a member, reading the case through emergency access
# (break-the-glass for urgent information): every read of the case, no change anywhere.
EMERGENCY_READER = "emergency_reader"
ACTORS = ["anonymous", *MEMBERS, *NON_MEMBERS, EMERGENCY_READER]
CASE_WORKERS = {
    "member",
    "member_bs",
    "non_member_professional",
    "non_member_behavioural_scientist",
}
# The roles whose start page is elsewhere than "my cases".
ROLES_WITH_OWN_HOME = {"non_member_team_lead", "non_member_admin", "non_member_auditor"}


@dataclass
class World:
    users: dict[str, User]
    case_id: int
    person_id: int
    ids: dict[str, Any] = field(default_factory=dict)


@pytest.fixture
def world(organisation) -> World:
    users = {
        "member": builders.user("member", organisation=organisation),
        "member_bs": builders.user(
            "member_bs", organisation=organisation, role=Role.BEHAVIOURAL_SCIENTIST
        ),
    }
    for role in Role:
        users[f"non_member_{role.value}"] = builders.user(
            f"nm_{role.value}", organisation=organisation, role=role
        )
    users[EMERGENCY_READER] = builders.user(EMERGENCY_READER, organisation=organisation)
    case = builders.family(
        coordinator=users["member"],
        name=FAMILY,
        members=[(users["member_bs"], CaseRole.BEHAVIOURAL_SCIENTIST)],
        persons=[builders.PersonSpec("child", CHILD, "Matrix", dt.date(2018, 1, 1))],
    )
    child = case.persons.get()
    built = {model: build(users["member"], case, child) for model, build in RECORD_BUILDERS.items()}
    world = World(users=users, case_id=case.pk, person_id=child.pk)
    for section in SECTIONS:
        world.ids[section.key] = built[section.model].pk
    world.ids["child"] = child.pk
    world.ids["instrument_outcome"] = built[InstrumentOutcome].pk
    world.ids["cause"] = built[CauseFactor].pk
    world.ids["safety_assessment"] = built[SafetyAssessment].pk
    world.ids["maltreatment_form"] = built[ChildMaltreatmentForm].pk
    # A parent about whom nothing is recorded (so removing them succeeds), with a BSN.
    world.ids["parent"] = builders.add_person(
        actor=users["member"],
        case=case,
        spec=builders.PersonSpec("parent", PARENT, "Matrix", dt.date(1990, 1, 1), bsn="111222333"),
    ).pk
    # The behavioural scientist's membership: the one the team routes change or end.
    world.ids["membership"] = case.members.get(user=users["member_bs"]).pk
    api_token_create(user=users["member"], name="matrix-token")
    world.ids["token"] = users["member"].api_tokens.get(name="matrix-token").pk
    # An emergency access of yesterday (expired: it gives no access), for the auditor's review.
    yesterday = timezone.now() - dt.timedelta(days=1)
    world.ids["break_glass"] = BreakGlassAccess.objects.create(
        case=case,
        user=users["non_member_professional"],
        reason="Matrix-noodgeval van gisteren, ter controle",
        started_at=yesterday,
        expires_at=yesterday + dt.timedelta(hours=4),
    ).pk
    services.break_glass_open(
        actor=users[EMERGENCY_READER],
        case_id=case.pk,
        reason="Matrix: dringend informatie nodig, alleen lezen",
        reason_category=BreakGlassReason.URGENT_INFORMATION,
    )
    return world


def test_the_world_holds_every_kind_of_case_record() -> None:
    kinds = {model for model in apps.get_models() if issubclass(model, CaseRecord)}
    assert set(RECORD_BUILDERS) == kinds
    assert Case not in kinds


def outcome(response) -> str:
    if response.status_code in (301, 302):
        location = response["Location"]
        return "login" if location.startswith(reverse("accounts:login")) else "redirect"
    return str(response.status_code)


# --- Web UI -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str
    method: str = "get"
    # "case" -> case_id, "list" -> list_name/code, "draft" -> case+form_key, "parent" and
    # "child" -> case+person_id, "maltreatment_form" -> case+form_id
    kwargs: str = ""
    data: tuple[tuple[str, str], ...] = ()
    expect: str = "user"  # category, see expected()


ROUTES = [
    Route(
        "set_language", "post", data=(("language", "en"), ("next", "/")), expect="public_redirect"
    ),
    Route("core:privacy", expect="public"),
    Route("core:help", expect="public"),
    Route("accounts:login", expect="login_page"),
    Route("accounts:second_factor", expect="no_pending"),
    # Changing how one logs in asks for the password and a code first (re-authentication).
    Route("accounts:enrol", expect="reauthenticate"),
    Route("accounts:reauthenticate"),
    Route("accounts:api_token_create", "post", data=(("name", "matrix"),), expect="reauthenticate"),
    Route("accounts:api_token_revoke", "post", kwargs="token", expect="own_token"),
    Route("accounts:security"),
    Route("accounts:password_change"),
    Route("accounts:recovery_codes", "post", expect="reauthenticate"),
    Route("accounts:logout_everywhere", "post", expect="user_logout"),
    Route("accounts:logout", "post", expect="logout"),
    Route("knowledge:index"),
    Route("knowledge:list", kwargs="list"),
    Route("knowledge:entry", kwargs="entry"),
    Route("oversight:audit_log", expect="auditor"),
    Route("oversight:audit_log_export", "post", expect="auditor"),
    Route("oversight:team_overview", expect="team_lead"),
    Route("administration:accounts", expect="admin"),
    Route("administration:account_detail", kwargs="account", expect="admin"),
    Route("administration:organisations", expect="admin"),
    # Every change of the administrator asks for the password and a code first.
    Route("administration:account_create", expect="admin_reauthenticate"),
    Route(
        "administration:account_create",
        "post",
        data=(("username", "matrix-nieuw"), ("role", "professional")),
        expect="admin_reauthenticate",
    ),
    Route(
        "administration:account_deactivate", "post", kwargs="account", expect="admin_reauthenticate"
    ),
    Route(
        "administration:account_reactivate", "post", kwargs="account", expect="admin_reauthenticate"
    ),
    Route(
        "administration:account_reset_second_factor",
        "post",
        kwargs="account",
        expect="admin_reauthenticate",
    ),
    Route(
        "administration:account_token_revoke",
        "post",
        kwargs="account_token",
        expect="admin_reauthenticate",
    ),
    Route(
        "administration:organisation_create",
        "post",
        data=(("name", "Matrixorganisatie"),),
        expect="admin_reauthenticate",
    ),
    Route("oversight:break_glass_report", expect="auditor"),
    Route("oversight:denied_access", expect="auditor"),
    Route(
        "oversight:break_glass_review",
        "post",
        kwargs="break_glass",
        data=(("comment", "In orde"),),
        expect="auditor_post",
    ),
    # The start page: a role's own home; "my cases" itself for every role.
    Route("cases:my_cases", expect="home"),
    Route("cases:my_cases_list", expect="my_cases"),
    Route("cases:break_glass", expect="user"),
    Route("cases:case_create", expect="user"),
    Route("cases:person_add", kwargs="case", expect="case"),
    Route("cases:person_edit", kwargs="parent", expect="case"),
    Route(
        "cases:person_edit",
        "post",
        kwargs="parent",
        data=(
            ("role", "parent"),
            ("given_name", "Matrixmoeder"),
            ("family_name", "Matrix"),
            ("version", "1"),
        ),
        expect="case_post",
    ),
    Route("cases:person_remove", kwargs="parent", expect="case"),
    Route("cases:person_remove", "post", kwargs="parent", expect="case_post"),
    # The full BSN is shown in the answer to a POST (never a GET), logged as its own event.
    Route("cases:person_bsn", "post", kwargs="parent", expect="case"),
    Route("cases:maltreatment_form_add", kwargs="child", expect="case"),
    Route(
        "cases:maltreatment_form_add",
        "post",
        kwargs="child",
        data=(("code", "fysieke-verwaarlozing"), ("status", "suspected")),
        expect="case_post",
    ),
    Route("cases:maltreatment_form_edit", kwargs="maltreatment_form", expect="case"),
    Route(
        "cases:maltreatment_form_edit",
        "post",
        kwargs="maltreatment_form",
        data=(("code", "fysieke-mishandeling"), ("status", "established"), ("version", "1")),
        expect="case_post",
    ),
    Route("cases:maltreatment_form_end", kwargs="maltreatment_form", expect="case"),
    Route(
        "cases:maltreatment_form_end",
        "post",
        kwargs="maltreatment_form",
        data=(("reason", "Matrix: vermoeden niet bevestigd"),),
        expect="case_post",
    ),
    Route("cases:case_detail", kwargs="case", expect="case"),
    Route("cases:case_edit", kwargs="case", expect="case"),
    Route("cases:case_history", kwargs="case", expect="case"),
    Route("cases:case_team", kwargs="case", expect="case"),
    Route(
        "cases:case_member_role",
        "post",
        kwargs="member",
        data=(("role", "case_worker"), ("version", "1")),
        expect="coordinator_post",
    ),
    Route("cases:case_member_end", "post", kwargs="member", expect="coordinator_post"),
    Route(
        "cases:case_stage",
        "post",
        kwargs="case",
        data=(("stage-stage", "investigation"), ("stage-version", "1")),
        expect="case_post",
    ),
    Route(
        "cases:draft_save",
        "post",
        kwargs="draft",
        data=(("reason_for_concern", "x"),),
        expect="case_draft",
    ),
    Route("cases:draft_discard", "post", kwargs="draft", expect="case_post"),
    Route("assessment:overview", kwargs="case", expect="case"),
    Route(
        "investigation:question_start",
        "post",
        kwargs="case",
        data=(("standard_code", "oorzaken"),),
        expect="case_post",
    ),
    Route("assessment:safety", kwargs="case", expect="case"),
    Route("assessment:safety_add", kwargs="safety_child", expect="case"),
    Route(
        "assessment:safety_add",
        "post",
        kwargs="safety_child",
        data=(("responsible_adult_guarantees_safety", "no"), ("substantiation", "Matrix: gezien")),
        expect="case_post",
    ),
    Route("assessment:risk", kwargs="case", expect="case"),
    Route("assessment:risk_add", kwargs="case", expect="case"),
    Route("assessment:instrument_add", kwargs="case", expect="case"),
    Route("assessment:instrument_edit", kwargs="instrument_outcome", expect="case"),
    Route("assessment:instrument_remove", "post", kwargs="instrument_outcome", expect="case_post"),
    Route("assessment:causes", kwargs="case", expect="case"),
    Route(
        "assessment:causes",
        "post",
        kwargs="case",
        data=(
            ("kind", "family_environment"),
            ("dimension", "omgeving.woonsituatie"),
            ("polarity", "positive"),
        ),
        expect="case_post",
    ),
    Route("assessment:cause_edit", kwargs="cause", expect="case"),
    Route(
        "assessment:cause_edit",
        "post",
        kwargs="cause",
        data=(
            ("kind", "family_environment"),
            ("dimension", "omgeving.financien"),
            ("polarity", "positive"),
            ("version", "1"),
        ),
        expect="case_post",
    ),
    Route("assessment:cause_remove", "post", kwargs="cause", expect="case_post"),
    Route("assessment:conclusion", kwargs="case", expect="case"),
    Route(
        "assessment:conclusion",
        "post",
        kwargs="case",
        data=(("summary", "Nieuw beeld"), ("version", "1")),
        expect="case_post",
    ),
    Route("approvals:approvals", kwargs="case", expect="case"),
    # Only the case's behavioural scientist decides; the other member is refused (403).
    Route(
        "approvals:approvals",
        "post",
        kwargs="case",
        data=(
            ("form_prefix", "safety_assessment-{safety_assessment}"),
            ("safety_assessment-{safety_assessment}-subject_type", "safety_assessment"),
            ("safety_assessment-{safety_assessment}-subject_id", "{safety_assessment}"),
            ("safety_assessment-{safety_assessment}-subject_version", "1"),
            ("safety_assessment-{safety_assessment}-decision", "approved"),
        ),
        expect="scientist_post",
    ),
    *[
        route
        for section in SECTIONS
        for route in (
            Route(f"investigation:{section.key}", kwargs="case", expect="case"),
            Route(f"investigation:{section.key}_edit", kwargs=section.key, expect="case"),
            Route(
                f"investigation:{section.key}_remove",
                "post",
                kwargs=section.key,
                expect="case_post",
            ),
        )
    ],
]
API_ROUTE_NAMES = {
    "api-v1:openapi-json",
    "api-v1:openapi-view",
    "api-v1:list_cases",
    "api-v1:create_case",
    "api-v1:get_case",
    "api-v1:add_person",
    "api-v1:update_person",
    "api-v1:remove_person",
    "api-v1:reveal_person_bsn",
    "api-v1:list_maltreatment_forms",
    "api-v1:add_maltreatment_form",
    "api-v1:change_maltreatment_form",
    "api-v1:end_maltreatment_form",
    "api-v1:list_members",
    "api-v1:add_member",
    "api-v1:change_member_role",
    "api-v1:end_member",
    "api-v1:api-root",
    "api-v1:list_safety_assessments",
    "api-v1:add_safety_assessment",
    "api-v1:list_risk_assessments",
    "api-v1:add_risk_assessment",
    "api-v1:list_causes",
    "api-v1:add_cause",
    "api-v1:change_cause",
    "api-v1:remove_cause",
    "api-v1:list_approvals",
    "api-v1:decide_approval",
    *[
        f"api-v1:{verb}_{noun}"
        for _segment, noun, _model in INVESTIGATION_KINDS
        for verb in ("list", "add", "change", "remove")
    ],
}


def expected(route: Route, actor: str) -> str:
    if actor == EMERGENCY_READER:
        return emergency_reader_expected(route)
    anonymous = actor == "anonymous"
    member = actor in MEMBERS
    match route.expect:
        case "public_redirect":
            return "redirect"
        case "public":
            return "200"
        case "login_page":
            return "200" if anonymous else "redirect"
        case "no_pending":
            return "login"
        case "reauthenticate":
            return "login" if anonymous else "redirect"
        case "own_token":
            # The token belongs to "member"; anyone else's revocation is a 404.
            if anonymous:
                return "login"
            return "redirect" if actor == "member" else "404"
        case "user" | "my_cases":
            return "login" if anonymous else "200"
        case "home":
            if anonymous:
                return "login"
            return "redirect" if actor in ROLES_WITH_OWN_HOME else "200"
        case "team_lead":
            return "login" if anonymous else ("200" if actor == "non_member_team_lead" else "404")
        case "admin":
            return "login" if anonymous else ("200" if actor == "non_member_admin" else "404")
        case "admin_reauthenticate":
            if anonymous:
                return "login"
            return "redirect" if actor == "non_member_admin" else "404"
        case "user_logout":
            return "login"
        case "logout":
            return "login"
        case "auditor":
            return "login" if anonymous else ("200" if actor == "non_member_auditor" else "404")
        case "case":
            return "login" if anonymous else ("200" if member else "404")
        case "case_draft":
            return "401" if anonymous else ("200" if member else "404")
        case "auditor_post":
            if anonymous:
                return "login"
            return "redirect" if actor == "non_member_auditor" else "404"
        case "coordinator_post":
            # "member" coordinates the case; the other member may not change the team.
            if anonymous:
                return "login"
            return {"member": "redirect", "member_bs": "403"}.get(actor, "404")
        case "case_post":
            return "login" if anonymous else ("redirect" if member else "404")
        case "scientist_post":
            if anonymous:
                return "login"
            return {"member": "403", "member_bs": "redirect"}.get(actor, "404")
    raise AssertionError(route.expect)


def emergency_reader_expected(route: Route) -> str:
    """Reads of the case as a member has them; every change refused with the reason (403);
    everything else as for any professional who is not a member."""
    match route.expect:
        case "case":
            return "200"
        case "case_post" | "coordinator_post" | "scientist_post" | "case_draft":
            return "403"
    return expected(route, "non_member_professional")


def url_for(route: Route, world: World) -> str:
    kwargs: dict[str, Any] = {}
    if route.kwargs in ("case", "draft", "member"):
        kwargs["case_id"] = world.case_id
    if route.kwargs == "member":
        kwargs["member_id"] = world.ids["membership"]
    if route.kwargs == "break_glass":
        kwargs["access_id"] = world.ids["break_glass"]
    if route.kwargs == "token":
        kwargs["token_id"] = world.ids["token"]
    if route.kwargs in ("account", "account_token"):
        kwargs["user_id"] = world.users["member"].pk
    if route.kwargs == "account_token":
        kwargs["token_id"] = world.ids["token"]
    if route.kwargs in {section.key for section in SECTIONS}:
        kwargs = {"case_id": world.case_id, "record_id": world.ids[route.kwargs]}
    if route.kwargs == "instrument_outcome":
        kwargs = {"case_id": world.case_id, "record_id": world.ids["instrument_outcome"]}
    if route.kwargs in ("parent", "child"):
        kwargs = {"case_id": world.case_id, "person_id": world.ids[route.kwargs]}
    if route.kwargs == "safety_child":
        kwargs = {"case_id": world.case_id, "child_id": world.ids["child"]}
    if route.kwargs == "maltreatment_form":
        kwargs = {"case_id": world.case_id, "form_id": world.ids["maltreatment_form"]}
    if route.kwargs == "cause":
        kwargs = {"case_id": world.case_id, "record_id": world.ids["cause"]}
    if route.kwargs == "draft":
        kwargs["form_key"] = "case-edit"
    if route.kwargs == "list":
        kwargs["list_name"] = "alarm_signals"
    if route.kwargs == "entry":
        kwargs = {"list_name": "alarm_signals", "code": "kind.shaken-baby"}
    return reverse(route.name, kwargs=kwargs)


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("route", ROUTES, ids=lambda route: f"{route.method}-{route.name}")
def test_ui_route(client, world, route, actor) -> None:
    if actor != "anonymous":
        client.force_login(world.users[actor])
    # Data may name ids of the world ("{safety_assessment}").
    data = {key.format(**world.ids): value.format(**world.ids) for key, value in route.data}
    response = getattr(client, route.method)(url_for(route, world), data)
    assert outcome(response) == expected(route, actor)
    content = b"".join(response.streaming_content) if response.streaming else response.content
    body = content.decode(errors="replace")
    shown = [marker for marker in MARKERS if marker in body]
    if route.name == "oversight:audit_log" and actor == "non_member_auditor":
        # The log names the clients whose data was accessed (NEN 7513: viewable per client),
        # by their name only; nothing recorded about them, not the family's case name.
        assert CHILD in shown
    if route.expect == "auditor" and actor == "non_member_auditor":
        shown = [marker for marker in shown if marker not in (CHILD, PARENT)]  # client names
    if actor == EMERGENCY_READER and route.expect == "case":
        assert FAMILY in shown  # reading is what the emergency access is for
    elif actor not in MEMBERS:
        assert shown == []
    elif route.expect in ("case", "my_cases") and outcome(response) == "200":
        assert FAMILY in shown


# --- JSON API -----------------------------------------------------------------------------

# The operation ids are the public names of the operations (explicit and never renamed).
API_OPERATIONS = [
    "kindveilig_api_api_list_cases",
    "kindveilig_api_api_create_case",
    "kindveilig_api_api_get_case",
    "kindveilig_api_api_add_person",
    "kindveilig_api_api_update_person",
    "remove_person",
    "reveal_person_bsn",
    "list_maltreatment_forms",
    "add_maltreatment_form",
    "change_maltreatment_form",
    "end_maltreatment_form",
    "list_case_members",
    "add_case_member",
    "change_case_member_role",
    "end_case_member",
    "list_safety_assessments",
    "add_safety_assessment",
    "list_causes",
    "add_cause",
    "change_cause",
    "remove_cause",
    "list_approvals",
    "decide_approval",
    *[
        f"{verb}_{noun}{'s' if verb == 'list' else ''}"
        for _segment, noun, _model in INVESTIGATION_KINDS
        for verb in ("list", "add", "change", "remove")
    ],
    "list_risk_assessments",
    "add_risk_assessment",
]
# A valid body per kind of investigation record, for the add operations.
INVESTIGATION_BODIES = {
    "research_question": lambda child: {"question": "Nieuwe vraag?"},
    "lifeline_event": lambda child: {
        "date": "2021-01-01",
        "kind": "soort.onderzoek",
        "description": "Onderzoek",
        "person_ids": [child],
    },
    "observation": lambda child: {
        "person_id": child,
        "observed_on": "2026-01-02",
        "behaviour": "Speelt",
    },
    "questionnaire": lambda child: {
        "child_id": child,
        "instrument": "cbcl",
        "informant": "parent",
        "administered_on": "2026-01-02",
    },
    "framework_finding": lambda child: {
        "dimension": "kind.identiteit",
        "kind": "concern",
        "text": "Twijfel",
    },
    "conversation": lambda child: {"with_whom": "child", "person_ids": [child]},
}
SCHEMA_PAGES = ["openapi_json", "docs"]


def api_call(client, world: World, operation: str, token: str | None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    case, person = world.case_id, world.person_id
    parent, form = world.ids["parent"], world.ids["maltreatment_form"]
    calls = {
        "kindveilig_api_api_list_cases": ("get", "/api/v1/cases", None),
        "kindveilig_api_api_create_case": ("post", "/api/v1/cases", {"name": "familie Nieuw"}),
        "kindveilig_api_api_get_case": ("get", f"/api/v1/cases/{case}", None),
        "kindveilig_api_api_add_person": (
            "post",
            f"/api/v1/cases/{case}/persons",
            {"role": "parent", "given_name": "A", "family_name": "B", "birth_date": "1990-01-01"},
        ),
        "kindveilig_api_api_update_person": (
            "patch",
            f"/api/v1/cases/{case}/persons/{person}",
            {"version": 1, "given_name": "Nieuw"},
        ),
        "remove_person": ("delete", f"/api/v1/cases/{case}/persons/{parent}", None),
        "reveal_person_bsn": ("post", f"/api/v1/cases/{case}/persons/{parent}/bsn", None),
        "list_maltreatment_forms": ("get", f"/api/v1/cases/{case}/maltreatment-forms", None),
        "add_maltreatment_form": (
            "post",
            f"/api/v1/cases/{case}/maltreatment-forms",
            {"child_id": person, "code": "fysieke-verwaarlozing", "status": "suspected"},
        ),
        "change_maltreatment_form": (
            "patch",
            f"/api/v1/cases/{case}/maltreatment-forms/{form}",
            {"version": 1, "status": "established"},
        ),
        "end_maltreatment_form": (
            "post",
            f"/api/v1/cases/{case}/maltreatment-forms/{form}/end",
            {"reason": "Matrix: niet bevestigd"},
        ),
        "list_case_members": ("get", f"/api/v1/cases/{case}/members", None),
        "add_case_member": (
            "post",
            f"/api/v1/cases/{case}/members",
            {"name": "Matrixextern", "role": "external"},
        ),
        "change_case_member_role": (
            "patch",
            f"/api/v1/cases/{case}/members/{world.ids['membership']}",
            {"version": 1, "role": "case_worker"},
        ),
        "end_case_member": (
            "delete",
            f"/api/v1/cases/{case}/members/{world.ids['membership']}",
            None,
        ),
        **{
            call: spec
            for segment, noun, model in INVESTIGATION_KINDS
            for call, spec in _investigation_calls(world, segment, noun, model).items()
        },
        "list_safety_assessments": ("get", f"/api/v1/cases/{case}/safety-assessments", None),
        "add_safety_assessment": (
            "post",
            f"/api/v1/cases/{case}/safety-assessments",
            {
                "child_id": person,
                "alarm_signals": ["mishandeling.letsel-zonder-ongeval"],
                "responsible_adult_guarantees_safety": False,
                "responsible_adult": None,
                "substantiation": "Matrix: gezien",
            },
        ),
        "list_risk_assessments": ("get", f"/api/v1/cases/{case}/risk-assessments", None),
        "add_risk_assessment": (
            "post",
            f"/api/v1/cases/{case}/risk-assessments",
            {
                "risk_factors": ["risico.ouder.verslaving"],
                "protective_factors": [],
                "scenarios": [
                    {
                        "description": "Terugval",
                        "kind": "recurrence",
                        "probability": 20,
                        "severity": 4,
                    }
                ],
            },
        ),
        "list_causes": ("get", f"/api/v1/cases/{case}/causes", None),
        "add_cause": (
            "post",
            f"/api/v1/cases/{case}/causes",
            {"kind": "family_environment", "code": "omgeving.woonsituatie", "polarity": "positive"},
        ),
        "change_cause": (
            "patch",
            f"/api/v1/cases/{case}/causes/{world.ids['cause']}",
            {"version": 1, "note": "Nieuw"},
        ),
        "remove_cause": ("delete", f"/api/v1/cases/{case}/causes/{world.ids['cause']}", None),
        "list_approvals": ("get", f"/api/v1/cases/{case}/approvals", None),
        "decide_approval": (
            "post",
            f"/api/v1/cases/{case}/approvals",
            {
                "subject_type": "safety_assessment",
                "subject_id": world.ids["safety_assessment"],
                "subject_version": 1,
                "decision": "approved",
            },
        ),
        "openapi_json": ("get", "/api/v1/openapi.json", None),
        "docs": ("get", "/api/v1/docs", None),
    }
    method, path, payload = calls[operation]
    return getattr(client, method)(
        path, data=payload, content_type="application/json", headers=headers
    )


# Operations that read a case (revealing a BSN is a read, logged as such).
API_CASE_READS = {"kindveilig_api_api_get_case", "reveal_person_bsn"} | {
    operation for operation in API_OPERATIONS if operation.startswith("list_")
}


def api_expected(operation: str, actor: str) -> str:
    if operation in SCHEMA_PAGES:
        return "200"
    if actor == EMERGENCY_READER and operation in API_CASE_READS:
        return "200"
    if actor == EMERGENCY_READER:
        if operation in ("kindveilig_api_api_list_cases", "kindveilig_api_api_create_case"):
            return api_expected(operation, "non_member_professional")  # not about the case
        return "403"  # emergency access for information: reading only
    if actor == "anonymous":
        return "401"
    member = actor in MEMBERS
    return {
        "kindveilig_api_api_list_cases": "200",
        "kindveilig_api_api_create_case": "201" if actor in CASE_WORKERS else "403",
        "kindveilig_api_api_get_case": "200" if member else "404",
        "kindveilig_api_api_add_person": "201" if member else "404",
        "kindveilig_api_api_update_person": "200" if member else "404",
        "remove_person": "204" if member else "404",
        "reveal_person_bsn": "200" if member else "404",
        "list_maltreatment_forms": "200" if member else "404",
        "add_maltreatment_form": "201" if member else "404",
        "change_maltreatment_form": "200" if member else "404",
        "end_maltreatment_form": "200" if member else "404",
        "list_case_members": "200" if member else "404",
        "add_case_member": coordinator_only("201", actor),
        "change_case_member_role": coordinator_only("200", actor),
        "end_case_member": coordinator_only("204", actor),
        "list_safety_assessments": "200" if member else "404",
        "add_safety_assessment": "201" if member else "404",
        "list_causes": "200" if member else "404",
        "add_cause": "201" if member else "404",
        "change_cause": "200" if member else "404",
        "remove_cause": "204" if member else "404",
        "list_approvals": "200" if member else "404",
        # Only the case's behavioural scientist decides (on work that is not their own).
        "decide_approval": {"member": "403", "member_bs": "201"}.get(actor, "404"),
        **{
            f"{verb}_{noun}{'s' if verb == 'list' else ''}": (
                {"list": "200", "add": "201", "change": "200", "remove": "204"}[verb]
                if member
                else "404"
            )
            for _segment, noun, _model in INVESTIGATION_KINDS
            for verb in ("list", "add", "change", "remove")
        },
        "list_risk_assessments": "200" if member else "404",
        "add_risk_assessment": "201" if member else "404",
    }[operation]


def _investigation_calls(world: World, segment: str, noun: str, model) -> dict:
    base = f"/api/v1/cases/{world.case_id}/investigation/{segment}"
    record = next(section for section in SECTIONS if section.model is model).key
    item = f"{base}/{world.ids[record]}"
    return {
        f"list_{noun}s": ("get", base, None),
        f"add_{noun}": ("post", base, INVESTIGATION_BODIES[noun](world.person_id)),
        f"change_{noun}": ("patch", item, {"version": 1}),
        f"remove_{noun}": ("delete", item, None),
    }


def coordinator_only(success: str, actor: str) -> str:
    return {"member": success, "member_bs": "403"}.get(actor, "404")


def declared_statuses() -> dict[str, set[str]]:
    schema = api.get_openapi_schema()
    return {
        operation["operationId"]: {str(status) for status in operation["responses"]}
        for path in schema["paths"].values()
        for operation in path.values()
    }


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("operation", [*API_OPERATIONS, *SCHEMA_PAGES])
def test_api_operation(client, world, operation, actor) -> None:
    token = None if actor == "anonymous" else api_token_create(user=world.users[actor])
    response = api_call(client, world, operation, token)
    assert outcome(response) == api_expected(operation, actor)
    if operation in API_OPERATIONS:
        assert str(response.status_code) in declared_statuses()[operation]
    body = response.content.decode()
    if operation == "kindveilig_api_api_list_cases" and response.status_code == 200:
        assert (FAMILY in body) == (actor in MEMBERS)
    elif operation == "kindveilig_api_api_get_case" and response.status_code == 200:
        assert CHILD in body and "Matrixhuisarts" in body
    if actor == EMERGENCY_READER and operation == "kindveilig_api_api_get_case":
        assert FAMILY in body  # reading is what the emergency access is for
    elif actor not in MEMBERS and (actor != EMERGENCY_READER or operation not in API_CASE_READS):
        assert [marker for marker in MARKERS if marker in body] == []


def test_a_refusal_is_json_with_its_reason_and_declared(client, world) -> None:
    token = api_token_create(user=world.users["non_member_team_lead"])
    response = client.post(
        "/api/v1/cases",
        data={"name": "familie Nieuw"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}", "Accept-Language": "nl"},
    )
    assert response.status_code == 403
    assert response.json() == {"detail": "Met uw rol kunt u geen dossiers openen."}
    assert "403" in declared_statuses()["kindveilig_api_api_create_case"]


# --- Completeness -------------------------------------------------------------------------


def _route_names(patterns, namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _route_names(pattern.url_patterns, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_route_is_in_the_matrix() -> None:
    covered = {route.name for route in ROUTES} | API_ROUTE_NAMES
    assert set(_route_names(get_resolver().url_patterns)) == covered


def test_every_api_operation_is_in_the_matrix() -> None:
    assert set(declared_statuses()) == set(API_OPERATIONS)


def _route_converters(patterns):
    for pattern in patterns:
        yield from getattr(pattern.pattern, "converters", {}).values()
        if isinstance(pattern, URLResolver):
            yield from _route_converters(pattern.url_patterns)


def test_urls_carry_ids_and_codes_only() -> None:
    """No personal data in URLs: route parameters are numbers or fixed slugs and codes."""
    converters = [type(c).__name__ for c in _route_converters(get_resolver().url_patterns)]
    assert "IntConverter" in converters  # the walk reaches the included URLconfs
    assert set(converters) <= {"IntConverter", "SlugConverter", "StringConverter"}
