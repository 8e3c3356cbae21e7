"""`copilot ingest` then `copilot stats --json` on every export fixture, as an operator runs them:
the right message count, members and time of the last message."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from copilot.cli import app

EXPORTS = Path(__file__).parent / "fixtures" / "exports"
MEMOTRACE = EXPORTS / "memotrace" / "城市徒步群"
PYWXDUMP = EXPORTS / "pywxdump"
ROOM = "38104277316@chatroom"

# (fixture, extra ingest options, messages, members, last message). Members are the people
# who posted or joined (notices included); counts leave out notices and bots, and include
# media-only posts (a picture or a sticker is activity, though never knowledge or a question).
CASES = [
    (EXPORTS / "qq" / "周末读书会.txt", [], 8, 6, "2024-03-02T12:30:00+08:00"),
    (EXPORTS / "qq" / "全部消息记录.txt", [], 5, 3, "2024-04-06T07:25:30+08:00"),
    (
        EXPORTS / "chatlog" / "运营交流群.txt",
        ["--year", "2024"],
        10,
        4,
        "2024-03-02T09:30:00+08:00",
    ),
    (EXPORTS / "chatlog" / "chatlog_messages.json", [], 7, 4, "2024-03-02T09:21:05+08:00"),
    (MEMOTRACE / "城市徒步群.txt", [], 10, 9, "2024-04-06T12:31:00+08:00"),
    (MEMOTRACE / "城市徒步群_utf8.csv", [], 9, 4, "2024-04-06T18:00:05+08:00"),
    (MEMOTRACE / "城市徒步群.html", [], 10, 4, "2024-04-06T18:00:05+08:00"),
    (PYWXDUMP / "csv" / ROOM / f"{ROOM}_0_5000.csv", [], 8, 4, "2024-05-06T20:13:45+08:00"),
    (PYWXDUMP / "json" / ROOM / f"{ROOM}_0_11.json", [], 8, 4, "2024-05-06T20:13:45+08:00"),
    (EXPORTS / "wecom_archive" / "chatdata.jsonl", [], 6, 4, "2024-05-06T20:11:00+08:00"),
    (
        EXPORTS / "qq_chat_exporter" / "group_周末读书会_20240302.json",
        [],
        6,
        3,
        "2024-03-02T09:00:00+08:00",  # a picture is the newest post
    ),
    # GitHub and RSS post as apps (`bot_message`): activity of no member
    (EXPORTS / "slack_export", [], 7, 3, "2026-11-04T21:46:40.000100+08:00"),
    (EXPORTS / "discord" / "general.json", [], 5, 3, "2026-11-03T20:10:00+08:00"),
    (EXPORTS / "telegram" / "result.json", [], 8, 5, "2026-11-03T20:08:45+08:00"),
    (EXPORTS / "wechat" / "社群运营交流群.txt", [], 8, 4, "2026-11-04T09:15:30+08:00"),
]


@pytest.fixture(scope="module")
def cli(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    data = tmp_path_factory.mktemp("stats-data")
    runner = CliRunner()

    def invoke(*args: str):  # type: ignore[no-untyped-def]
        return runner.invoke(app, list(args), env={"COPILOT_DATA_DIR": str(data)})

    return invoke


@pytest.mark.parametrize(
    ("path", "options", "messages", "members", "last"),
    CASES,
    ids=[f"{c[0].parent.name}/{c[0].name}" for c in CASES],
)
def test_stats_of_each_export(  # type: ignore[no-untyped-def]
    cli, path: Path, options: list[str], messages: int, members: int, last: str
) -> None:
    community = f"c{[c[0] for c in CASES].index(path)}"
    ingested = cli("ingest", str(path), "--community", community, *options, "--json")
    assert ingested.exit_code == 0, ingested.output
    assert [f["outcome"] for f in json.loads(ingested.output)["files"]] == ["added"]
    result = cli("stats", "--community", community, "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["total_messages"] == messages
    assert report["members_total"] == members
    assert datetime.fromisoformat(report["last_message_at"]) == datetime.fromisoformat(last)
    # The window ends at the newest message, not at a later notice or at "now".
    assert datetime.fromisoformat(report["period_end"]) == datetime.fromisoformat(last)


def test_ingest_without_the_year_a_chatlog_export_needs(cli) -> None:  # type: ignore[no-untyped-def]
    path = EXPORTS / "chatlog" / "运营交流群.txt"
    result = cli("ingest", str(path), "--community", "noyear")
    assert result.exit_code == 1
    assert "the dates have no year" in result.output and "--year YYYY" in result.output
    stats = json.loads(cli("stats", "--community", "noyear", "--json").output)
    assert stats["total_messages"] == 0  # nothing half-written


def test_ingest_refuses_an_unknown_time_zone(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli(
        "ingest", str(EXPORTS / "qq" / "周末读书会.txt"), "-c", "tz", "--tz", "Mars/Olympus"
    )
    assert result.exit_code == 2
    assert "unknown time zone 'Mars/Olympus'" in result.output
