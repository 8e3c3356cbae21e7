"""The in-memory adapter of the vector store port: numpy brute force, nothing on disk.

Exact cosine top-k over a community's matrix (5 ms for 100k 512-d vectors on 2 cores, see
DESIGN.md), so it is a usable store for one process and the tests' store of choice. Stores
built over the same ``spaces`` share their vectors, as Chroma clients share a database.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from copilot.embeddings import Vectors
from copilot.retrieval.vector_store import check_embedder


@dataclass
class Space:
    """One community's vectors, as built by one embedder."""

    embedder: str
    ids: list[str] = field(default_factory=list)
    matrix: Vectors = field(default_factory=lambda: np.zeros((0, 0), dtype=np.float32))
    metadatas: list[dict[str, Any]] = field(default_factory=list)


class MemoryVectorStore:
    def __init__(self, embedder_name: str, spaces: dict[str, Space] | None = None) -> None:
        self._embedder = embedder_name
        self._spaces = {} if spaces is None else spaces
        self._lock = threading.Lock()

    def _space(self, community: str, *, create: bool = False) -> Space | None:
        space = self._spaces.get(community)
        if space is None and create:
            space = self._spaces[community] = Space(self._embedder)
        if space is not None:
            check_embedder(community, space.embedder, self._embedder)
        return space

    def check(self, community: str) -> None:
        self._space(community)

    def upsert(
        self, community: str, ids: list[str], vectors: Vectors, metadatas: list[dict[str, Any]]
    ) -> None:
        with self._lock:
            space = self._space(community, create=True)
            assert space is not None
            new = dict(zip(ids, range(len(ids)), strict=True))  # the last one of an id wins
            keep = [i for i, cid in enumerate(space.ids) if cid not in new]
            rows = np.asarray(vectors, dtype=np.float32)[list(new.values())]
            old = space.matrix[keep] if len(keep) else space.matrix[:0]
            space.matrix = rows if not len(old) else np.vstack([old, rows])
            space.ids = [space.ids[i] for i in keep] + list(new)
            space.metadatas = [space.metadatas[i] for i in keep] + [
                dict(metadatas[i]) for i in new.values()
            ]

    def delete(self, community: str, ids: list[str]) -> None:
        with self._lock:
            space = self._space(community)
            if space is None or not ids:
                return
            gone = set(ids)
            keep = [i for i, cid in enumerate(space.ids) if cid not in gone]
            space.matrix = space.matrix[keep]
            space.ids = [space.ids[i] for i in keep]
            space.metadatas = [space.metadatas[i] for i in keep]

    def ids_of_source(self, community: str, source: str) -> set[str]:
        space = self._space(community)
        if space is None:
            return set()
        return {
            cid
            for cid, m in zip(space.ids, space.metadatas, strict=True)
            if m.get("source") == source
        }

    def query(self, community: str, vector: Vectors, k: int) -> list[tuple[str, float]]:
        with self._lock:
            space = self._space(community)
            if space is None or not space.ids or k <= 0:
                return []
            scores = space.matrix @ np.asarray(vector, dtype=np.float32)
            ids = list(space.ids)
        top = np.argpartition(-scores, min(k, len(ids)) - 1)[:k]
        best = sorted(top, key=lambda i: (-scores[i], ids[i]))
        return [(ids[i], float(scores[i])) for i in best]

    def vectors_of(self, community: str) -> tuple[list[str], Vectors]:
        with self._lock:
            space = self._space(community)
            if space is None or not space.ids:
                return [], np.zeros((0, 0), dtype=np.float32)
            return list(space.ids), space.matrix.copy()

    def count(self, community: str) -> int:
        space = self._space(community)
        return 0 if space is None else len(space.ids)

    def drop(self, community: str) -> None:
        with self._lock:
            self._spaces.pop(community, None)

    def refresh(self) -> None:
        """Nothing to reload: the vectors live in this process (shared spaces included)."""
