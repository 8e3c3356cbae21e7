"""The terminal report: summary, per-suite pass rates, comparisons, changes, failures, gate."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from evals.results import CaseChange, Comparison, RunReport

VERDICT_STYLE = {
    "better": "green",
    "worse": "bold red",
    "no significant difference": "dim",
    "too few cases": "yellow",
}


def fmt(metric: str, value: float) -> str:
    if metric == "latency_ms":
        return f"{value:.0f} ms"
    if metric == "cost_usd":
        return f"${value:.4f}"
    if metric == "tokens":
        return f"{value:.0f}"
    return f"{value:.3f}"


def _summary_table(report: RunReport) -> Table:
    table = Table(title="Summary (mean over cases; ± = stdev across repeats)", title_justify="left")
    table.add_column("metric", no_wrap=True)
    for v in report.variants:
        table.add_column(f"{v.id}: {v.label}", justify="right")
    metrics: list[str] = []
    for v in report.variants:
        metrics += [m for m in report.summary.get(v.id, {}) if m not in metrics]
    for m in metrics:
        cells = []
        for v in report.variants:
            s = report.summary.get(v.id, {}).get(m)
            if s is None:
                cells.append("–")
                continue
            noise = f" ± {fmt(m, s.spread)}" if report.meta.get("repeat", 1) > 1 else ""
            cells.append(f"{fmt(m, s.mean)}{noise} [dim](n={s.n})[/]")
        table.add_row(m, *cells)
    return table


def _suite_table(report: RunReport) -> Table:
    table = Table(title="Pass rate by suite", title_justify="left")
    table.add_column("suite")
    table.add_column("cases", justify="right")
    for v in report.variants:
        table.add_column(v.id, justify="right")
    for suite, by_variant in report.suite_summary.items():
        n = sum(1 for c in report.cases if c.suite == suite)
        cells = [
            fmt("pass", by_variant[v.id]["pass"].mean)
            if "pass" in by_variant.get(v.id, {})
            else "–"
            for v in report.variants
        ]
        table.add_row(suite, str(n), *cells)
    return table


def comparison_table(title: str, comparisons: list[Comparison], verbose: bool = False) -> Table:
    table = Table(title=title, title_justify="left")
    for col in ("B vs A", "metric", "A", "B", "Δ", "95% CI", "cases changed", "verdict"):
        table.add_column(
            col,
            justify="left" if col in ("metric", "verdict", "B vs A") else "right",
            no_wrap=col in ("metric", "95% CI"),
        )
    for c in comparisons:
        if not verbose and not c.changed_cases:
            continue
        style = VERDICT_STYLE.get(c.verdict, "")
        table.add_row(
            f"{c.b} vs {c.a}",
            c.metric,
            fmt(c.metric, c.mean_a),
            fmt(c.metric, c.mean_b),
            f"{c.delta:+.3f}",
            f"[{c.ci_low:+.3f}, {c.ci_high:+.3f}]",
            str(c.changed_cases),
            f"[{style}]{c.verdict}[/]",
        )
    return table


def _changes(console: Console, title: str, changes: list[CaseChange], limit: int) -> None:
    moved = [c for c in changes if c.direction in ("better", "worse") or c.flipped]
    if not moved:
        return
    console.print(
        f"[bold]{title}[/] ({sum(c.direction == 'worse' for c in moved)} worse, "
        f"{sum(c.direction == 'better' for c in moved)} better)"
    )
    for c in sorted(moved, key=lambda c: c.direction != "worse")[:limit]:
        colour = {"worse": "red", "better": "green"}.get(c.direction, "yellow")
        console.print(f"  [{colour}]{c.direction:>7}[/] {c.case} ({c.b} vs {c.a})")
        for flip in c.flipped[:4]:
            console.print(f"           · {flip[:160]}")


def print_report(report: RunReport, console: Console | None = None, limit: int = 15) -> None:
    console = console or Console()
    meta = report.meta
    cache = meta.get("cache") or {}
    console.print(
        f"[bold]Eval run[/]: {len(report.cases)} cases × {len(report.variants)} "
        f"variant(s) × {meta.get('repeat', 1)} repeat(s) in "
        f"{meta.get('duration_s', 0)} s; target calls {meta.get('target_calls', 0)}, "
        f"cache hits {cache.get('hits', 0)}"
    )
    console.print(_summary_table(report))
    console.print(_suite_table(report))
    if report.comparisons:
        console.print(
            comparison_table(
                "Variants compared case by case (paired bootstrap)", report.comparisons
            )
        )
        _changes(console, "Cases that changed between variants", report.changes, limit)
    if report.baseline:
        comps = [Comparison.model_validate(c) for c in report.baseline.get("comparisons", [])]
        console.print(comparison_table(f"Against baseline {report.baseline.get('path')}", comps))
        _changes(
            console,
            "Cases that changed against the baseline",
            [CaseChange.model_validate(c) for c in report.baseline.get("changes", [])],
            limit,
        )
    repeats = report.meta.get("repeat", 1)
    for v in report.variants:
        failing: dict[str, list[str]] = {}
        for r in report.runs:
            if r.variant == v.id and not r.passed:
                why = next((f"{a.name}: {a.detail}" for a in r.assertions if a.passed is False), "")
                failing.setdefault(r.key, []).append(why)
        if not failing:
            continue
        console.print(
            f"[bold]Failing in {v.id}[/] ({len(failing)} of {sum(1 for c in report.cases)} cases)"
        )
        for key, whys in list(failing.items())[:limit]:
            times = f" ({len(whys)}/{repeats} repeats)" if repeats > 1 else ""
            console.print(f"  [red]✗[/] {key}{times}  [dim]{whys[0][:140]}[/]")
        if len(failing) > limit:
            console.print(f"  … and {len(failing) - limit} more (see the HTML or JSON report)")
    if report.gate:
        for g in report.gate:
            mark = "[green]PASS[/]" if g.passed else "[bold red]FAIL[/]"
            console.print(f"gate {mark} {g.rule} [{g.variant}]: {g.detail}")
        console.print(
            "[bold green]Gate passed[/]" if report.gate_passed else "[bold red]Gate failed[/]"
        )
