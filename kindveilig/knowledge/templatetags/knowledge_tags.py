from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from kindveilig.knowledge import display
from kindveilig.knowledge.loader import knowledge_base
from kindveilig.knowledge.schema import Entry, SubItem

register = template.Library()


@register.filter
def kb_label(entry: Entry | SubItem) -> str:
    return display.entry_label(entry)


@register.filter
def kb_text(entry: Entry) -> str:
    """The entry's explanation in the current language (Dutch where no English is given)."""
    return display.entry_text(entry)


@register.filter
def kb_value(value: object) -> str:
    """A value of an attribute in words (a code such as "parent" becomes "Ouder")."""
    return display.display_value(value)


@register.filter
def kb_list_title(list_name: str) -> str:
    kb = knowledge_base()
    return display.list_title(kb[list_name]) if list_name in kb.lists else list_name


@register.simple_tag
def kb_reference_label(list_name: str, code: str) -> str:
    return display.label_of(list_name, code)


@register.simple_tag
def kb_rule(rule: str) -> SafeString:
    """A rule of the method engine by its name, linked to its explanation in the Kennisbank:
    ``{% kb_rule "R5" %}`` → <a …>Gesprek met het kind</a>."""
    code = display.rule_code(rule)
    if code not in knowledge_base()["method_rules"]:
        return format_html("{}", rule)
    url = reverse("knowledge:entry", args=["method_rules", code])
    return format_html(
        '<a class="utrecht-link kv-rule" href="{}">{}</a>', url, display.rule_name(rule)
    )
