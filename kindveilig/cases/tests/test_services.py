import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kindveilig.cases import services
from kindveilig.cases.models import Case, CaseMember, CaseRole, Person


def test_case_create_makes_the_creator_coordinator_and_member(coordinator) -> None:
    case = services.case_create(actor=coordinator, name="  familie Jansen ")

    assert Case.objects.get(pk=case.pk).name == "familie Jansen"
    membership = CaseMember.objects.get(case=case)
    assert membership.user == coordinator
    assert membership.role == CaseRole.COORDINATOR
    assert membership.end_date is None


def test_case_create_requires_a_name_and_saves_nothing_without(coordinator) -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.case_create(actor=coordinator, name="   ")
    assert "name" in excinfo.value.message_dict
    assert Case.objects.count() == 0
    assert CaseMember.objects.count() == 0


def test_person_add_rejects_invalid_bsn_and_future_birth_date_saving_nothing(family_case) -> None:
    before = Person.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        services.person_add(
            actor=family_case.created_by,
            case=family_case,
            role="child",
            given_name="Tim",
            family_name="Proef",
            birth_date=timezone.localdate() + dt.timedelta(days=10),
            bsn="123456789",
        )
    assert set(excinfo.value.message_dict) == {"birth_date", "bsn"}
    assert Person.objects.count() == before


def test_person_add_stores_a_valid_person(family_case) -> None:
    person = services.person_add(
        actor=family_case.created_by,
        case=family_case,
        role="network",
        given_name="Ria",
        family_name="Jansen",
        birth_date=dt.date(1960, 5, 5),
        sex="female",
        bsn="111 222 333",
    )
    stored = Person.objects.get(pk=person.pk)
    assert (stored.role, stored.bsn, stored.sex) == ("network", "111222333", "female")


def test_age_is_counted_in_whole_years_on_the_reference_date(family_case) -> None:
    child = family_case.persons.get(given_name="Lotte")  # born 2016-04-01
    assert child.age_on(dt.date(2026, 3, 31)) == 9
    assert child.age_on(dt.date(2026, 4, 1)) == 10
