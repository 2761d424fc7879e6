"""Schemathesis fuzzes the whole API on the test database, every operation (so a new endpoint is
fuzzed the day it is added), with a fixed seed: no input gives a server error, every status is
declared in the schema, every body has the declared content type and shape.

Path ids are either the world's real ids (so the operations reach their services with generated
bodies) or generated ones (so missing, huge and negative ids are tried); requests carry the
coordinator's token. Besides a small family of its own, the world holds the demo family with a
record of every kind of the investigation and judging, so ``record_id`` reaches a real record
of the kind each path names too.
"""

import datetime as dt

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, given, seed, settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from kindveilig.accounts.services import api_token_create
from kindveilig.assessment.models import CauseFactor
from kindveilig.cases import services
from kindveilig.cases.models import CaseRole
from kindveilig.demo import builders
from kindveilig.demo.data import load_demo
from kindveilig.investigation.api import KINDS as INVESTIGATION_KINDS

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
FIXED_SEED = 7513


def operations() -> list:
    """Every operation of the API, read from its own schema (a new one is fuzzed at once)."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())
    return [result.ok() for result in schema.get_all_operations()]


OPERATIONS = operations()


@pytest.fixture
def in_test_transaction():
    """Requests go through Django's WSGI handler in this process, inside the test's transaction;
    like Django's test client, keep the handler from closing that connection between requests
    (PostgreSQL would otherwise lose the test's data)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def world(coordinator, make_user, in_test_transaction):
    case = builders.family(
        coordinator=coordinator,
        name="familie Fuzz",
        members=[(make_user("fuzz-collega"), CaseRole.CASE_WORKER)],
        persons=[
            builders.PersonSpec("child", "Fuzzkind", "Fuzz", dt.date(2017, 5, 5)),
            builders.PersonSpec("parent", "Fuzzouder", "Fuzz", dt.date(1985, 5, 5)),
        ],
    )
    child = case.persons.get(role="child")
    form = services.maltreatment_form_record(
        actor=coordinator, child=child, code="fysieke-mishandeling", status="suspected"
    )
    demo = load_demo(today=timezone.localdate())
    demo_coordinator = demo.members.get(role=CaseRole.COORDINATOR).user
    return {
        "token": api_token_create(user=coordinator),
        "case_id": case.pk,
        "person_id": child.pk,
        "member_id": case.members.get(user__username="fuzz-collega").pk,
        "form_id": form.pk,
        "demo": {
            "token": api_token_create(user=demo_coordinator),
            "case_id": demo.pk,
            # The path segment that names a kind of record -> a real record of that kind.
            "record_id": {
                f"/{segment}/": model.objects.filter(case=demo).values_list("pk", flat=True)[0]
                for segment, model in [
                    *((segment, model) for segment, _noun, model in INVESTIGATION_KINDS),
                    ("causes", CauseFactor),
                ]
            },
        },
    }


def test_the_world_has_a_real_record_for_every_record_path(world) -> None:
    paths = {operation.path for operation in OPERATIONS if "{record_id}" in operation.path}
    assert len(paths) >= 7
    for path in paths:
        assert [key for key in world["demo"]["record_id"] if key in path], path


def test_every_operation_is_fuzzed() -> None:
    assert len(OPERATIONS) >= 9
    assert {operation.label for operation in OPERATIONS} >= {
        "POST /api/v1/cases",
        "PATCH /api/v1/cases/{case_id}/persons/{person_id}",
        "DELETE /api/v1/cases/{case_id}/members/{member_id}",
        "DELETE /api/v1/cases/{case_id}/persons/{person_id}",
        "POST /api/v1/cases/{case_id}/persons/{person_id}/bsn",
        "PATCH /api/v1/cases/{case_id}/maltreatment-forms/{form_id}",
        "POST /api/v1/cases/{case_id}/maltreatment-forms/{form_id}/end",
    }


@pytest.mark.parametrize("mode", list(GenerationMode), ids=lambda mode: mode.value)
@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda operation: operation.label)
def test_the_api_holds_under_fuzzing(operation, mode, world) -> None:
    """Valid inputs (positive) and invalid ones (negative: wrong types, missing fields ...)."""
    headers = {"Authorization": f"Bearer {world['token']}"}

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=30,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @seed(FIXED_SEED)
    def fuzz(case) -> None:
        parameters = case.path_parameters or {}
        if "record_id" in parameters:
            # The demo family's records; an even generated id is replaced by a real one.
            demo = world["demo"]
            record = next(
                pk for segment, pk in demo["record_id"].items() if segment in operation.path
            )
            if isinstance(parameters["record_id"], int) and parameters["record_id"] % 2 == 0:
                parameters["record_id"] = record
                parameters["case_id"] = demo["case_id"]
            case.call_and_validate(
                headers={"Authorization": f"Bearer {demo['token']}"}, checks=CHECKS
            )
            return
        for name in ("case_id", "person_id", "member_id", "form_id"):
            generated = parameters.get(name)
            if isinstance(generated, int) and generated % 2 == 0:
                case.path_parameters[name] = world[name]
        case.call_and_validate(headers=headers, checks=CHECKS)

    fuzz()
