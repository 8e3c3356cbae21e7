"""Shared fixtures: temp data dirs, one embedder per session, and no network but loopback."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from copilot.config import Settings
from copilot.embeddings.use import UseEmbedder
from tests.postgres import postgres  # noqa: F401 - a session fixture, started on demand

REPO = Path(__file__).resolve().parent.parent
KNOWLEDGE = REPO / "knowledge"

_real_connect = socket.socket.connect


def _guarded_connect(self: socket.socket, address, *args, **kwargs):  # type: ignore[no-untyped-def]
    if isinstance(address, tuple) and self.family in (socket.AF_INET, socket.AF_INET6):
        host = address[0]
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = host == "localhost"
        if not loopback:
            raise RuntimeError(f"tests must not reach the network (tried {host})")
    return _real_connect(self, address, *args, **kwargs)


@pytest.fixture(autouse=True, scope="session")
def no_network() -> Iterator[None]:
    socket.socket.connect = _guarded_connect  # type: ignore[method-assign]
    yield
    socket.socket.connect = _real_connect  # type: ignore[method-assign]


@pytest.fixture(scope="session")
def embedder() -> UseEmbedder:
    return UseEmbedder()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", llm_provider="offline", _env_file=None)  # type: ignore[call-arg]


@pytest.fixture
def copilot(settings: Settings, embedder: UseEmbedder):  # type: ignore[no-untyped-def]
    from copilot.service import Copilot

    instance = Copilot(settings, embedder=embedder, llm=None)
    yield instance
    instance.close()


@pytest.fixture
def one_doc_answers(tmp_path: Path, embedder: UseEmbedder):  # type: ignore[no-untyped-def]
    """`ask(name, text, question)`: the offline answer from a community of that one document,
    with the handoff gate open (for tests of how an answer is shaped, not of the gate)."""
    from copilot.service import Copilot

    settings = Settings(  # type: ignore[call-arg]
        data_dir=tmp_path / "data", llm_provider="offline", handoff_threshold=0.0, _env_file=None
    )
    instance = Copilot(settings, embedder=embedder, llm=None)

    def ask(name: str, text: str, question: str) -> str:
        path = tmp_path / name
        if path.exists():
            assert path.read_text("utf-8") == text, f"{name} was ingested with other text"
        else:
            path.write_text(text, "utf-8")
            assert not instance.ingest_paths("docs", [path]).skipped
        return instance.ask("docs", question).answer

    yield ask
    instance.close()


@pytest.fixture
def fake_copilot(settings: Settings):  # type: ignore[no-untyped-def]
    """A Copilot on the fakes: hashing embedder, in-memory vectors (real SQLite). For tests
    where retrieval quality is not the point: no model to run, no Chroma files."""
    from copilot.embeddings.fake import HashingEmbedder
    from copilot.retrieval.memory import MemoryVectorStore
    from copilot.service import Copilot

    embedder = HashingEmbedder()
    instance = Copilot(
        settings, embedder=embedder, vectors=MemoryVectorStore(embedder.name), llm=None
    )
    yield instance
    instance.close()


@pytest.fixture(scope="session")
def starter(tmp_path_factory: pytest.TempPathFactory, embedder: UseEmbedder):  # type: ignore[no-untyped-def]
    """A read-only Copilot with the starter playbooks ingested as community 'starter'."""
    from copilot.service import Copilot

    data = tmp_path_factory.mktemp("starter")
    instance = Copilot(
        Settings(data_dir=data, llm_provider="offline", _env_file=None),  # type: ignore[call-arg]
        embedder=embedder,
        llm=None,
    )
    report = instance.ingest_paths("starter", [KNOWLEDGE / "playbooks"])
    assert not report.skipped, report.skipped
    yield instance
    instance.close()
