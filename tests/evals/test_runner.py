"""The runner: matrix, repeats, concurrency, cache replay and per-case differences."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.console import Console

from evals.cache import ResponseCache
from evals.matrix import MatrixError, compare_axis, expand_matrix
from evals.results import RunReport
from evals.runner import Runner, RunOptions
from evals.schema import load_suites
from evals.scoring import Scorer
from tests.evals.conftest import HashEmbedder
from tests.evals.fakes import FakeTarget


def run(
    suites: list[Path],
    target: FakeTarget,
    matrix: list[str] | None = None,
    *,
    repeat: int = 1,
    cache: ResponseCache | None = None,
    cache_mode: str = "auto",
    concurrency: int = 4,
) -> RunReport:
    from evals.metrics.similarity import Similarity

    options = RunOptions(
        repeat=repeat,
        concurrency=concurrency,
        cache=cache,
        cache_mode=cache_mode,
        progress=False,
        console=Console(quiet=True),
    )
    scorer = Scorer(similarity=Similarity(HashEmbedder()))
    return Runner(target, scorer, options).run(load_suites(suites), expand_matrix(matrix))


def test_matrix_expands_as_a_product_with_readable_labels() -> None:
    variants = expand_matrix(
        ["prompt=answer@v1,answer@v2+draft@v2", "provider=offline,openai", "top_k=3"]
    )
    assert [v.id for v in variants] == ["A", "B", "C", "D"]
    assert variants[0].label == "prompt=answer@v1 · provider=offline · top_k=3"
    assert variants[2].prompts == {"answer": "answer@v2", "draft": "draft@v2"}
    assert variants[1].settings == {"llm_provider": "openai", "top_k": 3}
    assert variants[2].prompt_for("replay") == "answer@v2"
    assert expand_matrix([])[0].label == "default"
    assert compare_axis("answer@v1", "answer@v2") == "prompt=answer@v1,answer@v2"
    assert compare_axis("top_k=3", "top_k=5") == "top_k=3,5"
    with pytest.raises(MatrixError, match="--compare"):
        compare_axis("top_k=3", "model=x")
    for bad, message in [
        ("prompt", "AXIS=V1"),
        ("prompt=answer", "name@version"),
        ("top_k=3,3", "duplicate"),
    ]:
        with pytest.raises(MatrixError, match=message):
            expand_matrix([bad])
    with pytest.raises(MatrixError, match="secrets never go on the command line"):
        expand_matrix(["llm_api_key=sk-123"])
    with pytest.raises(MatrixError, match="axis given twice"):
        expand_matrix(["top_k=3", "top_k=5"])


def test_every_variant_case_and_repeat_runs_once(suites: list[Path]) -> None:
    target = FakeTarget()
    report = run(suites, target, ["prompt=answer@v1,answer@v2"], repeat=3)
    n_cases = len(report.cases)
    assert n_cases == 16 and len(report.runs) == 2 * n_cases * 3 == target.calls
    assert {r.repeat for r in report.runs} == {0, 1, 2}
    assert report.summary["A"]["pass"].mean == 1.0
    assert report.summary["A"]["pass"].spread == 0.0  # the fake is deterministic: no noise
    assert report.summary["A"]["hit@1"].n == 8  # only cases with labelled sources
    assert report.suite_summary["mini_ask"]["A"]["recall@3"].mean == 1.0
    assert sorted(set(target.prepared)) == [
        (v, s)
        for v in "AB"
        for s in sorted({"mini_ask", "mini_draft", "mini_replay", "mini_suggest", "mini_summarize"})
    ]


def test_two_prompt_versions_show_per_case_differences(suites: list[Path]) -> None:
    report = run(suites, FakeTarget(), ["prompt=answer@v1,answer@bad"])
    worse = {c.case for c in report.changes if c.direction == "worse"}
    assert "mini_ask/fee" in worse and "mini_ask/phone" not in worse
    fee = next(c for c in report.changes if c.case == "mini_ask/fee")
    assert any(f.startswith("cites-expected: passed→failed") for f in fee.flipped)
    assert fee.metric_deltas["hit@1"] == -1.0
    passes = next(c for c in report.comparisons if c.metric == "pass")
    assert passes.verdict == "worse" and passes.ci_high < 0 and passes.changed_cases == 8


def test_concurrency_does_not_change_results(suites: list[Path]) -> None:
    one = run(suites, FakeTarget(), ["top_k=1,5"], concurrency=1)
    many = run(suites, FakeTarget(), ["top_k=1,5"], concurrency=8)
    assert [(r.key, r.variant, r.metrics) for r in one.runs] == [
        (r.key, r.variant, r.metrics) for r in many.runs
    ]


def test_llm_outputs_are_cached_and_a_rerun_calls_only_what_changed(
    suites: list[Path], project: Path, tmp_path: Path
) -> None:
    cache = ResponseCache(tmp_path / "cache")
    first = FakeTarget()
    report = run(suites, first, ["provider=openai"], cache=cache)
    assert first.calls == len(report.cases)
    replay = FakeTarget()
    again = run(suites, replay, ["provider=openai"], cache=ResponseCache(tmp_path / "cache"))
    assert replay.calls == 0 and replay.prepared == []  # nothing ingested, nothing called
    assert all(r.cached for r in again.runs)
    assert [r.metrics["pass"] for r in again.runs] == [r.metrics["pass"] for r in report.runs]
    assert again.summary["A"]["tokens"].mean == 360  # usage recorded with the output
    # Edit one input and one expectation: only the edited input is called again.
    suite = project / "evals" / "suites" / "mini_ask.yaml"
    text = suite.read_text("utf-8").replace("question: 可以退款吗？", "question: 能退款吗？")
    text = text.replace('must_contain: ["22:30"]', 'must_contain: ["23:30"]')
    suite.write_text(text, "utf-8")
    edited = FakeTarget()
    third = run(suites, edited, ["provider=openai"], cache=ResponseCache(tmp_path / "cache"))
    assert [case for _, case in edited.seen] == ["refund"]
    quiet = next(r for r in third.runs if r.case_id == "quiet")
    assert quiet.cached and quiet.metrics["pass"] == 0.0  # re-scored, not re-run


def test_offline_outputs_are_not_cached_in_auto_mode(suites: list[Path], tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path / "cache")
    run(suites, FakeTarget(), cache=cache)
    assert cache.writes == 0
    run(suites, FakeTarget(), cache=cache, cache_mode="all")
    assert cache.writes == 16


def test_replay_mode_never_calls_the_target(suites: list[Path], tmp_path: Path) -> None:
    target = FakeTarget()
    report = run(
        suites,
        target,
        ["provider=openai"],
        cache=ResponseCache(tmp_path / "c"),
        cache_mode="replay",
    )
    assert target.calls == 0
    assert all(r.error and "replay" in r.error for r in report.runs)
    assert report.summary["A"]["error"].mean == 1.0


def test_a_failing_target_fails_its_cases_not_the_run(suites: list[Path]) -> None:
    class Flaky(FakeTarget):
        def run(self, variant, suite, case):  # type: ignore[no-untyped-def]
            if case.id == "fee":
                raise RuntimeError("LLM timed out")
            return super().run(variant, suite, case)

    report = run(suites, Flaky())
    fee = next(r for r in report.runs if r.case_id == "fee")
    assert fee.error == "RuntimeError: LLM timed out" and fee.metrics["pass"] == 0.0
    assert fee.assertions[0].name == "error"
    assert sum(r.passed for r in report.runs) == len(report.runs) - 1
