"""Reads for cases. Functions here take a case obtained through ``cases.access``."""

from __future__ import annotations

from django.db.models import Case as Case_
from django.db.models import IntegerField, QuerySet, Value, When

from kindveilig.accounts.models import User
from kindveilig.cases.models import Case, CaseMember, ChildMaltreatmentForm, Person, PersonRole


def cases_for_user(*, user: User) -> QuerySet[Case]:
    """The cases ``user`` is a current member of: "Mijn dossiers"."""
    member_case_ids = CaseMember.objects.current().filter(user=user).values("case_id")
    return Case.objects.filter(pk__in=member_case_ids).order_by("name", "pk")


PERSON_ROLE_ORDER = [
    PersonRole.CHILD,
    PersonRole.PARENT,
    PersonRole.CAREGIVER,
    PersonRole.HOUSEHOLD_MEMBER,
    PersonRole.NETWORK,
]


def case_persons(*, case: Case) -> QuerySet[Person]:
    """Persons of the case: children first (oldest first), then parents, carers and network."""
    role_rank = Case_(
        *(When(role=role, then=Value(rank)) for rank, role in enumerate(PERSON_ROLE_ORDER)),
        output_field=IntegerField(),
    )
    return case.persons.annotate(role_rank=role_rank).order_by("role_rank", "birth_date", "pk")


def case_children(*, case: Case) -> QuerySet[Person]:
    return case.persons.filter(role=PersonRole.CHILD).order_by("birth_date", "pk")


def case_professionals(*, case: Case) -> QuerySet[CaseMember]:
    """Professionals currently involved in the case, internal and external."""
    return case.members.current().select_related("user", "user__organisation")


def case_coordinator(*, case: Case) -> CaseMember | None:
    return case_professionals(case=case).filter(role="coordinator").first()


def case_maltreatment_forms(*, case: Case) -> QuerySet[ChildMaltreatmentForm]:
    """Suspected and established maltreatment forms of the children in the case."""
    return ChildMaltreatmentForm.objects.filter(child__case=case).select_related("child")
