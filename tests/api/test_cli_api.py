"""`copilot keys ...` and `copilot serve`, as an operator would run them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
from typer.testing import CliRunner

from copilot.cli import app
from tests.api.test_openai_client import free_port

runner = CliRunner()
COPILOT = str(Path(sys.executable).parent / "copilot")


def test_keys_create_list_revoke(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("COPILOT_DATA_DIR", str(tmp_path / "data"))
    created = runner.invoke(
        app,
        ["keys", "create", "--community", "club", "--role", "operator", "--name", "Lin's laptop"],
    )
    assert created.exit_code == 0, created.output
    key = created.output.strip().splitlines()[-1]
    assert key.startswith("cc_") and len(key) > 40
    listed = runner.invoke(app, ["keys", "list", "--community", "club", "--json"])
    assert key not in listed.output
    [info] = json.loads(listed.output)
    assert info["role"] == "operator" and info["name"] == "Lin's laptop"
    assert runner.invoke(app, ["keys", "revoke", info["id"]]).exit_code == 0
    assert json.loads(runner.invoke(app, ["keys", "list", "--json"]).output) == []
    revoked = json.loads(runner.invoke(app, ["keys", "list", "--all", "--json"]).output)
    assert revoked[0]["revoked_at"] is not None
    assert "operator" in runner.invoke(app, ["keys", "list", "--all"]).output
    assert runner.invoke(app, ["keys", "revoke", "key_nope"]).exit_code == 2


def test_keys_create_refuses_bad_input(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("COPILOT_DATA_DIR", str(tmp_path / "data"))
    bad_role = runner.invoke(app, ["keys", "create", "--community", "club", "--role", "boss"])
    assert bad_role.exit_code == 2 and "unknown role 'boss'" in bad_role.output
    bad_id = runner.invoke(app, ["keys", "create", "--community", "../x"])
    assert bad_id.exit_code == 2 and "invalid community id" in bad_id.output


def test_serve_answers_over_http_and_logs_json_without_secrets(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "COPILOT_DATA_DIR": str(tmp_path / "data"),
        "COPILOT_LLM_PROVIDER": "offline",
    }
    env.pop("COPILOT_DATABASE_URL", None)
    key = (
        subprocess.run(
            [COPILOT, "keys", "create", "-c", "club", "--role", "operator"],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    port = free_port()
    server = subprocess.Popen(
        [COPILOT, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline and server.poll() is None, "server did not start"
            time.sleep(0.2)
        headers = {"Authorization": f"Bearer {key}", "X-Request-ID": "cli-test-1"}
        rules = ("rules.md", b"# Rules\n\nQuiet hours are 23:00 to 07:00.", "text/markdown")
        upload = httpx.post(
            f"{base}/v1/communities/club/documents",
            headers=headers,
            files={"file": rules},
            timeout=60,
        )
        assert upload.status_code == 201, upload.text
        answer = httpx.post(
            f"{base}/v1/communities/club/ask",
            headers=headers,
            json={"question": "When are quiet hours?"},
            timeout=60,
        ).json()
        assert "23:00" in answer["answer"]
    finally:
        server.terminate()
        _, stderr = server.communicate(timeout=30)
    lines = [json.loads(line) for line in stderr.splitlines() if line.startswith("{")]
    access = [e for e in lines if e.get("request_id") == "cli-test-1"]
    assert access and all(e["logger"] == "copilot.api" for e in access)
    assert key not in stderr
