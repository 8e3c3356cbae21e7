"""Both vector store adapters pass the same conformance suite."""

from __future__ import annotations

from pathlib import Path

import pytest

from copilot.config import Settings
from copilot.retrieval.chroma import ChromaVectorStore, connect
from copilot.retrieval.memory import MemoryVectorStore, Space
from copilot.retrieval.vector_store import VectorStore
from tests.retrieval.conformance import VectorStoreConformance


class TestChromaVectorStore(VectorStoreConformance):
    @pytest.fixture(autouse=True)
    def _database(self, tmp_path: Path) -> None:
        settings = Settings(data_dir=tmp_path, _env_file=None)  # type: ignore[call-arg]
        self.client = connect(settings)  # embedded Chroma in the test's own folder

    def open(self, embedder: str = "test-embedder") -> VectorStore:
        return ChromaVectorStore(self.client, embedder)


class TestMemoryVectorStore(VectorStoreConformance):
    @pytest.fixture(autouse=True)
    def _database(self) -> None:
        self.spaces: dict[str, Space] = {}

    def open(self, embedder: str = "test-embedder") -> VectorStore:
        return MemoryVectorStore(embedder, self.spaces)
