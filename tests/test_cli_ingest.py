"""`copilot ingest` and `copilot ask` as a user runs them: messages, exit codes, idempotence."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from copilot.cli import app
from tests.conftest import KNOWLEDGE


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("COPILOT_DATA_DIR", str(tmp_path / "data"))
    runner = CliRunner()

    def invoke(*args: str):  # type: ignore[no-untyped-def]
        return runner.invoke(app, list(args))

    return invoke


def test_ingest_then_reingest_changes_nothing(run) -> None:  # type: ignore[no-untyped-def]
    playbooks = str(KNOWLEDGE / "playbooks" / "zh")
    first = run("ingest", playbooks, "--community", "club", "--json")
    assert first.exit_code == 0, first.output
    added = json.loads(first.output)
    assert {f["outcome"] for f in added["files"]} == {"added"}
    second = json.loads(run("ingest", playbooks, "--community", "club", "--json").output)
    assert {f["outcome"] for f in second["files"]} == {"unchanged"}
    assert [f["chunks"] for f in second["files"]] == [f["chunks"] for f in added["files"]]


def test_bad_files_are_reported_by_name_and_the_rest_is_ingested(
    run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    # The answer below shows what was ingested; the handoff gate is not what is tested here.
    monkeypatch.setenv("COPILOT_HANDOFF_THRESHOLD", "0")
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "good.md").write_text("# 群规\n群内禁止发广告，违者移出群聊。", encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "logo.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    (folder / "broken.json").write_text('{"messages": [', encoding="utf-8")
    (folder / "notes.xyz").write_text("hello", encoding="utf-8")
    result = run(
        "ingest",
        str(folder / "good.md"),
        str(folder / "empty.txt"),
        str(folder / "logo.md"),
        str(folder / "broken.json"),
        str(folder / "notes.xyz"),
        "--community",
        "club",
    )
    assert result.exit_code == 0
    assert "1 added" in result.output and "4 skipped" in result.output
    assert "empty.txt: the file is empty" in result.output
    assert "logo.md" in result.output and "binary" in result.output
    assert "broken.json" in result.output
    assert "notes.xyz: unsupported format '.xyz'" in result.output
    answer = json.loads(run("ask", "群里可以发广告吗？", "--community", "club", "--json").output)
    assert answer["citations"][0]["source"].endswith("good.md")


def test_a_huge_file_is_refused_before_it_is_read(run, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("COPILOT_MAX_FILE_MB", "0.01")
    big = tmp_path / "huge.txt"
    big.write_text("读书" * 20_000, encoding="utf-8")
    result = run("ingest", str(big), "--community", "club")
    assert result.exit_code == 1  # nothing could be ingested
    assert "huge.txt" in result.output and "over the" in result.output


def test_missing_paths_and_bad_options_get_clear_errors(run) -> None:  # type: ignore[no-untyped-def]
    result = run("ingest", "no/such/folder", "--community", "club")
    assert result.exit_code == 2 and "no such file or folder: no/such/folder" in result.output
    result = run("ingest", str(KNOWLEDGE), "--community", "club", "--kind", "pdf")
    assert result.exit_code == 2 and "--kind must be 'playbook' or 'chat'" in result.output
    result = run("ask", "hi", "--community", "bad id!")
    assert result.exit_code == 2 and "invalid community id" in result.output


def test_ask_json_matches_the_contract(run) -> None:  # type: ignore[no-untyped-def]
    run("ingest", str(KNOWLEDGE / "playbooks" / "en"), "--community", "club")
    data = json.loads(
        run("ask", "When is the weekly sharing session?", "--community", "club", "--json").output
    )
    assert set(data) >= {"answer", "citations", "confidence", "handoff", "language"}
    assert data["handoff"] is False and data["language"] == "en"
    assert {"source", "chunk_id", "score", "snippet"} <= set(data["citations"][0])
    assert "Wednesday" in data["answer"]


def test_chat_export_is_redacted_before_it_is_stored(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run(
        "ingest",
        str(KNOWLEDGE / "samples" / "chat" / "morning_readers.jsonl"),
        "--community",
        "club",
    )
    import sqlite3

    db = sqlite3.connect(tmp_path / "data" / "copilot.db")
    texts = " ".join(t for (t,) in db.execute("select text from messages"))
    chunks = " ".join(t for (t,) in db.execute("select text from chunks"))
    db.close()
    assert "13812345678" not in texts + chunks and "[PHONE]" in texts
    assert "laochen.reads@example.com" not in texts + chunks
