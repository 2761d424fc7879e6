"""Render the tables of bench/RESULTS.md from bench/results-<database>.json.

    .venv/bin/python bench/report.py bench/results-sqlite.json bench/results-postgres.json

Prints Markdown; the surrounding text of RESULTS.md (machine, audit bench, conclusions) is
written by hand.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

THROUGHPUT_ROWS = [
    "bare page",
    "bare page, logged in",
    "case page",
    "bare JSON",
    "API case",
]


def pages_table(report: dict[str, Any]) -> list[str]:
    sizes = list(report["sizes"])
    head = "| page / endpoint | " + " | ".join(
        f"{int(size):,} cases: median (p95) ms, queries" for size in sizes
    )
    lines = [head + " | median ratio |", "|---|" + "---|" * len(sizes) + "---|"]
    for name in report["sizes"][sizes[0]]["pages"]:
        cells = []
        for size in sizes:
            page = report["sizes"][size]["pages"][name]
            cells.append(f"{page['median_ms']} ({page['p95_ms']}), {page['queries']}")
        ratio = report.get("flatness", {}).get(name, {}).get("median_ratio", "")
        lines.append(f"| `{name}` | " + " | ".join(cells) + f" | {ratio}× |")
    return lines


def throughput_table(report: dict[str, Any], size: str) -> list[str]:
    throughput = report["sizes"][size]["throughput"]
    lines = [
        "| workload | clients | requests/s | p50 ms | p95 ms | p99 ms | max ms | errors "
        "| requests/s, p95 ms per round |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    keys = [key for key in throughput if not key.startswith("ratio")]
    for key in keys:
        row = throughput[key]
        name, _, clients = key.rpartition(" @")
        errors = row.get("errors", 0) + row.get("non_2xx", 0)
        lines.append(
            f"| {name} | {clients} | {row['rps']} | {row['p50_ms']} | {row['p95_ms']} | "
            f"{row['p99_ms']} | {row.get('max_ms', '')} | {errors} | {_rounds(row)} |"
        )
    for key in throughput:
        if key.startswith("ratio"):
            lines.append(f"\n*{key}*: **{throughput[key]}**")
    return lines


def _rounds(row: dict[str, Any]) -> str:
    """The rate and p95 of each round (runs since 2026-12-06; earlier runs had one)."""
    pairs = zip(row.get("rps_rounds", []), row.get("p95_ms_rounds", []), strict=False)
    return ", ".join(f"{rps:.0f} / {p95:.0f}" for rps, p95 in pairs)


def render(path: Path) -> str:
    report = json.loads(path.read_text())
    out = [
        f"### {report['database']} — {report['date']}, commit `{report['commit']}`, "
        f"{report['cpus']} CPUs",
        "",
    ]
    generation = [
        f"{int(size):,} cases in {data['generation_seconds']:.0f} s"
        for size, data in report["sizes"].items()
        if data.get("generation_seconds")
    ]
    if generation:
        out += ["Generation: " + "; ".join(generation) + ".", ""]
    out += [
        f"**Pages and endpoints** (in-process, {report.get('rounds', 50)} requests after warm-up; "
        f"every size measured in {report.get('passes', 2)} passes, the fastest pass kept):",
        "",
    ]
    out += pages_table(report)
    for size in report["sizes"]:
        out += ["", f"**Throughput at {int(size):,} cases** (`kindveilig serve`, wrk):", ""]
        out += throughput_table(report, size)
    return "\n".join(out) + "\n"


def main() -> None:
    for name in sys.argv[1:]:
        print(render(Path(name)))


if __name__ == "__main__":
    main()
