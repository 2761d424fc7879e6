import datetime as dt

from django.core.management import call_command

from kindveilig.accounts.models import Role, User
from kindveilig.cases.models import Case, CaseMember, Person
from kindveilig.demo.data import DEMO_PASSWORD, load_demo


def test_demo_creates_users_per_role_and_familie_demo(db) -> None:
    case = load_demo(today=dt.date(2026, 11, 28))

    roles = set(User.objects.values_list("role", flat=True))
    assert roles == {r.value for r in Role}
    assert User.objects.get(username="hulpverlener").check_password(DEMO_PASSWORD)
    assert case.name == "familie Demo"
    children = Person.objects.filter(case=case, role="child")
    ages = sorted(child.age_on(dt.date(2026, 11, 28)) for child in children)
    assert len(ages) == 2 and ages[0] != ages[1]
    assert Person.objects.filter(case=case, role="parent").count() == 2
    assert Person.objects.filter(case=case, role="network").count() == 2
    coordinator = CaseMember.objects.get(case=case, role="coordinator")
    assert coordinator.user.username == "regievoerder"
    non_members = {"teamleider", "beheerder", "auditor"}
    assert not CaseMember.objects.filter(case=case, user__username__in=non_members).exists()


def test_demo_is_idempotent(db, capsys) -> None:
    call_command("demo")
    call_command("demo")
    assert Case.objects.filter(name="familie Demo").count() == 1
    assert Person.objects.count() == 6
    assert User.objects.count() == 6
    out = capsys.readouterr().out
    assert DEMO_PASSWORD in out and "regievoerder" in out


def test_apitoken_prints_token_as_last_line_and_stores_only_a_hash(db, capsys, client) -> None:
    call_command("demo")
    capsys.readouterr()
    call_command("apitoken", "hulpverlener")
    token = capsys.readouterr().out.strip().splitlines()[-1]
    assert token.startswith("kv_")
    from kindveilig.accounts.models import ApiToken

    assert not ApiToken.objects.filter(token_hash=token).exists()
    response = client.get("/api/v1/cases", headers={"Authorization": f"Bearer {token}"})
    assert [case["name"] for case in response.json()] == ["familie Demo"]


def test_readme_documents_the_demo_password_and_totp_key() -> None:
    from pathlib import Path

    from django.conf import settings

    from kindveilig.demo.data import DEMO_TOTP_SECRET_BASE32

    readme = (Path(settings.BASE_DIR) / "README.md").read_text(encoding="utf-8")
    assert DEMO_TOTP_SECRET_BASE32 in readme
    assert DEMO_PASSWORD in readme


def test_democode_gives_a_code_that_logs_the_demo_user_in(db, client, capsys) -> None:
    from django.urls import reverse

    call_command("demo")
    client.post(reverse("accounts:login"), {"username": "auditor", "password": DEMO_PASSWORD})
    capsys.readouterr()
    call_command("democode", "auditor")
    code = capsys.readouterr().out.strip()
    response = client.post(reverse("accounts:second_factor"), {"code": code})
    assert response["Location"] == reverse("cases:my_cases")
