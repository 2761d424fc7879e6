"""Template building blocks every page uses (loaded for all templates as a builtin)."""

from __future__ import annotations

from django import template
from django.forms import BaseForm, BoundField
from django.template.base import FilterExpression
from django.template.loader_tags import BlockNode
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from kindveilig.core.kept import kept_html

register = template.Library()


@register.simple_tag
def table_head(*labels: str) -> SafeString:
    """The header row of a table: ``{% table_head _("When") _("Who") %}``. An empty label
    (above a column of row headers or of actions) is an empty cell, not a header without
    a name."""
    header = '<th class="utrecht-table__header-cell" scope="col">{}</th>'
    empty = '<td class="utrecht-table__header-cell">{}</td>'
    cells = format_html_join(
        "", "{}", ((format_html(header if str(label) else empty, label),) for label in labels)
    )
    return format_html(
        '<thead class="utrecht-table__header"><tr class="utrecht-table__row">{}</tr></thead>',
        cells,
    )


@register.filter
def fields_with_errors(form: BaseForm) -> list[BoundField]:
    """The fields of ``form`` that have an error, in the form's order (hidden ones too)."""
    return [field for field in form if field.errors]


FRAGMENTS_CACHE = "fragments"


class KeptNode(template.Node):
    # Django walks a parent template's nodes for its blocks on every render of a page that
    # extends it; the kept parts of the layout (most of its nodes) hold no block (refused
    # below), so the walk need not enter them.
    child_nodelists = ()

    def __init__(
        self, nodelist: template.NodeList, name: str, vary_on: list[FilterExpression]
    ) -> None:
        self.nodelist = nodelist
        self.name = name
        self.vary_on = vary_on

    def render(self, context: template.Context) -> str:
        request = context.get("request")
        if request is None:  # rendered outside a request (an e-mail, a PDF): nothing to keep
            return self.nodelist.render(context)
        parts = [self.name, *(value.resolve(context) for value in self.vary_on)]

        def render(csrf_token: str) -> str:
            with context.push(csrf_token=csrf_token):
                return self.nodelist.render(context)

        return kept_html(request, FRAGMENTS_CACHE, parts, render)


@register.tag
def kept(parser: template.base.Parser, token: template.base.Token) -> KeptNode:
    """``{% kept "header" user.pk LANGUAGE_CODE %}...{% endkept %}``: the part rendered once
    per combination of the values named (which must be everything it shows) and kept in the
    process's memory (``core.kept``; ``CACHES["fragments"]``). The CSRF token inside is the
    requesting browser's own."""
    nodelist = parser.parse(("endkept",))
    parser.delete_first_token()
    if nodelist.get_nodes_by_type(BlockNode):
        raise template.TemplateSyntaxError("{% kept %} cannot hold a {% block %}")
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError("{% kept %} needs a quoted name first")
    return KeptNode(nodelist, bits[1][1:-1], [parser.compile_filter(bit) for bit in bits[2:]])
