"""The CI gate, end to end through run_eval: floors, regressions, baselines, exit codes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from evals.cli import run_eval
from tests.evals.conftest import HashEmbedder
from tests.evals.fakes import FakeTarget


def evaluate(suites: list[Path], tmp_path: Path, *args: Any, **kw: Any) -> tuple[int, str]:
    console = Console(record=True, width=160)
    kw.setdefault("cache_dir", tmp_path / "cache")
    code = run_eval(
        suites,
        *args,
        target=kw.pop("target", FakeTarget()),
        embedder=HashEmbedder(),
        judge=None,
        console=console,
        progress=False,
        **kw,
    )
    return code, console.export_text()


def test_a_deliberately_worse_prompt_fails_the_gate(suites: list[Path], tmp_path: Path) -> None:
    code, out = evaluate(
        suites,
        tmp_path,
        ["prompt=answer@v1,answer@bad"],
        fail_under=["pass=0.9"],
        max_regression=["pass=0.05"],
    )
    assert code == 1
    assert "gate FAIL max-regression pass=0.05 [B]" in out
    assert "worse" in out and "Gate failed" in out
    assert "gate PASS fail-under pass=0.9 [A]" in out


def test_a_deliberately_worse_retrieval_setting_fails_the_gate(
    suites: list[Path], tmp_path: Path
) -> None:
    code, out = evaluate(suites, tmp_path, ["top_k=5,1"], max_regression=["mini_ask:mrr=0.1"])
    assert code == 1 and "gate FAIL max-regression mini_ask:mrr=0.1 [B]" in out


def test_compare_shorthand_gates_like_a_matrix(suites: list[Path], tmp_path: Path) -> None:
    code, out = evaluate(
        suites, tmp_path, compare=("answer@v1", "answer@bad"), max_regression=["pass=0.05"]
    )
    assert code == 1 and "B: prompt=answer@bad" in out


def test_the_same_variant_passes(suites: list[Path], tmp_path: Path) -> None:
    code, out = evaluate(
        suites,
        tmp_path,
        ["prompt=answer@v1,answer@v2"],
        fail_under=["pass_rate=0.95", "mini_ask:recall@3=0.9"],
        max_regression=["pass=0.0", "latency_ms=50"],
    )
    assert code == 0, out
    assert "Gate passed" in out


def test_regression_against_a_saved_baseline(suites: list[Path], tmp_path: Path) -> None:
    base = tmp_path / "base.json"
    code, _ = evaluate(suites, tmp_path, json_out=base)
    assert code == 0 and json.loads(base.read_text("utf-8"))["runs"]

    class Worse(FakeTarget):  # the same variant label, but the code got worse
        def run(self, variant, suite, case):  # type: ignore[no-untyped-def]
            return super().run(
                variant.model_copy(update={"prompts": {"answer": "answer@bad"}}), suite, case
            )

    code, out = evaluate(
        suites,
        tmp_path,
        baseline=base,
        max_regression=["pass=0.05"],
        target=Worse(),
        json_out=tmp_path / "now.json",
    )
    assert code == 1
    assert "Against baseline" in out and "worse mini_ask/fee" in out
    assert "contains:99 元|99元: passed→failed" in out  # which assertion, and why
    saved = json.loads((tmp_path / "now.json").read_text("utf-8"))
    assert saved["baseline"]["changes"] and saved["gate"][0]["passed"] is False


def test_unknown_metrics_and_bad_rules(suites: list[Path], tmp_path: Path) -> None:
    code, out = evaluate(suites, tmp_path, fail_under=["pas=0.5"])
    assert code == 1 and "metric 'pas' was not measured" in out
    code, out = evaluate(suites, tmp_path, max_regression=["pass=0.1"])
    assert code == 1 and "nothing to compare" in out
    for kw in (
        {"fail_under": ["pass"]},
        {"max_regression": ["pass=high"]},
        {"matrix": ["prompt"]},
        {"baseline": tmp_path / "missing.json"},
        {"repeat": 0},
        {"cache_mode": "sometimes"},
    ):
        code, out = evaluate(suites, tmp_path, **kw)
        assert code == 2 and "Error:" in out, kw


def test_an_unknown_setting_in_the_matrix_is_a_usage_error(
    suites: list[Path], tmp_path: Path
) -> None:
    code, out = evaluate(suites, tmp_path, ["bogus=1"])
    assert code == 2 and "unknown settings ['bogus']" in out


@pytest.mark.parametrize("bad", ["suite: [", "suite: s\nskill: ask\ncommunity: c\ncases: []\n"])
def test_a_bad_suite_file_is_a_usage_error(tmp_path: Path, bad: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(bad, encoding="utf-8")
    code, out = evaluate([path], tmp_path)
    assert code == 2 and "bad.yaml" in out
