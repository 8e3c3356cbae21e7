"""Exact in-memory search of small communities: the same neighbours as Chroma's own query,
writes seen at once, and memory held within its budget."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from copilot.config import Settings
from copilot.retrieval.chroma import ChromaVectorStore, connect
from copilot.retrieval.exact import ExactIndexes


def _unit(rng: np.random.Generator, n: int) -> np.ndarray:
    v = rng.normal(size=(n, 512)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def test_exact_search_finds_chromas_neighbours_and_sees_writes(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, _env_file=None)  # type: ignore[call-arg]
    store = ChromaVectorStore(connect(settings), "test-embedder")
    rng = np.random.default_rng(3)
    vectors = _unit(rng, 300)
    ids = [f"c{i:03d}" for i in range(300)]
    store.upsert("club", ids, vectors, [{"source": "a.md"}] * 300)
    collection = store._collection("club", create=False)
    for query in _unit(rng, 5):
        ours = store.query("club", query, 10)
        theirs = collection.query(query_embeddings=[query.tolist()], n_results=10)
        assert [cid for cid, _ in ours] == theirs["ids"][0]
        expected = [1.0 - d for d in theirs["distances"][0]]
        assert np.allclose([s for _, s in ours], expected, atol=1e-5)

    # A vector written after the first search is found by the next one; a deleted one is gone.
    store.upsert("club", ["new"], vectors[:1] * -1.0, [{"source": "b.md"}])
    assert store.query("club", vectors[0] * -1.0, 1)[0][0] == "new"
    store.delete("club", ["new"])
    assert store.query("club", vectors[0] * -1.0, 1)[0][0] != "new"


def test_exact_indexes_stay_within_their_memory_budget() -> None:
    rng = np.random.default_rng(5)
    one = _unit(rng, 100)  # 200 KB of float32
    held = ExactIndexes(budget_bytes=3 * one.nbytes)
    for i in range(10):
        held.put(f"c{i}", held.version(), [f"x{j}" for j in range(100)], one)
    assert [c for c in (f"c{i}" for i in range(10)) if held.get(c)] == ["c7", "c8", "c9"]
    # A read that a write overtook is not kept: the next search reads the vectors again.
    version = held.version()
    held.forget("c9")
    held.put("c9", version, ["x"], one[:1])
    assert held.get("c9") is None
