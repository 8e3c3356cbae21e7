"""`copilot questions` as an operator runs it: the contract's JSON, answering, dismissing,
and clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from copilot.cli import app
from tests.test_question_loop import PARKING, PARKING_AGAIN, PARKING_ANSWER, PLAYBOOK


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("COPILOT_DATA_DIR", str(tmp_path / "data"))
    runner = CliRunner()
    doc = tmp_path / "club.md"
    doc.write_text(PLAYBOOK, encoding="utf-8")
    assert runner.invoke(app, ["ingest", str(doc), "--community", "club"]).exit_code == 0

    def invoke(*args: str):  # type: ignore[no-untyped-def]
        return runner.invoke(app, list(args))

    return invoke


def test_list_answer_and_dismiss_from_the_command_line(run) -> None:  # type: ignore[no-untyped-def]
    for question in (PARKING, PARKING_AGAIN, "读书会可以带小朋友一起来吗？"):
        assert json.loads(run("ask", question, "-c", "club", "--json").output)["handoff"]
    listed = run("questions", "list", "--community", "club", "--json")
    assert listed.exit_code == 0, listed.output
    items = json.loads(listed.output)
    assert [i["count"] for i in items] == [2, 1]
    parking, kids = items
    assert {"id", "question", "count", "status", "first_asked", "last_asked"} <= set(parking)
    assert parking["status"] == "open" and parking["question"] == PARKING

    answered = run(
        "questions", "answer", parking["id"], "--community", "club", "--text", PARKING_ANSWER
    )
    assert answered.exit_code == 0 and "answered" in answered.output, answered.output
    dismissed = run("questions", "dismiss", kids["id"], "--community", "club")
    assert dismissed.exit_code == 0 and "dismissed" in dismissed.output

    by_status = {
        s: [
            i["id"]
            for i in json.loads(
                run("questions", "list", "-c", "club", "--status", s, "--json").output
            )
        ]
        for s in ("open", "answered", "dismissed")
    }
    assert by_status == {"open": [], "answered": [parking["id"]], "dismissed": [kids["id"]]}
    later = json.loads(run("ask", PARKING_AGAIN, "-c", "club", "--json").output)
    assert not later["handoff"] and later["answer"] == PARKING_ANSWER

    shown = run("questions", "list", "-c", "club")
    assert "[answered]" in shown.output and PARKING in shown.output


def test_unknown_ids_and_statuses_are_clear_errors(run) -> None:  # type: ignore[no-untyped-def]
    bad_status = run("questions", "list", "-c", "club", "--status", "closed")
    assert bad_status.exit_code == 2 and "unknown status 'closed'" in bad_status.output
    missing = run("questions", "answer", "q_123", "-c", "club", "--text", "hi")
    assert missing.exit_code == 2 and "no question 'q_123' in community 'club'" in missing.output
    empty = run("questions", "list", "-c", "club", "--json")
    assert json.loads(empty.output) == []


def test_show_offers_the_knowledges_draft_for_an_open_item(run, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("COPILOT_HANDOFF_THRESHOLD", "0.999")  # even the fee question is handed off
    assert json.loads(run("ask", "读书会一年要交多少钱？", "-c", "club", "--json").output)[
        "handoff"
    ]
    [item] = json.loads(run("questions", "list", "-c", "club", "--json").output)
    shown = run("questions", "show", item["id"], "-c", "club")
    assert shown.exit_code == 0, shown.output
    assert "suggested from the knowledge" in shown.output and "club.md" in shown.output
    assert "一百元" in shown.output
