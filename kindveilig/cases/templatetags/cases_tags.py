import datetime as dt

from django import template

from kindveilig.cases.models import Person

register = template.Library()


@register.simple_tag
def age_on(person: Person, reference: dt.date) -> int | None:
    return person.age_on(reference)
