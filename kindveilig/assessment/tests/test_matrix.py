"""The risk matrix SVG: each scenario's number in the right cell, its accessible name and
text alternative, and the empty matrix."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils import translation

from kindveilig.assessment.matrix import (
    CELL_H,
    CELL_W,
    LEFT,
    TOP,
    probability_band,
    risk_matrix_svg,
)


@dataclass
class Item:
    position: int
    probability: int
    severity: int
    current_priority: str


def _numbers(svg: str) -> dict[str, tuple[float, float]]:
    found = re.findall(
        r'<text x="([\d.]+)" y="([\d.]+)" text-anchor="middle" class="kv-rm-number">([^<]+)</text>',
        svg,
    )
    return {text: (float(x), float(y)) for x, y, text in found}


def _cell(x: float, y: float) -> tuple[int, int]:
    """(severity, band) of a point."""
    band = int((x - LEFT) // CELL_W) + 1
    severity = 5 - int((y - TOP) // CELL_H)
    return severity, band


def test_each_scenario_lands_in_its_cell() -> None:
    items = [
        Item(1, 95, 5, "A"),
        Item(2, 49, 4, "B"),
        Item(3, 50, 3, "C"),
        Item(4, 0, 1, "D"),
        Item(5, 20, 2, "D"),
    ]
    svg = str(risk_matrix_svg(items))
    numbers = _numbers(svg)
    assert _cell(*numbers["1"]) == (5, 5)
    assert _cell(*numbers["2"]) == (4, 3)
    assert _cell(*numbers["3"]) == (3, 3)
    assert _cell(*numbers["4"]) == (1, 1)
    assert _cell(*numbers["5"]) == (2, 2)
    # 49 % and 50 % share a band but not a zone: each stands in its own part.
    assert numbers["2"][0] < LEFT + 2.5 * CELL_W < numbers["3"][0]
    assert probability_band(100) == 5 and probability_band(19) == 1 and probability_band(20) == 2


def test_scenarios_in_one_part_share_it() -> None:
    svg = str(risk_matrix_svg([Item(1, 60, 5, "A"), Item(2, 70, 5, "A")]))
    assert "1,2" in _numbers(svg)


def test_the_accessible_name_and_text_alternative() -> None:
    svg = str(risk_matrix_svg([Item(1, 60, 5, "A")]))
    assert 'role="img"' in svg and 'aria-labelledby="kv-rm-title kv-rm-desc"' in svg
    assert '<title id="kv-rm-title">' in svg
    assert "Scenario 1" in svg and "60%" in svg
    assert 'viewBox="0 0 ' in svg and 'width="100%"' in svg and "style=" not in svg
    assert set(re.findall(r"kv-rm-zone-([a-d])", svg)) == {"a", "b", "c", "d"}


def test_the_empty_matrix() -> None:
    with translation.override("nl"):
        svg = str(risk_matrix_svg([]))
    assert 'role="img"' in svg and _numbers(svg) == {}
    assert "geen scenario" in svg.lower()
