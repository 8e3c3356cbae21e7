"""Self-contained HTML report: inline CSS, inline SVG charts, no external assets or scripts
from the network. Per case, the variants' outputs side by side, with the differences against
variant A highlighted (difflib over words and single CJK characters)."""

from __future__ import annotations

import difflib
import re
from importlib.resources import files
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from evals.aggregate import metric_order
from evals.report_terminal import fmt
from evals.results import CaseChange, CaseRun, Comparison, RunReport, higher_is_better

TEMPLATES = Path(str(files("evals") / "templates"))
_TOKEN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]|\w+|\s+|[^\w\s]", re.UNICODE)
COLOURS = ["#3b6ea5", "#d9822b", "#3f9b6b", "#a33ea1", "#c23b3b", "#6b6b6b", "#1f9bb4"]


def anchor(key: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", key)


def diff_pair(a: str, b: str) -> tuple[Markup, Markup]:
    """(A with removed parts in <del>, B with added parts in <ins>)."""
    ta, tb = _TOKEN.findall(a), _TOKEN.findall(b)
    left: list[str] = []
    right: list[str] = []
    matcher = difflib.SequenceMatcher(None, ta, tb, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        sa, sb = str(escape("".join(ta[i1:i2]))), str(escape("".join(tb[j1:j2])))
        if op == "equal":
            left.append(sa)
            right.append(sb)
            continue
        if sa:
            left.append(f"<del>{sa}</del>")
        if sb:
            right.append(f"<ins>{sb}</ins>")
    return Markup("".join(left)), Markup("".join(right))


def bar_chart(metric: str, values: list[tuple[str, float, float]]) -> Markup:
    """Horizontal bars, one per variant, with a ± spread whisker. Values in [0,1] keep a 0-1
    axis so small differences are not exaggerated."""
    width, left, bar_h, gap = 360, 56, 18, 8
    top = max((v for _, v, _ in values), default=0.0)
    unit = all(0.0 <= v <= 1.0 for _, v, _ in values) and metric not in (
        "latency_ms",
        "tokens",
        "cost_usd",
    )
    scale_max = 1.0 if unit else (top * 1.1 or 1.0)
    height = len(values) * (bar_h + gap) + gap
    parts = [
        f'<svg class="chart" role="img" aria-label="{escape(metric)}" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">'
    ]
    span = width - left - 70
    for i, (vid, value, spread) in enumerate(values):
        y = gap + i * (bar_h + gap)
        w = max(1.0, span * value / scale_max)
        colour = COLOURS[i % len(COLOURS)]
        parts.append(f'<text x="4" y="{y + 13}" font-size="12">{escape(vid)}</text>')
        parts.append(
            f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar_h}" '
            f'fill="{colour}"><title>{escape(vid)}: {value:.4g}</title></rect>'
        )
        if spread:
            x1 = left + span * max(0.0, value - spread) / scale_max
            x2 = left + span * min(scale_max, value + spread) / scale_max
            mid = y + bar_h / 2
            parts.append(
                f'<line x1="{x1:.1f}" y1="{mid}" x2="{x2:.1f}" y2="{mid}" '
                'stroke="#111" stroke-width="1.5"/>'
            )
        parts.append(
            f'<text x="{left + w + 6:.1f}" y="{y + 13}" font-size="12">'
            f"{escape(fmt(metric, value))}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def _case_cells(report: RunReport, key: str) -> list[dict[str, Any]]:
    ref_text = None
    cells: list[dict[str, Any]] = []
    for v in report.variants:
        runs: list[CaseRun] = report.runs_of(v.id, key)
        if not runs:
            cells.append({"variant": v, "missing": True})
            continue
        first = runs[0]
        if ref_text is None:
            ref_text = first.text
            html = escape(first.text)
        else:
            html = diff_pair(ref_text, first.text)[1]
        passes = sum(r.passed for r in runs)
        metrics = {}
        for m in metric_order(first.metrics):
            vals = [r.metrics[m] for r in runs if m in r.metrics]
            metrics[m] = fmt(m, sum(vals) / len(vals))
        cells.append(
            {
                "variant": v,
                "missing": False,
                "run": first,
                "html": html,
                "passes": passes,
                "repeats": len(runs),
                "status": "pass" if passes == len(runs) else "fail" if passes == 0 else "flaky",
                "varies": len({r.text for r in runs}) > 1,
                "metrics": metrics,
            }
        )
    # The reference column shows what the others removed.
    if len(cells) > 1 and not cells[0]["missing"]:
        others = [c for c in cells[1:] if not c["missing"]]
        if others and others[0]["run"].text != ref_text:
            cells[0]["html"] = diff_pair(ref_text or "", others[0]["run"].text)[0]
    return cells


def build_context(report: RunReport) -> dict[str, Any]:
    metrics: list[str] = metric_order({m for s in report.summary.values() for m in s})
    summary_rows = [
        {
            "metric": m,
            "higher": higher_is_better(m),
            "cells": [report.summary.get(v.id, {}).get(m) for v in report.variants],
        }
        for m in metrics
    ]
    charts = [
        {
            "metric": m,
            "svg": bar_chart(
                m,
                [
                    (v.id, report.summary[v.id][m].mean, report.summary[v.id][m].spread)
                    for v in report.variants
                    if m in report.summary.get(v.id, {})
                ],
            ),
        }
        for m in metrics
    ]
    changed = {c.case: c for c in report.changes}
    cases = []
    for info in report.cases:
        cells = _case_cells(report, info.key)
        statuses = {c["status"] for c in cells if not c["missing"]}
        cases.append(
            {
                "info": info,
                "cells": cells,
                "change": changed.get(info.key),
                "status": "pass" if statuses == {"pass"} else "fail",
                "anchor": anchor(info.key),
            }
        )
    baseline = None
    if report.baseline:
        baseline = {
            **report.baseline,
            "comparisons": [
                Comparison.model_validate(c) for c in report.baseline.get("comparisons", [])
            ],
            "changes": [CaseChange.model_validate(c) for c in report.baseline.get("changes", [])],
        }
    return {
        "report": report,
        "meta": report.meta,
        "variants": report.variants,
        "summary_rows": summary_rows,
        "charts": charts,
        "cases": cases,
        "suites": list(report.suite_summary),
        "baseline": baseline,
        "comparisons": [
            c
            for c in report.comparisons
            if c.changed_cases or c.verdict not in ("no significant difference",)
        ],
        "changes": report.changes,
        "gate": report.gate,
        "fmt": fmt,
        "colours": COLOURS,
        "anchor": anchor,
    }


def render_html(report: RunReport) -> str:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.get_template("report.html.j2").render(**build_context(report))


def write_html(report: RunReport, path: str | Path) -> None:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(render_html(report), encoding="utf-8")
