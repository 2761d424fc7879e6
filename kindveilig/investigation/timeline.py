"""The lifeline drawn as SVG on the server: a vertical time line that stays readable on a phone
(320 px) and on paper. Each event is a marker on the line with its date, kind and a short
description; a problem, a strength and an event in a vulnerable period are told apart by shape
and by words, not by colour alone. The table beside it is the full text alternative."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

ROW = 72
WIDTH = 360
LINE_X = 16


def _short(text: str, length: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"


def _marker(assessment: str, y: int) -> SafeString:
    if assessment == "problem":  # a square
        return format_html(
            '<rect x="{}" y="{}" width="12" height="12" class="kv-tl-problem"/>', LINE_X - 6, y - 6
        )
    if assessment == "strength":  # a diamond
        points = f"{LINE_X},{y - 8} {LINE_X + 8},{y} {LINE_X},{y + 8} {LINE_X - 8},{y}"
        return format_html('<polygon points="{}" class="kv-tl-strength"/>', points)
    return format_html('<circle cx="{}" cy="{}" r="6" class="kv-tl-event"/>', LINE_X, y)


def lifeline_svg(rows: Sequence[Any]) -> SafeString:
    """The SVG of the lifeline rows (``selectors.LifelineRow``); empty when there are none."""
    if not rows:
        return mark_safe("")  # nothing to escape
    height = 24 + ROW * len(rows)
    vulnerable = sum(1 for row in rows if row.vulnerable)
    first, last = rows[0].event.date, rows[-1].event.date
    description = ngettext(
        "%(count)d event from %(first)s to %(last)s; %(vulnerable)d in a vulnerable period.",
        "%(count)d events from %(first)s to %(last)s; %(vulnerable)d in a vulnerable period.",
        len(rows),
    ) % {
        "count": len(rows),
        "first": date_format(first, "SHORT_DATE_FORMAT"),
        "last": date_format(last, "SHORT_DATE_FORMAT"),
        "vulnerable": vulnerable,
    }
    items = []
    for index, row in enumerate(rows):
        y = 20 + index * ROW
        event = row.event
        words = [
            date_format(event.date, "SHORT_DATE_FORMAT"),
            event.get_kind_display(),
        ]
        if event.assessment != "neutral":
            words.append(event.get_assessment_display().lower())
        items.append(
            format_html(
                '<g class="kv-tl-row{}">{}'
                '<text x="{}" y="{}" class="kv-tl-head">{}</text>'
                '<text x="{}" y="{}" class="kv-tl-text">{}</text>{}</g>',
                " kv-tl-vulnerable" if row.vulnerable else "",
                _marker(event.assessment, y),
                LINE_X + 16,
                y + 4,
                " · ".join(words),
                LINE_X + 16,
                y + 24,
                _short(event.description, 46),
                format_html(
                    '<text x="{}" y="{}" class="kv-tl-warning">⚠ {}</text>',
                    LINE_X + 16,
                    y + 42,
                    _("vulnerable period"),
                )
                if row.vulnerable
                else "",
            )
        )
    return format_html(
        '<svg class="kv-timeline" role="img" viewBox="0 0 {w} {h}" width="100%" '
        'aria-labelledby="kv-tl-title kv-tl-desc" xmlns="http://www.w3.org/2000/svg">'
        '<title id="kv-tl-title">{title}</title><desc id="kv-tl-desc">{desc}</desc>'
        '<line x1="{x}" y1="8" x2="{x}" y2="{end}" class="kv-tl-line"/>{items}</svg>',
        w=WIDTH,
        h=height,
        title=_("Lifeline"),
        desc=description,
        x=LINE_X,
        end=height - 8,
        items=format_html_join("", "{}", ((item,) for item in items)),
    )
