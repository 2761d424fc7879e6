"""The risk matrix of R3 drawn as SVG on the server: severity 1-5 against probability in five
bands of 20 %, each cell shaded by the priority zone (A-D) it falls in under the thresholds of
the knowledge base, and each scenario's number (its place in R3's order) in its cell.

A band that the probability threshold cuts in two (40-59 % with a threshold of 50 %) is drawn
as two parts, each in its own zone; a scenario's number stands in the part it belongs to. The
zones are told apart by a letter as well as by shade, never by colour alone. The ranked table
of scenarios beside it is the full text alternative; the SVG's description also lists them.
Readable at 320 px (viewBox, width 100 %) and on paper; styled by classes of the stylesheet.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kindveilig.knowledge.loader import knowledge_base

LEFT = 56  # room for the severity axis
TOP = 12
CELL_W = 60
CELL_H = 48
WIDTH = LEFT + 5 * CELL_W + 8
HEIGHT = TOP + 5 * CELL_H + 48
BANDS = ((0, 19), (20, 39), (40, 59), (60, 79), (80, 100))


def probability_band(probability: int) -> int:
    """Band 1 is 0-19 %, band 5 is 80-100 % (as ``method.judging.risk_matrix``)."""
    return min(probability // 20 + 1, 5)


def _zone(severity: int, likely: bool, severe_from: int) -> str:
    severe = severity >= severe_from
    return {(True, True): "A", (True, False): "B", (False, True): "C"}.get((severe, likely), "D")


def _x(probability: float) -> float:
    """The x of a probability on the axis: each band is one cell wide."""
    band = min(int(probability // 20), 4)
    low, high = BANDS[band]
    width = high - low + 1
    return LEFT + band * CELL_W + (probability - low) / width * CELL_W


def _thresholds() -> tuple[int, int]:
    kb = knowledge_base()
    return int(kb.threshold("r3.ernst-hoog")), int(kb.threshold("r3.kans-groot"))


def _parts(band: int, likely_from: int) -> list[tuple[float, float, bool]]:
    """The parts of a band (x from, x to, likely): one, or two where the threshold cuts it."""
    low, high = BANDS[band - 1]
    start, end = LEFT + (band - 1) * CELL_W, LEFT + band * CELL_W
    if low < likely_from <= high:
        cut = _x(likely_from)
        return [(start, cut, False), (cut, end, True)]
    return [(start, end, low >= likely_from)]


def _number(scenario: Any, index: int) -> int:
    return int(getattr(scenario, "position", None) or index)


def _priority(scenario: Any) -> str:
    return str(getattr(scenario, "current_priority", None) or getattr(scenario, "priority", ""))


def risk_matrix_svg(scenarios: Sequence[Any], *, id_prefix: str = "kv-rm") -> SafeString:
    """The SVG of the matrix for ``scenarios`` (objects with ``probability`` and ``severity``;
    ``position`` and ``current_priority`` where they have them, as ``RiskScenario``), in R3
    order. Without scenarios the empty matrix with its zones is drawn, and says so."""
    severe_from, likely_from = _thresholds()
    placed: dict[tuple[int, int, bool], list[int]] = {}
    lines = []
    for index, scenario in enumerate(scenarios, start=1):
        number = _number(scenario, index)
        likely = scenario.probability >= likely_from
        key = (scenario.severity, probability_band(scenario.probability), likely)
        placed.setdefault(key, []).append(number)
        lines.append(
            _(
                "Scenario %(number)d: priority %(priority)s, severity %(severity)d, "
                "probability %(probability)d%%."
            )
            % {
                "number": number,
                "priority": _priority(scenario) or _zone(scenario.severity, likely, severe_from),
                "severity": scenario.severity,
                "probability": scenario.probability,
            }
        )
    cells = []
    for severity in range(1, 6):
        y = TOP + (5 - severity) * CELL_H
        for band in range(1, 6):
            for start, end, likely in _parts(band, likely_from):
                zone = _zone(severity, likely, severe_from)
                numbers = placed.get((severity, band, likely), [])
                middle = (start + end) / 2
                cells.append(
                    format_html(
                        '<rect x="{}" y="{}" width="{}" height="{}" class="kv-rm-cell '
                        'kv-rm-zone-{}"/><text x="{}" y="{}" class="kv-rm-zone">{}</text>{}',
                        f"{start:g}",
                        y,
                        f"{end - start:g}",
                        CELL_H,
                        zone.lower(),
                        f"{start + 3:g}",
                        y + 12,
                        zone,
                        format_html(
                            '<text x="{}" y="{}" text-anchor="middle" class="kv-rm-number">'
                            "{}</text>",
                            f"{middle:g}",
                            y + CELL_H / 2 + 8,
                            ",".join(str(number) for number in numbers),
                        )
                        if numbers
                        else "",
                    )
                )
    axes = [
        format_html(
            '<text x="{}" y="{}" text-anchor="end" class="kv-rm-axis">{}</text>',
            LEFT - 6,
            TOP + (5 - severity) * CELL_H + CELL_H / 2 + 5,
            severity,
        )
        for severity in range(1, 6)
    ]
    axes += [
        format_html(
            '<text x="{}" y="{}" text-anchor="middle" class="kv-rm-axis">{}–{}</text>',
            LEFT + (band - 0.5) * CELL_W,
            TOP + 5 * CELL_H + 16,
            low,
            high,
        )
        for band, (low, high) in enumerate(BANDS, start=1)
    ]
    axes.append(
        format_html(
            '<text x="{}" y="{}" text-anchor="middle" class="kv-rm-label">{}</text>',
            LEFT + 2.5 * CELL_W,
            TOP + 5 * CELL_H + 38,
            _("Probability (%)"),
        )
    )
    axes.append(
        format_html(
            '<text x="14" y="{}" text-anchor="middle" class="kv-rm-label" '
            'transform="rotate(-90 14 {})">{}</text>',
            TOP + 2.5 * CELL_H,
            TOP + 2.5 * CELL_H,
            _("Severity (1-5)"),
        )
    )
    if lines:
        summary = ngettext(
            "Risk matrix of %(count)d scenario: severity 1 to 5 against probability in bands "
            "of 20%%. Severe from %(severe)d, likely from %(likely)d%%.",
            "Risk matrix of %(count)d scenarios: severity 1 to 5 against probability in bands "
            "of 20%%. Severe from %(severe)d, likely from %(likely)d%%.",
            len(lines),
        ) % {"count": len(lines), "severe": severe_from, "likely": likely_from}
        description = " ".join([summary, *lines])
    else:
        description = _(
            "Risk matrix without scenarios: no scenarios have been recorded yet. Severe from "
            "%(severe)d, likely from %(likely)d%%."
        ) % {"severe": severe_from, "likely": likely_from}
    return format_html(
        '<svg class="kv-risk-matrix" role="img" viewBox="0 0 {w} {h}" width="100%" '
        'aria-labelledby="{p}-title {p}-desc" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{p}-title">{title}</title><desc id="{p}-desc">{desc}</desc>'
        "{cells}{axes}</svg>",
        w=WIDTH,
        h=HEIGHT,
        p=id_prefix,
        title=_("Risk matrix (R3)"),
        desc=description,
        cells=format_html_join("", "{}", ((cell,) for cell in cells)),
        axes=format_html_join("", "{}", ((axis,) for axis in axes)),
    )
