"""The CI gate: floors (`--fail-under METRIC=VALUE`) and regressions (`--max-regression`).

- fail-under: every variant's mean of METRIC must be >= VALUE. `SUITE:METRIC` scopes the
  rule to one suite. A metric that was not measured fails the rule (a typo must not pass).
- max-regression: against the baseline run when `--baseline` is given, else every variant
  against the first one (A). The rule fails when B is worse than A by more than DELTA on the
  mean *and* the paired bootstrap says B is worse with 95% confidence (the interval excludes
  0). With fewer than 5 paired cases no interval is trusted and the mean drop alone decides.
  "Worse" follows the metric's direction (lower latency/tokens/cost/error is better).
"""

from __future__ import annotations

from evals.aggregate import compare_runs
from evals.results import CaseRun, Comparison, GateResult, RunReport, higher_is_better
from evals.stats import MIN_CASES

ALIASES = {
    "pass_rate": "pass",
    "assertion_rate": "assertions",
    "cost": "cost_usd",
    "latency": "latency_ms",
}


class GateError(ValueError):
    pass


def parse_rule(spec: str, flag: str) -> tuple[str | None, str, float]:
    """'SUITE:METRIC=VALUE' or 'METRIC=VALUE' → (suite, metric, value)."""
    name, sep, value = spec.partition("=")
    try:
        number = float(value)
    except ValueError:
        number = None
    if not sep or not name.strip() or number is None:
        raise GateError(f"{flag} expects METRIC=NUMBER (got {spec!r})")
    suite, _, metric = name.strip().rpartition(":")
    metric = ALIASES.get(metric, metric)
    return (suite or None), metric, number


def _runs(runs: list[CaseRun], variant: str, suite: str | None) -> list[CaseRun]:
    return [r for r in runs if r.variant == variant and (suite is None or r.suite == suite)]


def _floor(report: RunReport, spec: str) -> list[GateResult]:
    suite, metric, floor = parse_rule(spec, "--fail-under")
    out = []
    for v in report.variants:
        table = (
            report.suite_summary.get(suite, {}).get(v.id, {})
            if suite
            else report.summary.get(v.id, {})
        )
        s = table.get(metric)
        if s is None:
            known = ", ".join(table) or "none"
            out.append(
                GateResult(
                    rule=f"fail-under {spec}",
                    variant=v.id,
                    passed=False,
                    detail=f"metric '{metric}' was not measured (measured: {known})",
                )
            )
            continue
        ok = s.mean >= floor
        out.append(
            GateResult(
                rule=f"fail-under {spec}",
                variant=v.id,
                passed=ok,
                detail=f"{metric} = {s.mean:.3f} {'>=' if ok else '<'} {floor:g}",
            )
        )
    return out


def _describe(c: Comparison) -> str:
    return (
        f"{c.b} vs {c.a}: {c.metric} {c.mean_a:.3f} → {c.mean_b:.3f} "
        f"(Δ {c.delta:+.3f}, {c.confidence:.0%} CI [{c.ci_low:+.3f}, {c.ci_high:+.3f}], "
        f"n={c.n}): {c.verdict}"
    )


def _regression(report: RunReport, spec: str, baseline: RunReport | None) -> list[GateResult]:
    suite, metric, allowed = parse_rule(spec, "--max-regression")
    pairs: list[tuple[str, list[CaseRun], str, list[CaseRun]]] = []
    if baseline is not None:
        for v in report.variants:
            bv = next((b for b in baseline.variants if b.label == v.label), baseline.variants[0])
            pairs.append(
                (
                    f"baseline:{bv.id}",
                    _runs(baseline.runs, bv.id, suite),
                    v.id,
                    _runs(report.runs, v.id, suite),
                )
            )
    else:
        ref = report.variants[0].id
        pairs += [
            (ref, _runs(report.runs, ref, suite), v.id, _runs(report.runs, v.id, suite))
            for v in report.variants[1:]
        ]
    if not pairs:
        return [
            GateResult(
                rule=f"max-regression {spec}",
                variant="-",
                passed=False,
                detail="nothing to compare: give --baseline or a --matrix with 2+ variants",
            )
        ]
    out = []
    for a, runs_a, b, runs_b in pairs:
        comps, _ = compare_runs(a, runs_a, b, runs_b)
        c = next((c for c in comps if c.metric == metric), None)
        if c is None:
            out.append(
                GateResult(
                    rule=f"max-regression {spec}",
                    variant=b,
                    passed=False,
                    detail=f"metric '{metric}' not measured on shared cases",
                )
            )
            continue
        drop = -c.delta if higher_is_better(metric) else c.delta
        significant = c.verdict == "worse" or (c.n < MIN_CASES and drop > 0)
        ok = not (drop > allowed and significant)
        out.append(
            GateResult(
                rule=f"max-regression {spec}",
                variant=b,
                passed=ok,
                detail=f"{_describe(c)}; allowed drop {allowed:g}",
            )
        )
    return out


def evaluate_gate(
    report: RunReport,
    fail_under: list[str] | None = None,
    max_regression: list[str] | None = None,
    baseline: RunReport | None = None,
) -> list[GateResult]:
    results: list[GateResult] = []
    for spec in fail_under or []:
        results += _floor(report, spec)
    for spec in max_regression or []:
        results += _regression(report, spec, baseline)
    return results
