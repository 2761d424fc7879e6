"""The stage of a case is not a free field: it changes through the stage service, as the
transition table allows; closing is left to the closure rules."""

import pytest
from django.urls import reverse

from kindveilig.audit.models import AuditEvent
from kindveilig.cases import services
from kindveilig.cases.models import Case, CaseStatus
from kindveilig.cases.records import ConcurrentEditError
from kindveilig.cases.workflow import TRANSITIONS, allowed_transitions
from kindveilig.core.errors import NotPermitted


def test_the_edit_service_and_form_ignore_the_stage(client, family_case, coordinator) -> None:
    services.case_update(
        actor=coordinator, case=family_case, expected_version=1, changes={"status": "closed"}
    )
    client.force_login(coordinator)
    client.post(
        reverse("cases:case_edit", args=[family_case.pk]),
        {
            "name": family_case.name,
            "legal_context": "voluntary",
            "status": "closed",
            "reason_for_concern": "",
            "version": 1,
        },
    )
    stored = Case.objects.get(pk=family_case.pk)
    assert (stored.status, stored.version) == ("intake", 1)
    page = client.get(reverse("cases:case_edit", args=[family_case.pk])).content.decode()
    assert 'name="status"' not in page


def test_the_stage_moves_through_the_service_versioned_and_logged(family_case, coordinator) -> None:
    moved = services.case_stage_change(
        actor=coordinator, case=family_case, expected_version=1, stage="investigation"
    )
    assert (moved.status, moved.version) == ("investigation", 2)
    event = AuditEvent.objects.filter(object_type="case", action="update").latest("id")
    assert event.detail == "status"
    with pytest.raises(ConcurrentEditError):
        services.case_stage_change(
            actor=coordinator, case=family_case, expected_version=1, stage="planning"
        )


def test_no_stage_leads_to_closed_and_a_closed_case_stays_closed(family_case, coordinator) -> None:
    assert all(CaseStatus.CLOSED not in targets for targets in TRANSITIONS.values())
    with pytest.raises(NotPermitted, match="Afgesloten"):
        services.case_stage_change(
            actor=coordinator, case=family_case, expected_version=1, stage="closed"
        )
    Case.objects.filter(pk=family_case.pk).update(status=CaseStatus.CLOSED)
    assert allowed_transitions("closed") == []
    closed = Case.objects.get(pk=family_case.pk)
    with pytest.raises(NotPermitted):
        services.case_stage_change(
            actor=coordinator, case=closed, expected_version=1, stage="intake"
        )
    assert Case.objects.get(pk=family_case.pk).status == "closed"


def test_open_stages_are_offered_in_the_methods_order() -> None:
    assert allowed_transitions("investigation") == [
        CaseStatus.INTAKE,
        CaseStatus.PLANNING,
        CaseStatus.EXECUTION,
        CaseStatus.EVALUATION,
    ]


def test_the_stage_form_moves_the_case_and_refuses_closing(
    client, family_case, coordinator
) -> None:
    client.force_login(coordinator)
    url = reverse("cases:case_stage", args=[family_case.pk])
    client.post(url, {"stage-stage": "closed", "stage-version": 1})
    assert Case.objects.get(pk=family_case.pk).status == "intake"
    response = client.post(url, {"stage-stage": "investigation", "stage-version": 1}, follow=True)
    assert Case.objects.get(pk=family_case.pk).status == "investigation"
    assert "De fase van het dossier is gewijzigd." in response.content.decode()
