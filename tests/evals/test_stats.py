"""Mean, spread and the paired bootstrap used to compare variants."""

from __future__ import annotations

import pytest

from evals.stats import mean, paired_bootstrap, stdev, verdict


def test_mean_and_sample_stdev() -> None:
    assert mean([1, 2, 3, 4]) == 2.5
    assert stdev([1, 2, 3, 4]) == pytest.approx(1.290994, abs=1e-6)
    assert stdev([5]) == 0.0


def test_consistent_regression_is_worse_with_confidence() -> None:
    a = [1, 1, 1, 1, 1, 1, 1, 1, 0, 1]
    b = [0, 1, 0, 1, 0, 1, 0, 1, 0, 0]
    r = paired_bootstrap(a, b)
    assert r.delta == pytest.approx(-0.5)
    assert r.ci_high < 0 and r.ci_low >= -1
    assert verdict(r) == "worse"
    assert verdict(r, higher_is_better=False) == "better"  # e.g. latency going down


def test_bootstrap_is_reproducible_with_its_fixed_seed() -> None:
    a = [0.2, 0.5, 0.9, 0.4, 0.7, 0.1, 0.3]
    b = [0.3, 0.4, 0.95, 0.5, 0.6, 0.2, 0.35]
    assert paired_bootstrap(a, b) == paired_bootstrap(a, b)
    assert paired_bootstrap(a, b, seed=1) != paired_bootstrap(a, b, seed=2)


def test_noise_is_not_called_a_difference() -> None:
    a = [1, 0, 1, 0, 1, 0, 1, 0]
    b = [0, 1, 0, 1, 1, 0, 1, 0]  # two cases swap: no net change
    r = paired_bootstrap(a, b)
    assert r.ci_low < 0 < r.ci_high
    assert verdict(r) == "no significant difference"
    same = paired_bootstrap([1, 0, 1, 1, 0], [1, 0, 1, 1, 0])
    assert (same.ci_low, same.ci_high) == (0, 0) and verdict(same) == "no significant difference"


def test_few_cases_give_no_verdict() -> None:
    r = paired_bootstrap([1, 1, 1], [0, 0, 0])
    assert verdict(r) == "too few cases"
    one = paired_bootstrap([1], [0])
    assert one.ci_low <= 0 <= one.ci_high


def test_paired_samples_must_align() -> None:
    with pytest.raises(ValueError, match="differ in length"):
        paired_bootstrap([1, 2], [1])
