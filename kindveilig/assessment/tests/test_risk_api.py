"""The risk assessment endpoints: the public shape, R3's order, every wrong input a 422 naming
its field with nothing saved, 404 for a non-member, and the read audited."""

from __future__ import annotations

import pytest

from kindveilig.accounts.services import api_token_create
from kindveilig.assessment.models import RiskAssessment, RiskScenario
from kindveilig.audit.models import AuditEvent

RISK = "risico.ouder.verslaving"
RISK_CHILD = "risico.kind.jong-kind"
PROTECTIVE = "bescherming.ouder.competentie-draagkracht"
CHILD_PROTECTIVE = "bescherming.kind.zelfwaardering"


def _scenario(**values):
    return {
        "description": "Vader drinkt en slaat",
        "kind": "recurrence",
        "trigger": None,
        "probability": 30,
        "severity": 3,
        **values,
    }


def _body(**values):
    return {
        "risk_factors": [RISK, {"code": RISK_CHILD, "weighty": True}],
        "protective_factors": [PROTECTIVE, CHILD_PROTECTIVE],
        "scenarios": [
            _scenario(description="D", probability=10, severity=1),
            _scenario(description="A", probability=50, severity=4),
            _scenario(description="C", probability=90, severity=3, kind="continuation"),
            _scenario(description="B", probability=49, severity=5, trigger="Vader komt vrij"),
        ],
        **values,
    }


@pytest.fixture
def api(client, coordinator):
    headers = {"Authorization": f"Bearer {api_token_create(user=coordinator)}"}

    def call(method, case, body=None):
        url = f"/api/v1/cases/{case.pk}/risk-assessments"
        return getattr(client, method)(
            url, data=body, content_type="application/json", headers=headers
        )

    return call


def test_adding_answers_the_public_shape_in_r3_order(api, family_case) -> None:
    response = api("post", family_case, _body())
    assert response.status_code == 201, response.content
    data = response.json()
    assert set(data) >= {
        "id",
        "risk_factor_count",
        "risk_factor_count_by_level",
        "protective_factor_count",
        "scenarios",
        "context",
    }
    assert data["risk_factor_count"] == 2
    assert data["risk_factor_count_by_level"] == {"kind": 1, "ouder": 1}
    assert data["protective_factor_count"] == 1  # the child's own is not counted
    assert data["weighty"] == [RISK_CHILD]
    assert [(s["description"], s["priority"]) for s in data["scenarios"]] == [
        ("A", "A"),
        ("B", "B"),
        ("C", "C"),
        ("D", "D"),
    ]
    assert [s["requires_safety_plan"] for s in data["scenarios"]] == [True, True, False, False]
    for scenario in data["scenarios"]:
        assert set(scenario) >= {"description", "probability", "severity", "priority"}
    assert "voorspelling" in data["context"]  # context, never a prediction
    assert "2" in data["context"]  # the count
    assert data["id"] == RiskAssessment.objects.get().pk


def test_the_list_is_newest_first_with_the_current_flagged(api, family_case) -> None:
    first = api("post", family_case, _body()).json()["id"]
    second = api("post", family_case, _body(scenarios=[])).json()["id"]
    listed = api("get", family_case).json()
    assert [(item["id"], item["current"]) for item in listed] == [(second, True), (first, False)]


def test_the_read_is_audited(api, family_case) -> None:
    api("get", family_case)
    assert AuditEvent.objects.filter(
        action="read", object_type="case", case_id=family_case.pk
    ).exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"probability": -1}, "scenarios.0.probability"),
        ({"probability": 101}, "scenarios.0.probability"),
        ({"severity": 0}, "scenarios.0.severity"),
        ({"severity": 6}, "scenarios.0.severity"),
        ({"kind": "sometimes"}, "scenarios.0.kind"),
    ],
)
def test_a_wrong_scenario_is_422_naming_the_field(api, family_case, change, field) -> None:
    response = api("post", family_case, _body(scenarios=[_scenario(**change)]))
    assert response.status_code == 422
    assert field in [error["field"] for error in response.json()["detail"]]
    assert not RiskAssessment.objects.exists() and not RiskScenario.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"risk_factors": ["risico.onbekend"]}, "risk_factors"),
        ({"risk_factors": [{"code": "risico.onbekend", "weighty": True}]}, "risk_factors"),
        ({"protective_factors": ["bescherming.onbekend"]}, "protective_factors"),
    ],
)
def test_an_unknown_code_is_422_naming_it(api, family_case, body, field) -> None:
    response = api("post", family_case, _body(**body))
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert [error["field"] for error in detail] == [field]
    assert "onbekend" in detail[0]["message"]
    assert not RiskAssessment.objects.exists()


def test_an_override_without_a_reason_is_422(api, family_case) -> None:
    body = _body(scenarios=[_scenario(override_priority="A")])
    response = api("post", family_case, body)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["detail"]] == ["scenarios.0.override_reason"]


def test_a_non_member_gets_404_and_nothing_is_saved(client, outsider, family_case) -> None:
    headers = {"Authorization": f"Bearer {api_token_create(user=outsider)}"}
    url = f"/api/v1/cases/{family_case.pk}/risk-assessments"
    response = client.post(url, data=_body(), content_type="application/json", headers=headers)
    assert response.status_code == 404
    assert client.get(url, headers=headers).status_code == 404
    assert not RiskAssessment.objects.exists()
