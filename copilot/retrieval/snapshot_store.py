"""The embedded vector store behind its snapshots (``snapshots.py``).

A community whose snapshot is at its current generation is checked, counted and searched from
the snapshot, without opening the store (a cold `copilot ask` never imports chromadb); any
other community, and every write, goes to the store, opened on first need. After an index
write the indexer's owner calls ``publish``, still holding the writer lock: the community's
vectors are then exactly what the store holds, and are saved under the new generation.

Saving should not cost a read of the whole collection each time a connector captures one chat
message, so the writes of this process are mirrored in memory, from the snapshot they started
at, and published from there; the store is read back only when the mirror may have missed a
write (another process wrote in between, or the mirror was evicted).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from copilot.embeddings import Vectors
from copilot.retrieval.snapshots import SNAPSHOT_MAX, Snapshot, VectorSnapshots
from copilot.retrieval.vector_store import VectorStore, check_embedder
from copilot.store.db import Database
from copilot.store.generations import generation

MIRROR_BUDGET_BYTES = 64 * 2**20  # vectors mirrored for the next snapshots, over communities
MIRRORS_HELD = 256  # communities (a write that found no snapshot holds an empty slot)
# Snapshots kept open, least recently searched out first: their pages are the OS's file cache,
# shared and reclaimable, but a process searching 1,000 communities should not map them all.
HELD_BUDGET_BYTES = 256 * 2**20
HELD_MAX = 4096  # communities, with or without a snapshot


@dataclass
class _Mirror:
    """A community's vectors as of `generation`, plus this process's writes since."""

    generation: int
    rows: dict[str, Vectors]

    @property
    def nbytes(self) -> int:
        return len(self.rows) * next(iter(self.rows.values())).nbytes if self.rows else 0


class SnapshotVectorStore:
    def __init__(
        self,
        open_store: Callable[[], VectorStore],
        snapshots: VectorSnapshots,
        db: Database,
        embedder_name: str,
    ) -> None:
        self._open = open_store
        self._store: VectorStore | None = None
        self.snapshots = snapshots
        self._db = db
        self._embedder = embedder_name
        # None: no current snapshot, use the store.
        self._held: OrderedDict[str, Snapshot | None] = OrderedDict()
        self._held_bytes = 0
        self._writes = 0  # a load that a write (or a refresh) overtook is not held
        self._mirrors: OrderedDict[str, _Mirror | None] = OrderedDict()  # None: writes missed
        self._lock = threading.RLock()

    @property
    def store(self) -> VectorStore:
        """The store of record, opened on first use."""
        with self._lock:
            if self._store is None:
                self._store = self._open()
            return self._store

    @property
    def opened(self) -> bool:
        return self._store is not None

    @property
    def mapped(self) -> int:
        """How many communities' snapshots are open (mapped) now."""
        with self._lock:
            return sum(1 for found in self._held.values() if found is not None)

    def _snapshot(self, community: str) -> Snapshot | None:
        with self._lock:
            if community in self._held:
                self._held.move_to_end(community)
                return self._held[community]
            writes = self._writes
        found = self.snapshots.load(community, generation(self._db, community))
        with self._lock:
            if self._writes == writes and community not in self._held:
                self._held[community] = found
                self._held_bytes += _nbytes(found)
                while len(self._held) > 1 and (
                    self._held_bytes > HELD_BUDGET_BYTES or len(self._held) > HELD_MAX
                ):
                    self._held_bytes -= _nbytes(self._held.popitem(last=False)[1])
        return found

    # ---- reads: from the snapshot when it is current -----------------------------------

    def check(self, community: str) -> None:
        found = self._snapshot(community)
        if found is not None:
            check_embedder(community, found.embedder, self._embedder)
        else:
            self.store.check(community)

    def query(self, community: str, vector: Vectors, k: int) -> list[tuple[str, float]]:
        found = self._snapshot(community)
        if found is not None:
            check_embedder(community, found.embedder, self._embedder)
            return found.index.top(vector, k)
        return self.store.query(community, vector, k)

    def count(self, community: str) -> int:
        found = self._snapshot(community)
        return len(found.index.ids) if found is not None else self.store.count(community)

    def ids_of_source(self, community: str, source: str) -> set[str]:
        return self.store.ids_of_source(community, source)  # metadata lives in the store only

    def vectors_of(self, community: str) -> tuple[list[str], Vectors]:
        return self.store.vectors_of(community)

    def refresh(self) -> None:
        with self._lock:
            self._held.clear()
            self._held_bytes = 0
            self._writes += 1
            store = self._store
        if store is not None:
            store.refresh()

    # ---- writes: to the store, mirrored for the next snapshot --------------------------

    def upsert(
        self, community: str, ids: list[str], vectors: Vectors, metadatas: list[dict[str, Any]]
    ) -> None:
        self._write(community, lambda: self.store.upsert(community, ids, vectors, metadatas))

        def add(mirror: _Mirror) -> None:  # a copy: the caller may reuse its array
            mirror.rows.update(zip(ids, np.array(vectors, dtype=np.float32), strict=True))

        self._mirror(community, add)

    def delete(self, community: str, ids: list[str]) -> None:
        self._write(community, lambda: self.store.delete(community, ids))
        self._mirror(community, lambda m: [m.rows.pop(cid, None) for cid in ids])

    def drop(self, community: str) -> None:
        self._write(community, lambda: self.store.drop(community))
        self._mirror(community, lambda m: m.rows.clear())

    def _write(self, community: str, write: Callable[[], None]) -> None:
        with self._lock:
            self._writes += 1
            self._held_bytes -= _nbytes(self._held.pop(community, None))
            if community not in self._mirrors:
                self._mirrors[community] = self._start_mirror(community)
                self._trim()
        # Readers fall back to the store until the write is published (or forever, if this
        # process dies first: the next write publishes again).
        self.snapshots.discard(community)
        try:
            write()
        except BaseException:
            with self._lock:
                self._mirrors[community] = None  # partly written: read the store back
            raise

    def _start_mirror(self, community: str) -> _Mirror | None:
        current = generation(self._db, community)
        found = self.snapshots.load(community, current)
        if found is None:
            return None
        matrix = np.array(found.index.matrix)  # out of the file, which is about to go
        return _Mirror(current, dict(zip(found.index.ids, matrix, strict=True)))

    def _mirror(self, community: str, change: Callable[[_Mirror], object]) -> None:
        with self._lock:
            mirror = self._mirrors.get(community)
            if mirror is not None:
                change(mirror)
                if len(mirror.rows) > SNAPSHOT_MAX:  # too large for a snapshot: stop copying
                    self._mirrors[community] = None

    def publish(self, community: str, written: int) -> None:
        """Save the community's snapshot at generation `written`, which this process's index
        write just reached (called under the writer lock, after the write's last change)."""
        with self._lock:
            mirror = self._mirrors.pop(community, None)
        if mirror is None or mirror.generation != written - 1:  # a write we did not see
            if self.store.count(community) > SNAPSHOT_MAX:
                self.snapshots.discard(community)
                return
            ids, matrix = self.store.vectors_of(community)
            mirror = _Mirror(written, dict(zip(ids, matrix, strict=True)))
        mirror.generation = written
        if len(mirror.rows) > SNAPSHOT_MAX:
            self.snapshots.discard(community)
            return
        ids = list(mirror.rows)
        matrix = np.stack(list(mirror.rows.values())) if ids else np.zeros((0, 0), np.float32)
        self.snapshots.save(community, written, self._embedder, ids, matrix)
        with self._lock:
            self._mirrors[community] = mirror
            self._mirrors.move_to_end(community)
            self._trim()

    def _trim(self) -> None:
        """Forget the least recently written mirrors past the budget (their communities'
        next snapshot reads the store back)."""
        while len(self._mirrors) > 1 and (
            sum(m.nbytes for m in self._mirrors.values() if m) > MIRROR_BUDGET_BYTES
            or len(self._mirrors) > MIRRORS_HELD
        ):
            self._mirrors.popitem(last=False)


def _nbytes(found: Snapshot | None) -> int:
    return 0 if found is None else int(found.index.matrix.nbytes)
