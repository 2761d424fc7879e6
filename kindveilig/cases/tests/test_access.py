import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from kindveilig.accounts.models import Role
from kindveilig.cases.access import Purpose, access_case
from kindveilig.cases.models import CaseMember
from kindveilig.cases.selectors import cases_for_user


def test_member_gets_the_case(family_case, coordinator) -> None:
    assert access_case(coordinator, family_case.pk, purpose=Purpose.READ) == family_case


@pytest.mark.parametrize("role", [Role.PROFESSIONAL, Role.TEAM_LEAD, Role.ADMIN, Role.AUDITOR])
def test_non_members_get_404_whatever_their_role(family_case, make_user, role) -> None:
    user = make_user(f"non-member-{role}", role=role)
    with pytest.raises(Http404):
        access_case(user, family_case.pk, purpose=Purpose.READ)


def test_anonymous_gets_404(family_case) -> None:
    with pytest.raises(Http404):
        access_case(AnonymousUser(), family_case.pk, purpose=Purpose.READ)


def test_ended_membership_gives_no_access(family_case, coordinator) -> None:
    CaseMember.objects.filter(case=family_case, user=coordinator).update(
        start_date=dt.date(2020, 1, 1), end_date=dt.date(2021, 1, 1)
    )
    with pytest.raises(Http404):
        access_case(coordinator, family_case.pk, purpose=Purpose.READ)
    assert list(cases_for_user(user=coordinator)) == []


def test_unknown_case_is_404_like_a_forbidden_one(coordinator) -> None:
    with pytest.raises(Http404):
        access_case(coordinator, 999999, purpose=Purpose.READ)


def test_my_cases_lists_only_current_memberships(family_case, coordinator, outsider) -> None:
    assert list(cases_for_user(user=coordinator)) == [family_case]
    assert list(cases_for_user(user=outsider)) == []
