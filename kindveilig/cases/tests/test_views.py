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


def test_professional_opens_a_case_in_the_ui_and_becomes_coordinator(client, coordinator) -> None:
    from kindveilig.cases.models import Case, CaseMember

    client.force_login(coordinator)
    response = client.post(
        reverse("cases:case_create"), {"name": "familie Nieuw", "legal_context": "voluntary"}
    )
    case = Case.objects.get(name="familie Nieuw")
    assert response["Location"] == reverse("cases:case_detail", args=[case.pk])
    assert CaseMember.objects.get(case=case).role == "coordinator"


def test_team_lead_cannot_open_a_case_and_is_told_why(client, make_user) -> None:
    from kindveilig.cases.models import Case

    client.force_login(make_user("tl", role=Role.TEAM_LEAD))
    response = client.post(
        reverse("cases:case_create"), {"name": "familie Nieuw", "legal_context": "voluntary"}
    )
    assert "Met uw rol kunt u geen dossiers openen." in response.content.decode()
    assert not Case.objects.exists()


def test_add_person_with_bad_input_explains_and_keeps_what_was_typed(
    client, family_case, coordinator
) -> None:
    client.force_login(coordinator)
    response = client.post(
        reverse("cases:person_add", args=[family_case.pk]),
        {"role": "child", "given_name": "Tim", "family_name": "Proef", "bsn": "123456789"},
    )
    form = response.context["form"]
    assert "11-proef" in " ".join(form.errors["bsn"])
    assert form.errors["birth_date"]  # a child needs a date of birth
    html = response.content.decode()
    assert 'value="Tim"' in html and 'value="123456789"' in html
    assert not family_case.persons.filter(given_name="Tim").exists()


def test_add_person_stores_the_person(client, family_case, coordinator) -> None:
    client.force_login(coordinator)
    response = client.post(
        reverse("cases:person_add", args=[family_case.pk]),
        {
            "role": "network",
            "given_name": "Ria",
            "family_name": "Jansen",
            "relation": "oma",
            "bsn": "111222333",
            "has_parental_authority": "unknown",
            "lives_in_household": "false",
        },
    )
    assert response["Location"] == reverse("cases:case_detail", args=[family_case.pk])
    person = family_case.persons.get(given_name="Ria")
    assert (person.role, person.relation, person.bsn, person.lives_in_household) == (
        "network",
        "oma",
        "111222333",
        False,
    )
