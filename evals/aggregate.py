"""From runs to numbers: per-variant summaries, paired comparisons, per-case changes."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from evals.results import (
    CaseChange,
    CaseRun,
    Comparison,
    MetricSummary,
    RunReport,
    higher_is_better,
)
from evals.stats import mean, paired_bootstrap, stdev, verdict

# Metrics whose change between variants is noise, not a behaviour change of the case.
NOISY = frozenset({"latency_ms"})
_FIRST = [
    "pass",
    "assertions",
    "answer_precision",
    "answer_recall",
    "abstain_precision",
    "abstain_recall",
    "mrr",
]
_LAST = ["overlap_f1", "similarity", "judge", "latency_ms", "tokens", "cost_usd", "error"]


def metric_order(names: Iterable[str]) -> list[str]:
    """Stable, readable order: outcome first, retrieval by k, quality, then cost and errors."""

    def rank(name: str) -> tuple[int, str, int]:
        if name in _FIRST:
            return (0, "", _FIRST.index(name))
        if name in _LAST:
            return (2, "", _LAST.index(name))
        base, _, k = name.partition("@")
        return (1, base, int(k) if k.isdigit() else 0)

    return sorted(set(names), key=rank)


def case_means(runs: Iterable[CaseRun]) -> dict[str, dict[str, float]]:
    """case key -> metric -> mean over repeats."""
    acc: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for r in runs:
        for m, v in r.metrics.items():
            acc[r.key][m].append(v)
    return {k: {m: mean(vs) for m, vs in ms.items()} for k, ms in acc.items()}


def summarize_runs(runs: list[CaseRun]) -> dict[str, MetricSummary]:
    """Mean over cases (each averaged over its repeats) and the stdev across repeats."""
    per_case = case_means(runs)
    by_metric: dict[str, list[float]] = defaultdict(list)
    for metrics in per_case.values():
        for m, v in metrics.items():
            by_metric[m].append(v)
    per_repeat: dict[str, dict[int, list[float]]] = defaultdict(lambda: defaultdict(list))
    for r in runs:
        for m, v in r.metrics.items():
            per_repeat[m][r.repeat].append(v)
    out = {}
    for m in metric_order(by_metric):
        repeat_means = [mean(vs) for vs in per_repeat[m].values()]
        out[m] = MetricSummary(
            mean=mean(by_metric[m]), spread=stdev(repeat_means), n=len(by_metric[m])
        )
    return out


def summarize_report(report: RunReport) -> None:
    report.summary = {
        v.id: summarize_runs([r for r in report.runs if r.variant == v.id]) for v in report.variants
    }
    suites = sorted({c.suite for c in report.cases}, key=[c.suite for c in report.cases].index)
    report.suite_summary = {
        s: {
            v.id: summarize_runs([r for r in report.runs if r.variant == v.id and r.suite == s])
            for v in report.variants
        }
        for s in suites
    }


def _assertion_rates(runs: list[CaseRun]) -> dict[str, dict[str, tuple[float, str]]]:
    """case key -> assertion name -> (share of repeats that passed, a failure detail)."""
    acc: dict[str, dict[str, list[tuple[bool, str]]]] = defaultdict(lambda: defaultdict(list))
    for r in runs:
        for a in r.assertions:
            if a.passed is not None:
                acc[r.key][a.name].append((bool(a.passed), a.detail))
    out: dict[str, dict[str, tuple[float, str]]] = {}
    for key, names in acc.items():
        out[key] = {}
        for name, results in names.items():
            detail = next((d for ok, d in results if not ok), "")
            out[key][name] = (sum(ok for ok, _ in results) / len(results), detail)
    return out


def _texts(runs: list[CaseRun]) -> dict[str, str]:
    return {r.key: r.text for r in sorted(runs, key=lambda r: r.repeat, reverse=True)}


def compare_runs(
    a: str, runs_a: list[CaseRun], b: str, runs_b: list[CaseRun], *, confidence: float = 0.95
) -> tuple[list[Comparison], list[CaseChange]]:
    """Paired comparison of B against A over shared cases, and the cases that changed."""
    ma, mb = case_means(runs_a), case_means(runs_b)
    shared = [k for k in mb if k in ma]
    ra, rb = _assertion_rates(runs_a), _assertion_rates(runs_b)
    ta, tb = _texts(runs_a), _texts(runs_b)
    changes: list[CaseChange] = []
    for key in shared:
        flips = []
        for name in sorted(set(ra.get(key, {})) | set(rb.get(key, {}))):
            pa, da = ra.get(key, {}).get(name, (None, ""))
            pb, db = rb.get(key, {}).get(name, (None, ""))
            if pa != pb:
                why = db or da
                flips.append(f"{name}: {_word(pa)}→{_word(pb)}" + (f" ({why})" if why else ""))
        deltas = {
            m: mb[key][m] - ma[key][m]
            for m in metric_order(mb[key])
            if m in ma[key] and m not in NOISY and abs(mb[key][m] - ma[key][m]) > 1e-9
        }
        pa_, pb_ = ma[key].get("pass", 0.0), mb[key].get("pass", 0.0)
        if flips or deltas or ta.get(key) != tb.get(key):
            direction = "better" if pb_ > pa_ else "worse" if pb_ < pa_ else "changed"
            changes.append(
                CaseChange(
                    case=key,
                    a=a,
                    b=b,
                    direction=direction,
                    pass_a=pa_,
                    pass_b=pb_,
                    flipped=flips,
                    metric_deltas=deltas,
                )
            )
    comparisons: list[Comparison] = []
    metrics = metric_order({m for k in shared for m in mb[k] if m in ma[k]})
    for m in metrics:
        keys = [k for k in shared if m in ma[k] and m in mb[k]]
        if not keys:
            continue
        res = paired_bootstrap(
            [ma[k][m] for k in keys], [mb[k][m] for k in keys], confidence=confidence
        )
        changed = sum(1 for k in keys if abs(mb[k][m] - ma[k][m]) > 1e-9)
        comparisons.append(
            Comparison(
                metric=m,
                a=a,
                b=b,
                n=res.n,
                mean_a=res.mean_a,
                mean_b=res.mean_b,
                delta=res.delta,
                ci_low=res.ci_low,
                ci_high=res.ci_high,
                confidence=confidence,
                verdict=verdict(res, higher_is_better(m)),
                changed_cases=changed,
            )
        )
    return comparisons, changes


def _word(rate: float | None) -> str:
    if rate is None:
        return "absent"
    return "passed" if rate >= 1 else "failed" if rate <= 0 else f"flaky({rate:.0%})"


def compare_variants(report: RunReport) -> None:
    """Every variant after the first against the first (A), case by case."""
    if len(report.variants) < 2:
        return
    ref = report.variants[0].id
    runs_ref = [r for r in report.runs if r.variant == ref]
    for v in report.variants[1:]:
        comps, changes = compare_runs(
            ref, runs_ref, v.id, [r for r in report.runs if r.variant == v.id]
        )
        report.comparisons += comps
        report.changes += changes
