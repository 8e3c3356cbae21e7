"""Comparing two saved runs (`python -m evals.compare_runs A.json B.json`): B's report with A
as its baseline, the comparison the console's "compare two runs" opens."""

from __future__ import annotations

import json
from pathlib import Path

from rich.console import Console

from evals.cli import run_eval
from evals.compare_runs import main
from tests.evals.conftest import HashEmbedder
from tests.evals.fakes import FakeTarget


def saved_run(suites: list[Path], tmp_path: Path, prompt: str, name: str) -> Path:
    out = tmp_path / f"{name}.json"
    code = run_eval(
        suites,
        [f"prompt={prompt}"],
        json_out=out,
        target=FakeTarget(),
        embedder=HashEmbedder(),
        judge=None,
        cache_dir=tmp_path / "cache",
        console=Console(record=True),
        progress=False,
    )
    assert code == 0
    return out


def test_a_worse_run_reads_worse_than_its_baseline(suites: list[Path], tmp_path: Path) -> None:
    good = saved_run(suites, tmp_path, "answer@v1", "good")
    bad = saved_run(suites, tmp_path, "answer@bad", "bad")
    html, out = tmp_path / "compare.html", tmp_path / "compare.json"
    assert main([str(good), str(bad), "--report", str(html), "--json", str(out)]) == 0
    baseline = json.loads(out.read_text("utf-8"))["baseline"]
    assert baseline["path"] == str(good)
    passes = [c for c in baseline["comparisons"] if c["metric"] == "pass"]
    assert passes and all(c["delta"] < 0 for c in passes) and passes[0]["verdict"] == "worse"
    assert any(c["direction"] == "worse" for c in baseline["changes"])
    assert "Against baseline" in html.read_text("utf-8")


def test_a_file_that_is_not_a_run_is_a_clear_error(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    junk = tmp_path / "junk.json"
    junk.write_text("{}", encoding="utf-8")
    assert main([str(junk), str(junk)]) == 2
    assert "not a run written by --json" in capsys.readouterr().err
    assert main([str(tmp_path / "missing.json"), str(junk)]) == 2
