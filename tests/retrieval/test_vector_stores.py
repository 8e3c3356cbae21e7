"""Both vector store adapters pass the same conformance suite."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from copilot.config import Settings
from copilot.retrieval.chroma import ChromaVectorStore, connect
from copilot.retrieval.memory import MemoryVectorStore, Space
from copilot.retrieval.vector_store import VectorStore
from tests.retrieval.conformance import VectorStoreConformance, meta, rows, unit


class TestChromaVectorStore(VectorStoreConformance):
    @pytest.fixture(autouse=True)
    def _database(self, tmp_path: Path) -> None:
        self.settings = Settings(data_dir=tmp_path, _env_file=None)  # type: ignore[call-arg]
        self.client = connect(self.settings)  # embedded Chroma in the test's own folder

    def open(self, embedder: str = "test-embedder") -> VectorStore:
        return ChromaVectorStore(self.client, embedder, lambda: connect(self.settings))

    def test_refresh_sees_the_vectors_another_process_wrote(self) -> None:
        store = self.open()
        store.upsert("club", ["a"], rows(unit(1)), meta("rules.md", 1))
        assert [cid for cid, _ in store.query("club", unit(1), 5)] == ["a"]  # index loaded
        other_process = (
            "import sys, numpy as np\n"
            "from copilot.config import Settings\n"
            "from copilot.retrieval.chroma import ChromaVectorStore, connect\n"
            "store = ChromaVectorStore(connect(Settings(data_dir=sys.argv[1])), 'test-embedder')\n"
            "store.upsert('club', ['b'], np.eye(8, dtype=np.float32)[1:2], "
            "[{'source': 'faq.md', 'kind': 'playbook'}])\n"
        )
        env = {k: v for k, v in os.environ.items() if not k.startswith("COPILOT_")}
        subprocess.run(
            [sys.executable, "-c", other_process, str(self.settings.data_dir)], env=env, check=True
        )
        store.refresh()
        assert [cid for cid, _ in store.query("club", unit(0, 1), 1)] == ["b"]


class TestMemoryVectorStore(VectorStoreConformance):
    @pytest.fixture(autouse=True)
    def _database(self) -> None:
        self.spaces: dict[str, Space] = {}

    def open(self, embedder: str = "test-embedder") -> VectorStore:
        return MemoryVectorStore(embedder, self.spaces)
