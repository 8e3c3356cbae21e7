"""Exact vector search in memory for communities small enough to hold.

Measured (bench/ask_cost.py): a Chroma query on a 150-vector collection costs 4-20 ms on busy
cores, waking the store's threads, where one matrix product over the same vectors costs
microseconds. So a community of up to ``EXACT_MAX`` vectors is read from the store once per
version of it and searched here; larger ones keep the store's HNSW index. Memory is bounded:
the least recently searched communities are dropped past ``EXACT_BUDGET_BYTES``.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np

from copilot.embeddings import Vectors

EXACT_MAX = 20_000  # vectors of one community (40 MB of float32 at 512 dimensions)
EXACT_BUDGET_BYTES = 256 * 2**20  # over all communities held


@dataclass(frozen=True)
class ExactIndex:
    ids: list[str]
    matrix: Vectors  # unit-length rows, one per id

    @classmethod
    def by_id(cls, ids: list[str], matrix: Vectors) -> ExactIndex:
        """Rows in id order: two copies of the same vectors (Chroma's, a snapshot's) are then
        the same matrix, and score bit for bit the same."""
        order = sorted(range(len(ids)), key=ids.__getitem__)
        rows = np.asarray(matrix, dtype=np.float32)
        return cls([ids[i] for i in order], np.ascontiguousarray(rows[order] if order else rows))

    def top(self, vector: Vectors, k: int) -> list[tuple[str, float]]:
        """Top-k (id, cosine similarity), best first; ties in id order."""
        if not self.ids or k <= 0:
            return []
        scores = self.matrix @ np.asarray(vector, dtype=np.float32)
        k = min(k, len(self.ids))
        if k < len(self.ids):
            # Every row tying the k-th score competes for the last places (by id), so which of
            # equal vectors (one text in two files) gets in never depends on the rows' order.
            kth = np.partition(scores, len(scores) - k)[len(scores) - k]
            best = np.flatnonzero(scores >= kth)
        else:
            best = np.arange(k)
        order = sorted(best.tolist(), key=lambda i: (-float(scores[i]), self.ids[i]))[:k]
        return [(self.ids[i], float(scores[i])) for i in order]


class ExactIndexes:
    """Per-community exact indexes within a memory budget (least recently used go first)."""

    def __init__(self, budget_bytes: int = EXACT_BUDGET_BYTES) -> None:
        self._budget = budget_bytes
        self._held: OrderedDict[str, ExactIndex] = OrderedDict()
        self._writes = 0  # any write counts: a load that a write overtook is not kept
        self._lock = threading.Lock()

    def get(self, community: str) -> ExactIndex | None:
        with self._lock:
            found = self._held.get(community)
            if found is not None:
                self._held.move_to_end(community)
            return found

    def version(self) -> int:
        with self._lock:
            return self._writes

    def put(self, community: str, version: int, ids: list[str], matrix: Vectors) -> ExactIndex:
        """Hold what was read at `version` (kept only if no write came since)."""
        index = ExactIndex.by_id(list(ids), matrix)
        index.matrix.flags.writeable = False
        with self._lock:
            if self._writes == version:
                self._held[community] = index
                self._held.move_to_end(community)
                while sum(i.matrix.nbytes for i in self._held.values()) > self._budget:
                    self._held.popitem(last=False)
        return index

    def forget(self, community: str | None = None) -> None:
        """A write (or a reload of the store): read the vectors again before the next search."""
        with self._lock:
            self._writes += 1
            if community is None:
                self._held.clear()
            else:
                self._held.pop(community, None)
