"""`copilot eval` as the core CLI mounts it: eval_command on a Typer app."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

import evals.cli
from evals.metrics.similarity import Similarity
from tests.evals.conftest import HashEmbedder
from tests.evals.fakes import FakeTarget


@pytest.fixture
def app(monkeypatch: pytest.MonkeyPatch) -> typer.Typer:
    monkeypatch.setattr(evals.cli, "CopilotTarget", lambda data_dir=None: FakeTarget())
    monkeypatch.setattr(evals.cli, "Similarity", lambda embedder=None: Similarity(HashEmbedder()))
    app = typer.Typer()
    app.command("eval")(evals.cli.eval_command)

    @app.command()
    def ask() -> None:  # another command, as in the real CLI
        pass

    return app


def test_copilot_eval_command_line(app: typer.Typer, suites: list[Path], tmp_path: Path) -> None:
    runner = CliRunner()
    args = [
        "eval",
        *map(str, suites),
        "--compare",
        "answer@v1",
        "answer@bad",
        "--report",
        str(tmp_path / "r.html"),
        "--junit",
        str(tmp_path / "j.xml"),
        "--json",
        str(tmp_path / "r.json"),
        "--max-regression",
        "pass=0.05",
        "--fail-under",
        "mini_ask:hit@1=0.5",
        "--repeat",
        "2",
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 1, result.output
    assert "Gate failed" in result.output
    assert all((tmp_path / name).is_file() for name in ("r.html", "j.xml", "r.json"))
    ok = runner.invoke(app, ["eval", *map(str, suites), "--matrix", "prompt=answer@v1"])
    assert ok.exit_code == 0, ok.output
    bad = runner.invoke(app, ["eval", str(tmp_path / "nope.yaml")])
    assert bad.exit_code == 2 and "suite file not found" in bad.output
