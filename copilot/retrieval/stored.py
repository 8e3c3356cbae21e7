"""Chunk rows and answer units as stored, read from SQL once per version of the index.

A search hydrates some 30-60 candidate chunks and the units of a dozen; members ask about the
same few passages again and again, so reading and decoding them (tokens, float16 vectors) on
every question cost more than ranking them. Entries are keyed by the version of the
community's index the search read (any write of the community changes it), so a write by any
process makes them stale.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from copilot.retrieval.unit_vectors import unpack_vectors
from copilot.retrieval.units import Unit
from copilot.store.db import Database
from copilot.store.tables import ChunkRow, ChunkUnitsRow

CACHED_CHUNKS = 4096  # rows and unit sets each, over all communities (a few MB)
_ABSENT = object()  # an id with vectors but no row (left by a crashed ingest)


@dataclass(frozen=True)
class StoredChunk:
    source: str
    kind: str
    heading: str
    text: str
    meta: dict[str, object]
    tokens: frozenset[str]
    position: int


class _Lru:
    def __init__(self, size: int) -> None:
        self._size = size
        self._items: OrderedDict[tuple[str, Hashable, str], Any] = OrderedDict()
        self._lock = threading.Lock()

    def get_many(
        self, community: str, version: Hashable, ids: list[str], load: Callable[[list[str]], dict]
    ) -> dict[str, Any]:
        found: dict[str, Any] = {}
        missing: list[str] = []
        with self._lock:
            for cid in ids:
                value = self._items.get((community, version, cid))
                if value is None:
                    missing.append(cid)
                else:
                    self._items.move_to_end((community, version, cid))
                    found[cid] = value
        loaded = load(missing) if missing else {}
        with self._lock:
            for cid in missing:
                value = found[cid] = loaded.get(cid, _ABSENT)
                self._items[(community, version, cid)] = value
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return {cid: value for cid, value in found.items() if value is not _ABSENT}


class StoredChunks:
    """The rows and units of chunks by id, for one version of their community's index."""

    def __init__(self, db: Database, dimension: int, size: int = CACHED_CHUNKS) -> None:
        self._db = db
        self._dimension = dimension
        self._rows = _Lru(size)
        self._units = _Lru(size)

    def rows(self, community: str, version: Hashable, ids: list[str]) -> dict[str, StoredChunk]:
        """The chunks of `ids` that exist in SQL (it decides what exists, not the vectors)."""
        return self._rows.get_many(community, version, ids, lambda m: self._load_rows(community, m))

    def units(self, community: str, version: Hashable, ids: list[str]) -> dict[str, dict[str, Any]]:
        """Answer units, their vectors and tokens of `ids`, as stored at ingest."""
        return self._units.get_many(
            community, version, ids, lambda m: self._load_units(community, m)
        )

    def _load_rows(self, community: str, ids: list[str]) -> dict[str, StoredChunk]:
        # Core rows, not ORM objects: building an ORM instance per candidate cost more than
        # the query (a search reads 30-60 of them whenever the index changed).
        query = select(ChunkRow.__table__).where(
            ChunkRow.community == community, ChunkRow.id.in_(ids)
        )
        with self._db.engine.connect() as connection:
            rows = connection.execute(query).all()
            return {
                row.id: StoredChunk(
                    row.source,
                    row.kind,
                    row.heading,
                    row.text,
                    dict(row.meta or {}),
                    frozenset(row.tokens.split()),
                    row.position,
                )
                for row in rows
            }

    def _load_units(self, community: str, ids: list[str]) -> dict[str, dict[str, Any]]:
        query = select(ChunkUnitsRow.__table__).where(
            ChunkUnitsRow.community == community, ChunkUnitsRow.chunk_id.in_(ids)
        )
        with self._db.engine.connect() as connection:
            rows = connection.execute(query).all()
        out: dict[str, dict[str, Any]] = {}
        for row in rows:
            records = [dict(r) for r in row.units or []]
            tokens = tuple(frozenset(r.pop("tokens", "").split()) for r in records)
            vectors = unpack_vectors(row.vectors, self._dimension)
            vectors.flags.writeable = False  # shared by every search that reads it
            out[row.chunk_id] = {
                "units": tuple(Unit.from_json(r) for r in records),
                "unit_vectors": vectors,
                "unit_tokens": tokens,
            }
        return out
