"""Small statistics for evals: mean, spread, and a paired bootstrap over cases.

Why paired: two variants answer the *same* cases, and case difficulty varies far more than
the variants do. Comparing per-case differences (B - A) removes that shared variance, so a
small but consistent regression is detectable where two independent means would overlap.

Paired bootstrap (percentile interval): with per-case differences d_1..d_n, draw `resamples`
samples of n case indices with replacement (numpy PCG64, fixed seed, so a run is reproducible),
take the mean difference of each, and report the (1-c)/2 and (1+c)/2 quantiles as the
confidence interval of mean(B - A). If the whole interval lies below zero, "B is worse than A
with c confidence" (for a higher-is-better metric). With n = 1 or identical results the
interval collapses to the observed difference.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

DEFAULT_SEED = 20240229
DEFAULT_RESAMPLES = 4000
MIN_CASES = 5


def mean(xs: Sequence[float]) -> float:
    return float(sum(xs) / len(xs)) if xs else math.nan


def stdev(xs: Sequence[float]) -> float:
    """Sample standard deviation (n - 1); 0 for fewer than two values."""
    if len(xs) < 2:
        return 0.0
    m = mean(xs)
    return math.sqrt(sum((x - m) ** 2 for x in xs) / (len(xs) - 1))


@dataclass(frozen=True)
class PairedResult:
    n: int
    mean_a: float
    mean_b: float
    delta: float
    ci_low: float
    ci_high: float
    confidence: float
    p_value: float  # two-sided, from the bootstrap distribution (approximate)


def paired_bootstrap(
    a: Sequence[float],
    b: Sequence[float],
    *,
    confidence: float = 0.95,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
) -> PairedResult:
    """Confidence interval of mean(b - a) over paired observations."""
    if len(a) != len(b):
        raise ValueError(f"paired samples differ in length: {len(a)} != {len(b)}")
    if not a:
        raise ValueError("no paired observations")
    xa, xb = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    d = xb - xa
    delta = float(d.mean())
    if len(d) == 1:  # one case says nothing about spread: the interval spans 0
        return PairedResult(
            1, float(xa[0]), float(xb[0]), delta, min(delta, 0.0), max(delta, 0.0), confidence, 1.0
        )
    if np.all(d == d[0]):
        return PairedResult(
            len(d),
            float(xa.mean()),
            float(xb.mean()),
            delta,
            delta,
            delta,
            confidence,
            1.0 if delta == 0 else 0.0,
        )
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(d), size=(resamples, len(d)))
    means = d[idx].mean(axis=1)
    alpha = 1.0 - confidence
    low, high = np.quantile(means, [alpha / 2, 1 - alpha / 2])
    p = 2 * min(float((means <= 0).mean()), float((means >= 0).mean()))
    return PairedResult(
        len(d),
        float(xa.mean()),
        float(xb.mean()),
        delta,
        float(low),
        float(high),
        confidence,
        min(1.0, p),
    )


def verdict(result: PairedResult, higher_is_better: bool = True) -> str:
    """'better' / 'worse' when the interval excludes zero, else 'no significant difference'.

    Below MIN_CASES paired cases the bootstrap interval is too optimistic to trust (every
    resample looks alike), so the verdict is 'too few cases' instead.
    """
    if result.n < MIN_CASES:
        return "too few cases"
    if result.ci_low > 0:
        return "better" if higher_is_better else "worse"
    if result.ci_high < 0:
        return "worse" if higher_is_better else "better"
    return "no significant difference"
