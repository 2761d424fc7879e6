import pytest
from django.urls import reverse

from kindveilig.accounts.models import Role


def test_anonymous_is_sent_to_login(client, family_case) -> None:
    response = client.get(reverse("cases:case_detail", args=[family_case.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_member_sees_family_and_professionals(client, family_case, coordinator) -> None:
    client.force_login(coordinator)
    response = client.get(reverse("cases:case_detail", args=[family_case.pk]))
    html = response.content.decode()
    assert "Lotte Proef" in html and "Karin Proef" in html
    assert "colleague" in html  # the other professional in the case
    assert response.context["case"] == family_case


@pytest.mark.parametrize("role", [Role.PROFESSIONAL, Role.TEAM_LEAD, Role.ADMIN, Role.AUDITOR])
def test_non_member_gets_404_without_family_data(client, family_case, make_user, role) -> None:
    client.force_login(make_user(f"nm-{role}", role=role))
    response = client.get(reverse("cases:case_detail", args=[family_case.pk]))
    assert response.status_code == 404
    assert b"Proef" not in response.content


def test_my_cases_shows_own_cases_only(client, family_case, coordinator, outsider) -> None:
    client.force_login(coordinator)
    assert list(client.get(reverse("cases:my_cases")).context["cases"]) == [family_case]
    client.force_login(outsider)
    response = client.get(reverse("cases:my_cases"))
    assert list(response.context["cases"]) == []
    assert b"familie Proef" not in response.content
