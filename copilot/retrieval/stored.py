"""Chunk rows and answer units as stored, read from SQL once per version of the index.

A search hydrates the dozen chunks it re-ranks and their units; members ask about the same few
passages again and again, so reading and decoding them (tokens, float16 vectors) on every
question cost more than ranking them. A chunk and its units are read in one statement (a
join): two round trips cost 0.3 ms of a 4 ms search at 100k chunks. Entries are keyed by the
version of the community's index the search read (any write of the community changes it),
so a write by any process makes them stale.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, bindparam, select

from copilot.embeddings import Vectors
from copilot.retrieval.unit_vectors import unpack_vectors
from copilot.retrieval.units import Unit
from copilot.store.db import Database
from copilot.store.tables import ChunkRow, ChunkUnitsRow

CACHED_CHUNKS = 4096  # chunks with their units, over all communities (a few MB)
_ABSENT = object()  # an id with vectors but no row (left by a crashed ingest)


@dataclass(frozen=True)
class StoredUnits:
    """A chunk's answer units as cut, tokenized and embedded at ingest."""

    units: tuple[Unit, ...]
    vectors: Vectors  # one float32 row per unit (read-only: shared by every search)
    tokens: tuple[frozenset[str], ...]


@dataclass(frozen=True)
class StoredChunk:
    source: str
    kind: str
    heading: str
    text: str
    meta: dict[str, object]
    tokens: frozenset[str]
    position: int
    units: StoredUnits | None  # None: indexed before units were stored


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


_CHUNKS, _UNITS = ChunkRow.__table__, ChunkUnitsRow.__table__
# Core rows, not ORM objects: building an ORM instance per chunk cost more than the query.
_SELECT = select(_CHUNKS, _UNITS.c.units.label("unit_records"), _UNITS.c.vectors).select_from(
    _CHUNKS.outerjoin(
        _UNITS,
        and_(_UNITS.c.community == _CHUNKS.c.community, _UNITS.c.chunk_id == _CHUNKS.c.id),
    )
)


# Built once, the ids as one expanding parameter: building and caching the statement per search
# cost more than SQLite's reads (0.2 ms of 0.5 at 12 chunks).
_BY_IDS = _SELECT.where(
    _CHUNKS.c.community == bindparam("community"),
    _CHUNKS.c.id.in_(bindparam("ids", expanding=True)),
)


class StoredChunks:
    """Chunks with their units by id, for one version of their community's index."""

    def __init__(self, db: Database, dimension: int, size: int = CACHED_CHUNKS) -> None:
        self._db = db
        self._dimension = dimension
        self._chunks = _Lru(size)

    def get(self, community: str, version: Hashable, ids: list[str]) -> dict[str, StoredChunk]:
        """The chunks of `ids` that exist in SQL (it decides what exists, not the vectors)."""
        return self._chunks.get_many(community, version, ids, lambda m: self._load(community, m))

    def _load(self, community: str, ids: list[str]) -> dict[str, StoredChunk]:
        with self._db.engine.connect() as connection:
            rows = connection.execute(_BY_IDS, {"community": community, "ids": ids}).all()
        return {
            row.id: StoredChunk(
                row.source,
                row.kind,
                row.heading,
                row.text,
                dict(row.meta or {}),
                frozenset(row.tokens.split()),
                row.position,
                None if row.unit_records is None else self._units(row.unit_records, row.vectors),
            )
            for row in rows
        }

    def _units(self, records: list[dict[str, Any]], packed: bytes) -> StoredUnits:
        fields = [dict(r) for r in records]
        tokens = tuple(frozenset(r.pop("tokens", "").split()) for r in fields)
        vectors = unpack_vectors(packed, self._dimension)
        vectors.flags.writeable = False  # shared by every search that reads it
        return StoredUnits(tuple(Unit.from_json(r) for r in fields), vectors, tokens)
