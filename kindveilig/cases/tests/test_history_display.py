"""The history shows what changed in words: the label of a choice, not its stored code."""

from django.urls import reverse

from kindveilig.cases import services


def test_history_shows_labels_not_codes(client, coordinator, family_case) -> None:
    services.case_update(
        actor=coordinator,
        case=family_case,
        expected_version=family_case.version,
        changes={"legal_context": "ots"},
    )
    client.force_login(coordinator)
    html = client.get(reverse("cases:case_history", args=[family_case.pk])).content.decode()
    assert "Ondertoezichtstelling" in html or "(OTS)" in html
    assert "<ins>ots</ins>" not in html and "<del>voluntary</del>" not in html
