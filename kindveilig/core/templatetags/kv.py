"""Template building blocks every page uses (loaded for all templates as a builtin)."""

from __future__ import annotations

from django import template
from django.forms import BaseForm, BoundField
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

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
