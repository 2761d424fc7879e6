import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from kindveilig.accounts.models import Role
from kindveilig.audit.models import AuditEvent
from kindveilig.cases.access import Purpose, access_case, access_case_record
from kindveilig.cases.models import CaseMember, ChildMaltreatmentForm, Person
from kindveilig.cases.selectors import cases_for_user
from kindveilig.demo import builders


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


def test_a_record_of_the_case_is_read_through_the_door_and_logged_for_its_client(
    family_case, coordinator
) -> None:
    child = family_case.persons.get(role="child")
    got = access_case_record(coordinator, family_case.pk, Person, child.pk, purpose=Purpose.READ)
    assert got == child
    event = AuditEvent.objects.filter(action="read", object_type="person").latest("id")
    assert (event.case_id, event.object_id, event.client_id_list()) == (
        family_case.pk,
        str(child.pk),
        [child.pk],
    )


def test_a_record_of_another_case_is_404_even_for_a_member_of_both(
    family_case, coordinator
) -> None:
    other = builders.family(
        coordinator=coordinator,
        name="familie Ander",
        persons=[builders.PersonSpec("child", "Bo", "Ander", dt.date(2019, 2, 2))],
    )
    stranger = other.persons.get()
    with pytest.raises(Http404):
        access_case_record(coordinator, family_case.pk, Person, stranger.pk, purpose=Purpose.READ)
    assert not AuditEvent.objects.filter(action="read", object_id=str(stranger.pk)).exists()


def test_a_non_member_gets_404_for_every_kind_of_record(family_case, coordinator, outsider) -> None:
    child = family_case.persons.get(role="child")
    form = ChildMaltreatmentForm.objects.create(
        case=family_case, child=child, knowledge_code="fysieke-mishandeling"
    )
    for model, record_id in ((Person, child.pk), (ChildMaltreatmentForm, form.pk)):
        with pytest.raises(Http404):
            access_case_record(outsider, family_case.pk, model, record_id, purpose=Purpose.UPDATE)
