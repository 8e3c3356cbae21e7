"""`copilot routes` and `copilot reviews` on a real data dir; approve posts to the fake API."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from connectors.base import InboundMessage
from connectors.tables import add_review
from copilot.cli import app
from copilot.store.db import Database
from tests.connectors.fake_platform import FakePlatform
from tests.connectors_e2e.conftest import platform_env
from tests.connectors_e2e.events import posted_text, replies


def test_routes_and_review_approval(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_platform: FakePlatform
) -> None:
    monkeypatch.setenv("COPILOT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    platform_env(monkeypatch, fake_platform.url)
    run = CliRunner().invoke
    ok = run(
        app,
        [
            "routes",
            "add",
            "--platform",
            "slack",
            "--chat",
            "C9",
            "-c",
            "readers",
            "--mode",
            "review",
            "--admins",
            "U1,U2",
            "--operators",
            "UOP",
            "--capture",
        ],
    )
    assert ok.exit_code == 0, ok.output
    (route,) = json.loads(run(app, ["routes", "list", "--json"]).output)
    assert route["admins"] == ["U1", "U2"] and route["mode"] == "review" and route["capture"]
    assert (
        run(
            app,
            [
                "routes",
                "add",
                "--platform",
                "slack",
                "--chat",
                "C9",
                "-c",
                "readers",
                "--mode",
                "loud",
            ],
        ).exit_code
        == 2
    )

    db = Database(f"sqlite:///{tmp_path / 'data' / 'copilot.db'}")
    msg = InboundMessage(
        platform="slack",
        event_id="Ev9",
        chat_id="C9",
        chat_type="group",
        message_id="1.2",
        user_id="U5",
        text="会费多少？",
        mentioned=True,
        reply_context={"thread_ts": "1.2"},
    )
    rid = add_review(db, "readers", msg, "年费 99 元。[1]", [{"source": "faq.md"}])
    db.close()
    listed = run(app, ["reviews", "list", "-c", "readers"])
    assert f"#{rid}" in listed.output and "会费多少" in listed.output
    approved = run(app, ["reviews", "approve", str(rid), "-c", "readers"])
    assert approved.exit_code == 0, approved.output
    (call,) = replies(fake_platform, "slack")
    assert posted_text(call) == "年费 99 元。[1]\n\n来源: [1] faq.md"
    assert call.json["thread_ts"] == "1.2"
    assert run(app, ["reviews", "approve", str(rid), "-c", "readers"]).exit_code == 2
    assert run(app, ["routes", "remove", "--platform", "slack", "--chat", "C9"]).exit_code == 0
    assert run(app, ["routes", "remove", "--platform", "slack", "--chat", "C9"]).exit_code == 2
