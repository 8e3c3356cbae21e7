"""`copilot eval --export-queue`: a community's answered questions and rated answers become a
suite that loads and runs, expecting the operators' facts (or a handoff after a 👎)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from copilot.cli import app
from evals.cli import run_eval
from evals.results import RunReport
from evals.schema import load_suites
from evals.traffic import expected_facts
from tests.test_question_loop import PARKING, PARKING_AGAIN, PARKING_ANSWER, PLAYBOOK


def test_expected_facts_are_the_answers_numbers_or_its_longest_words() -> None:
    assert expected_facts("年费 99 元，缴费后 7 天内可以退款") == ["99 元", "7 天"]
    assert expected_facts("Meet at the north gate") == ["north", "gate", "meet"]


@pytest.fixture
def traffic(copilot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    doc = tmp_path / "club.md"
    doc.write_text(PLAYBOOK, encoding="utf-8")
    copilot.ingest_file("club", doc, source="club.md")
    copilot.ask("club", PARKING)
    copilot.ask("club", PARKING_AGAIN)
    item = copilot.questions("club")[0]
    copilot.answer_question_item("club", item.id, PARKING_ANSWER)
    liked = copilot.ask("club", "不能来怎么请假？")
    copilot.feedback("club", liked.answer_id, "up")
    disliked = copilot.ask("club", "在哪里集合？")
    copilot.feedback("club", disliked.answer_id, "down")
    monkeypatch.setenv("COPILOT_DATA_DIR", str(copilot.settings.data_dir))
    return doc


def test_export_writes_a_suite_that_loads_and_runs(traffic: Path, tmp_path: Path, embedder) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "suites" / "traffic.yaml"
    result = CliRunner().invoke(
        app, ["eval", "--export-queue", "club", "--out", str(out), "--knowledge", str(traffic)]
    )
    assert result.exit_code == 0, result.output
    assert "wrote 4 case(s)" in result.output
    cases = {c["question"]: c for c in yaml.safe_load(out.read_text("utf-8"))["cases"]}
    assert set(cases) == {PARKING, PARKING_AGAIN, "不能来怎么请假？", "在哪里集合？"}
    assert cases[PARKING]["handoff"] is False and cases[PARKING]["reference"] == PARKING_ANSWER
    assert cases[PARKING_AGAIN]["tags"] == ["traffic", "answered"]
    assert cases["不能来怎么请假？"]["handoff"] is False
    assert cases["在哪里集合？"] == {
        "id": cases["在哪里集合？"]["id"],
        "question": "在哪里集合？",
        "language": "zh",
        "handoff": True,
        "tags": ["traffic", "rated-down"],
    }
    assert PARKING_ANSWER in out.with_suffix(".answers.md").read_text("utf-8")
    [suite] = load_suites([out])
    assert len(suite.cases) == 4 and len(suite.knowledge) == 2

    # It runs on a fresh copilot: the operators' answer is found in the exported playbook.
    json_out = tmp_path / "run.json"
    code = run_eval(
        [out], json_out=json_out, data_dir=tmp_path / "eval", embedder=embedder, progress=False
    )
    assert code == 0
    runs = {r.case_id: r for r in RunReport.model_validate_json(json_out.read_text("utf-8")).runs}
    answered = runs[cases[PARKING]["id"]]
    assert answered.passed and not answered.output["handoff"], answered.text
    assert PARKING_ANSWER[:6] in answered.output["answer"]


def test_export_says_when_there_is_nothing_to_export(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COPILOT_DATA_DIR", str(tmp_path / "data"))
    result = CliRunner().invoke(
        app, ["eval", "--export-queue", "club", "--out", str(tmp_path / "t.yaml")]
    )
    assert result.exit_code == 2 and "no answered questions or rated answers yet" in result.output
    missing = CliRunner().invoke(app, ["eval"])
    assert missing.exit_code == 2 and "give suite files" in missing.output
