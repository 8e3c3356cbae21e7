"""Exact vector snapshots on disk: a small community's vectors as the store holds them.

A cold `copilot ask` spent 0.5 s of its 2 s importing chromadb and opening its client, only to
read a community that small enough is searched in memory anyway (``exact.py``). So the writer
saves each small community's vectors next to Chroma after every index write, stamped with the
index generation the write ended at; a reader uses a snapshot only when its stamp is the
community's current generation, and opens Chroma otherwise. Chroma stays the store of record:
a snapshot is a derived copy that may be deleted at any time.

Layout: ``<dir>/<collection name>/g<generation>.json`` (community, embedder, ids) and
``g<generation>.npy`` (float32 rows in the ids' order, read with ``mmap_mode='r'``, so the
pages are shared by every process that searches them). Each file is written whole and
renamed into place, the ids file first: a reader sees both, or too little to use.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from copilot.embeddings import Vectors
from copilot.files import write_atomically
from copilot.retrieval.exact import EXACT_MAX, ExactIndex
from copilot.retrieval.vector_store import collection_name

SNAPSHOT_MAX = EXACT_MAX  # larger communities keep Chroma's HNSW index


@dataclass(frozen=True)
class Snapshot:
    community: str
    generation: int
    embedder: str
    index: ExactIndex


class VectorSnapshots:
    """The snapshot files of every community under one directory."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def _dir(self, community: str) -> Path:
        return self.directory / collection_name(community)

    def load(self, community: str, generation: int) -> Snapshot | None:
        """The community's snapshot at `generation`, or None (none saved, stale, unreadable)."""
        folder = self._dir(community)
        try:
            meta = json.loads((folder / f"g{generation}.json").read_text(encoding="utf-8"))
            matrix = np.load(folder / f"g{generation}.npy", mmap_mode="r", allow_pickle=False)
        except (OSError, ValueError):
            return None
        ids = meta.get("ids")
        if (
            meta.get("community") != community  # a copied or renamed folder answers nobody
            or meta.get("generation") != generation
            or not isinstance(ids, list)
            or matrix.dtype != np.float32
            or matrix.ndim != 2
            or matrix.shape[0] != len(ids)
        ):
            return None
        embedder = str(meta.get("embedder", ""))
        return Snapshot(community, generation, embedder, ExactIndex(ids, matrix))  # saved by id

    def save(
        self, community: str, generation: int, embedder: str, ids: list[str], matrix: Vectors
    ) -> None:
        """Write the snapshot of `generation` and remove the older ones."""
        index = ExactIndex.by_id(ids, matrix)
        folder = self._dir(community)
        folder.mkdir(parents=True, exist_ok=True)
        meta = {"community": community, "generation": generation, "embedder": embedder}
        meta["ids"] = index.ids
        write_atomically(
            folder / f"g{generation}.json", json.dumps(meta, ensure_ascii=False).encode()
        )
        partial = folder / f"g{generation}.{os.getpid()}.tmp.npy"
        np.save(partial, index.matrix, allow_pickle=False)
        os.replace(partial, folder / f"g{generation}.npy")
        self._remove(folder, keep=f"g{generation}.")

    def discard(self, community: str) -> None:
        """Remove every snapshot of the community (a write is under way, or it grew too big)."""
        self._remove(self._dir(community), keep=None)

    @staticmethod
    def _remove(folder: Path, keep: str | None) -> None:
        with contextlib.suppress(FileNotFoundError):
            for path in folder.iterdir():
                if keep is None or not path.name.startswith(keep) or ".tmp" in path.name:
                    path.unlink(missing_ok=True)  # one writer at a time: no tmp file is live
