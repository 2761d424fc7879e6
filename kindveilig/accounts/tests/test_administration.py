"""The functional administrator's pages: accounts and organisations, every change after a fresh
re-authentication and audited, never any case content; nobody else sees them."""

import time
from urllib.parse import urlencode

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from kindveilig.accounts import services, views
from kindveilig.accounts.models import ApiToken, Organisation, Role, Team, User
from kindveilig.audit.models import AuditEvent
from kindveilig.core.errors import NotPermitted


@pytest.fixture
def admin(make_user) -> User:
    return make_user("beheerder", role=Role.ADMIN)


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin)
    return client


def confirmed(client) -> None:
    """As just after the re-authentication page (password and code again)."""
    session = client.session
    session[views.REAUTHENTICATED_AT] = time.time()
    session.save()


def changes_by(user: User) -> list[tuple[str, str, str]]:
    return list(
        AuditEvent.objects.filter(user_id=user.pk, action__in=["permission_change", "create"])
        .order_by("id")
        .values_list("object_type", "object_id", "detail")
    )


def test_the_start_page_of_an_administrator_is_the_accounts_page(admin_client) -> None:
    response = admin_client.get(reverse("cases:my_cases"))
    assert response["Location"] == reverse("administration:accounts")


def test_the_accounts_page_lists_accounts_and_no_case_content(
    admin_client, family_case, coordinator
) -> None:
    response = admin_client.get(reverse("administration:accounts"))
    table = response.content.decode().split('data-testid="accounts"')[1]
    assert "coordinator" in table and "beheerder" in table
    assert "Hulpverlener" in table and "Functioneel beheerder" in table  # labels, not codes
    assert "team_lead" not in table and ">admin<" not in table
    detail = admin_client.get(reverse("administration:account_detail", args=[coordinator.pk]))
    for page in (response, detail):
        assert "Proef" not in page.content.decode()  # neither the family nor its members


def test_accounts_are_filtered_by_role_and_paged(admin_client, make_user) -> None:
    for number in range(55):
        make_user(f"hv{number:02d}")
    make_user("privacy", role=Role.AUDITOR)
    first = admin_client.get(reverse("administration:accounts"), {"role": "professional"})
    page = first.context["page"]
    assert (page.paginator.count, len(page.object_list)) == (55, 50)
    assert 'data-testid="pager"' in first.content.decode()
    second = admin_client.get(
        reverse("administration:accounts"), {"role": "professional", "page": 2}
    )
    assert [user.username for user in second.context["page"]] == [
        f"hv{number:02d}" for number in range(50, 55)
    ]
    auditors = admin_client.get(reverse("administration:accounts"), {"role": "auditor"})
    assert [user.username for user in auditors.context["page"]] == ["privacy"]


@pytest.mark.parametrize("role", [Role.PROFESSIONAL, Role.TEAM_LEAD, Role.AUDITOR])
def test_other_roles_do_not_find_the_administration(client, make_user, role) -> None:
    user = make_user(f"niet-{role}", role=role)
    client.force_login(user)
    confirmed(client)
    assert client.get(reverse("administration:accounts")).status_code == 404
    response = client.post(reverse("administration:account_deactivate", args=[user.pk]))
    assert response.status_code == 404
    user.refresh_from_db()
    assert user.is_active


def test_creating_an_account_asks_for_the_password_and_a_code_first(admin_client) -> None:
    create = reverse("administration:account_create")
    response = admin_client.post(
        create,
        {"username": "nieuw", "role": "professional", "organisation": "1"},
    )
    assert response["Location"] == (
        reverse("accounts:reauthenticate") + "?" + urlencode({"next": create})
    )
    assert not User.objects.filter(username="nieuw").exists()


def test_after_confirming_the_administrator_creates_an_account_with_a_one_time_password(
    admin_client, admin, organisation, client_factory
) -> None:
    codes = services.recovery_codes_regenerate(user=admin)
    create = reverse("administration:account_create")
    confirm = reverse("accounts:reauthenticate") + "?" + urlencode({"next": create})
    response = admin_client.post(confirm, {"password": "a-long-test-password", "code": codes[0]})
    assert response["Location"] == create
    team = Team.objects.create(organisation=organisation, name="Noord")
    response = admin_client.post(
        create,
        {
            "username": "nieuwe-teamleider",
            "first_name": "Nina",
            "last_name": "Nieuw",
            "role": "team_lead",
            "organisation": organisation.pk,
            "team": team.pk,
        },
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]  # the password is not kept in a cache
    password = response.context["password"]
    assert password in response.content.decode()
    user = User.objects.get(username="nieuwe-teamleider")
    assert (user.role, user.organisation, user.team) == ("team_lead", organisation, team)
    assert changes_by(admin)[-1] == ("user", str(user.pk), "create role=team_lead")
    # The new user logs in with the one-time password and sets up the second factor first.
    browser = client_factory()
    login = browser.post(
        reverse("accounts:login"), {"username": "nieuwe-teamleider", "password": password}
    )
    assert login["Location"] == reverse("accounts:enrol")


@pytest.fixture
def client_factory():
    from django.test import Client

    return Client


def test_a_taken_username_and_a_team_of_another_organisation_are_form_errors(
    admin_client, organisation, coordinator
) -> None:
    confirmed(admin_client)
    other = Team.objects.create(organisation=Organisation.objects.create(name="Ander"), name="Z")
    response = admin_client.post(
        reverse("administration:account_create"),
        {
            "username": "coordinator",
            "role": "professional",
            "organisation": organisation.pk,
        },
    )
    assert "Er bestaat al een gebruiker met deze gebruikersnaam." in response.content.decode()
    response = admin_client.post(
        reverse("administration:account_create"),
        {
            "username": "z",
            "role": "professional",
            "organisation": organisation.pk,
            "team": other.pk,
        },
    )
    assert response.context["form"].errors["team"]
    assert not User.objects.filter(username="z").exists()


def test_blocking_and_unblocking_an_account(admin_client, admin, coordinator, client) -> None:
    token = services.api_token_create(user=coordinator)
    confirmed(admin_client)
    detail = reverse("administration:account_detail", args=[coordinator.pk])
    response = admin_client.post(
        reverse("administration:account_deactivate", args=[coordinator.pk])
    )
    assert response["Location"] == detail
    coordinator.refresh_from_db()
    assert not coordinator.is_active
    api = admin_client.get("/api/v1/cases", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 401
    assert 'data-testid="reactivate"' in admin_client.get(detail).content.decode()
    admin_client.post(reverse("administration:account_reactivate", args=[coordinator.pk]))
    coordinator.refresh_from_db()
    assert coordinator.is_active
    details = [detail for kind, _id, detail in changes_by(admin) if kind == "user"]
    assert details == ["deactivate", "reactivate"]
    assert AuditEvent.objects.filter(
        user_id=admin.pk, object_type="api_token", detail=f"revoke for user={coordinator.pk}"
    ).exists()


def test_an_administrator_cannot_block_their_own_account(admin_client, admin) -> None:
    confirmed(admin_client)
    response = admin_client.post(
        reverse("administration:account_deactivate", args=[admin.pk]), follow=True
    )
    with translation.override("nl"):  # the page's language, whether translated yet or not
        refusal = gettext("You cannot block your own account.")
    assert refusal in response.content.decode()
    admin.refresh_from_db()
    assert admin.is_active


def test_removing_a_lost_authenticator(admin_client, admin, coordinator, client) -> None:
    TOTPDevice.objects.create(user=coordinator, name="telefoon", confirmed=True)
    confirmed(admin_client)
    admin_client.post(reverse("administration:account_reset_second_factor", args=[coordinator.pk]))
    assert not TOTPDevice.objects.filter(user=coordinator).exists()
    assert changes_by(admin) == [("user", str(coordinator.pk), "two-factor reset")]


def test_revoking_an_api_token_of_an_account(admin_client, admin, coordinator, outsider) -> None:
    services.api_token_create(user=coordinator, name="koppeling")
    token = ApiToken.objects.get(user=coordinator)
    confirmed(admin_client)
    detail = admin_client.get(reverse("administration:account_detail", args=[coordinator.pk]))
    assert "koppeling" in detail.content.decode()
    # Through another account's page the token does not exist.
    wrong = reverse("administration:account_token_revoke", args=[outsider.pk, token.pk])
    assert admin_client.post(wrong).status_code == 404
    admin_client.post(
        reverse("administration:account_token_revoke", args=[coordinator.pk, token.pk])
    )
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert changes_by(admin) == [("api_token", str(token.pk), f"revoke for user={coordinator.pk}")]


def test_organisations_are_listed_and_added(admin_client, admin, organisation) -> None:
    page = admin_client.get(reverse("administration:organisations"))
    assert organisation.name in page.content.decode()
    confirmed(admin_client)
    admin_client.post(reverse("administration:organisation_create"), {"name": "Veilig Thuis"})
    added = Organisation.objects.get(name="Veilig Thuis")
    assert changes_by(admin) == [("organisation", str(added.pk), "create")]
    again = admin_client.post(
        reverse("administration:organisation_create"), {"name": "Veilig Thuis"}
    )
    assert again.status_code == 200 and again.context["form"].errors["name"]


def test_the_services_refuse_anyone_but_an_administrator(coordinator, outsider) -> None:
    with pytest.raises(NotPermitted):
        services.user_create(by=coordinator, username="x", role="admin", organisation_name="Eigen")
    with pytest.raises(NotPermitted):
        services.user_deactivate(user=outsider, by=coordinator)
    with pytest.raises(NotPermitted):
        services.organisation_create(by=coordinator, name="Eigen")
    services.api_token_create(user=outsider)
    with pytest.raises(NotPermitted):
        services.api_token_revoke(token=ApiToken.objects.get(user=outsider), by=coordinator)
    assert not User.objects.filter(username="x").exists()


def test_blocking_twice_or_unblocking_an_active_account_is_refused(coordinator) -> None:
    services.user_deactivate(user=coordinator)
    with pytest.raises(ValidationError):
        services.user_deactivate(user=coordinator)
    services.user_reactivate(user=coordinator)
    with pytest.raises(ValidationError):
        services.user_reactivate(user=coordinator)
