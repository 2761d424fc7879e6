from django import template

from kindveilig.knowledge import display
from kindveilig.knowledge.loader import knowledge_base
from kindveilig.knowledge.schema import Entry, SubItem

register = template.Library()


@register.filter
def kb_label(entry: Entry | SubItem) -> str:
    return display.entry_label(entry)


@register.simple_tag
def kb_reference_label(list_name: str, code: str) -> str:
    kb = knowledge_base()
    if list_name in kb.lists and code in kb[list_name]:
        return display.entry_label(kb[list_name].get(code))
    return code
