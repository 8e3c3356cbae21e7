"""Server mode: the same ingest and ask against a real `chroma run` on 127.0.0.1."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from copilot.config import Settings
from copilot.knowledge.chunking import split_markdown
from copilot.service import Copilot
from tests.test_index import RULES


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    chroma = shutil.which("chroma", path=str(Path(sys.executable).parent))
    assert chroma, "the chromadb package installs the `chroma` command"
    port = _free_port()
    path = tmp_path_factory.mktemp("chroma-server")
    proc = subprocess.Popen(
        [chroma, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                if httpx.get(f"{url}/api/v2/heartbeat", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        else:
            pytest.fail("chroma run did not start within 30 s")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_ingest_and_ask_through_a_chroma_server(chroma_url: str, tmp_path: Path, embedder) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(
        data_dir=tmp_path, llm_provider="offline", chroma_url=chroma_url, _env_file=None
    )  # type: ignore[call-arg]
    cp = Copilot(settings, embedder=embedder, llm=None)
    pieces = split_markdown(RULES, max_tokens=200)
    assert cp.indexer.index("club", "rules.md", "playbook", pieces).outcome == "added"
    assert cp.indexer.index("club", "rules.md", "playbook", pieces).outcome == "unchanged"
    result = cp.ask("club", "读书分享会是每周几举行？")
    cp.close()
    assert not result.handoff and "每周三" in result.answer
    # The vectors live in the server, not in the data dir.
    assert not (tmp_path / "chroma").exists()
    collections = httpx.get(
        f"{chroma_url}/api/v2/tenants/default_tenant/databases/default_database/collections"
    ).json()
    assert any(c["name"].startswith("cc-club-") for c in collections)
