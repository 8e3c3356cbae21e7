"""`copilot connect` as an operator runs it: a real process that connects out to a fake
DingTalk Stream gateway on 127.0.0.1 and stops cleanly on Ctrl-C; a half-configured
outbound mode is refused with the names of what is missing."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from copilot.cli import app as cli
from tests.connectors.fake_dingtalk_stream import FakeDingtalkStream
from tests.connectors.fake_platform import FakePlatform

OUTBOUND_SWITCHES = (
    "SLACK_APP_TOKEN", "TELEGRAM_POLLING", "QQ_GATEWAY", "DINGTALK_STREAM",
    "FEISHU_LONG_CONNECTION", "DISCORD_GATEWAY",
)  # fmt: skip


async def test_ctrl_c_stops_copilot_connect_cleanly(
    tmp_path: Path, fake_platform: FakePlatform
) -> None:
    gateway = await FakeDingtalkStream("dingkey", "dingsecret").start(fake_platform)
    env = {k: v for k, v in os.environ.items() if not k.startswith("COPILOT_")}
    env |= {
        "COPILOT_DATA_DIR": str(tmp_path / "data"),
        "COPILOT_LLM_PROVIDER": "offline",
        "COPILOT_DINGTALK_STREAM": "true",
        "COPILOT_DINGTALK_APP_KEY": "dingkey",
        "COPILOT_DINGTALK_APP_SECRET": "dingsecret",
        "COPILOT_DINGTALK_API_URL": fake_platform.url,
        "COPILOT_DINGTALK_STREAM_URL": fake_platform.url,
    }
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-c", "from copilot.cli import app; app()", "connect",
        cwd=tmp_path, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    try:
        for _ in range(3000):  # start-up imports are slow on a busy machine
            if gateway.connections or proc.returncode is not None:
                break
            await asyncio.sleep(0.05)
        assert gateway.connections == 1, "copilot connect never reached the gateway"
        proc.send_signal(signal.SIGINT)
        output, _ = await asyncio.wait_for(proc.communicate(), 30)
    finally:
        if proc.returncode is None:
            proc.kill()
        await gateway.stop()
    assert proc.returncode == 0, output.decode()
    assert "stopped" in output.decode() and "Traceback" not in output.decode()
    assert gateway.opens[0]["clientId"] == "dingkey"


def test_a_half_configured_outbound_mode_names_what_is_missing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)  # no .env
    monkeypatch.setenv("COPILOT_DATA_DIR", str(tmp_path / "data"))
    for name in OUTBOUND_SWITCHES:
        monkeypatch.delenv(f"COPILOT_{name}", raising=False)
    monkeypatch.setenv("COPILOT_FEISHU_LONG_CONNECTION", "true")
    monkeypatch.setenv("COPILOT_FEISHU_APP_ID", "cli_x")
    monkeypatch.delenv("COPILOT_FEISHU_APP_SECRET", raising=False)
    result = CliRunner().invoke(cli, ["connect"])
    assert result.exit_code == 2
    assert "feishu outbound connection is partly configured" in result.output
    assert "COPILOT_FEISHU_APP_SECRET" in result.output
