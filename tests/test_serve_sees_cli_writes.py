"""A running `copilot serve` sees what a `copilot ingest` in another process wrote.

The embedded Chroma client keeps each collection's HNSW index in memory and never rereads it,
so the server answered from the knowledge it had when it first searched. Every index write now
bumps the community's generation in SQL; a search that finds it moved reloads the vectors.
Real processes on one data dir: a server on 127.0.0.1 and CLI ingests next to it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.api.test_openai_client import free_port

COPILOT = str(Path(sys.executable).parent / "copilot")


def _env(data: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COPILOT_")}
    return env | {"COPILOT_DATA_DIR": str(data), "COPILOT_LLM_PROVIDER": "offline"}


def _copilot(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([COPILOT, *args], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, dict[str, str], dict[str, str]]]:
    env = _env(tmp_path / "data")
    key = _copilot(env, "keys", "create", "-c", "club", "--role", "operator").split()[-1]
    port = free_port()
    process = subprocess.Popen(
        [COPILOT, "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{base}/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline and process.poll() is None, "server did not start"
            time.sleep(0.2)
        yield base, {"Authorization": f"Bearer {key}"}, env
    finally:
        process.terminate()
        process.wait(timeout=30)


def _ask(base: str, headers: dict[str, str], question: str) -> dict:
    reply = httpx.post(
        f"{base}/v1/communities/club/ask", headers=headers, json={"question": question}, timeout=60
    )
    assert reply.status_code == 200, reply.text
    return reply.json()


def test_a_running_server_answers_from_what_a_cli_ingest_adds_and_replaces(
    server: tuple[str, dict[str, str], dict[str, str]], tmp_path: Path
) -> None:
    base, headers, env = server
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "rules.md").write_text(
        "# Rules\n\nQuiet hours are from 23:00 to 07:00 every night.\n", encoding="utf-8"
    )
    _copilot(env, "ingest", str(docs / "rules.md"), "-c", "club")
    # The server searches once, so its vector index is loaded before the next ingest.
    assert "23:00" in _ask(base, headers, "When are the quiet hours?")["answer"]

    lounge = docs / "lounge.md"
    lounge.write_text(
        "# Lounge\n\nThe lounge wifi password is zebra-4242. Ask the desk for a guest pass.\n",
        encoding="utf-8",
    )
    _copilot(env, "ingest", str(lounge), "-c", "club")
    answer = _ask(base, headers, "What is the wifi password in the lounge?")
    assert "zebra-4242" in answer["answer"]
    assert str(lounge) in {c["source"] for c in answer["citations"]}

    lounge.write_text(
        "# Lounge\n\nThe lounge wifi password is okapi-7777. Ask the desk for a guest pass.\n",
        encoding="utf-8",
    )
    assert "1 updated" in _copilot(env, "ingest", str(lounge), "-c", "club")
    answer = _ask(base, headers, "What is the wifi password in the lounge?")
    assert "okapi-7777" in answer["answer"] and "zebra-4242" not in answer["answer"]
    listed = httpx.get(f"{base}/v1/communities/club/documents", headers=headers).json()
    assert sorted(d["source"] for d in listed) == sorted([str(docs / "rules.md"), str(lounge)])
