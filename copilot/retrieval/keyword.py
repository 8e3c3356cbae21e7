"""A community's keyword side, read from the chunk table once per index generation.

BM25 over the stored jieba tokens, and where every chunk sits (source, position, kind): all
that fusing and ordering the candidates needs. A search then reads full rows only for the dozen
chunks it re-ranks, not for the 30-60 candidates both retrievers return (at 100k chunks those
rows cost more than the vector search). The table decides what exists: vectors left by a
crashed ingest have no place here and are never ranked.
"""

from __future__ import annotations

import bisect
import sys
import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import cached_property

from sqlalchemy import select

from copilot.retrieval.bm25 import Bm25Index
from copilot.store.db import Database
from copilot.store.tables import ChunkRow

KEYWORD_CACHED = 64  # communities whose index stays built (rebuilt on their next search)


# (source, position, kind) of a chunk. A plain tuple of str and int on purpose: the garbage
# collector stops tracking it, where 100k small objects made each full collection cost 60 ms
# (a search that met one took 20x its usual time).
Place = tuple[str, int, str]


@dataclass(frozen=True)
class KeywordIndex:
    bm25: Bm25Index
    places: dict[str, Place]  # every chunk of the community, by id

    @cached_property
    def _by_position(self) -> dict[str, tuple[list[int], list[str]]]:
        """Per source, its chunks' positions sorted and their ids in that order. Built on the
        first list question of this generation (30 ms at 100k chunks), from the same rows."""
        per_source: dict[str, list[tuple[int, str]]] = {}
        for cid, (source, position, _) in self.places.items():
            per_source.setdefault(source, []).append((position, cid))
        out: dict[str, tuple[list[int], list[str]]] = {}
        for source, found in per_source.items():
            found.sort()
            out[source] = ([position for position, _ in found], [cid for _, cid in found])
        return out

    def ids_between(self, source: str, low: int, high: int) -> list[str]:
        """Ids of the source's chunks at positions `low`..`high` (both included). A list
        question read them from SQL, one range read per span: with the rows they hydrate,
        5% of searches (the list questions) took 2-10 ms more and made the p95."""
        positions, ids = self._by_position.get(source, ([], []))
        return ids[bisect.bisect_left(positions, low) : bisect.bisect_right(positions, high)]


def build_keyword_index(db: Database, community: str) -> KeywordIndex:
    query = (
        select(ChunkRow.id, ChunkRow.tokens, ChunkRow.source, ChunkRow.position, ChunkRow.kind)
        .where(ChunkRow.community == community)
        .order_by(ChunkRow.id)
    )
    with db.engine.connect() as connection:
        rows = connection.execute(query).all()
    places = {
        # One string object per source and kind, not one per chunk (100k chunks, a few files).
        cid: (sys.intern(source), position, sys.intern(kind))
        for cid, _, source, position, kind in rows
    }
    return KeywordIndex(Bm25Index(list(places), [r.tokens.split() for r in rows]), places)


class KeywordIndexes:
    """The indexes of the most recently searched communities, each at the generation it was
    built at: memory does not grow with communities that sit idle."""

    def __init__(self, db: Database, size: int = KEYWORD_CACHED) -> None:
        self._db = db
        self._size = size
        self._held: OrderedDict[str, tuple[int, KeywordIndex]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, community: str, current: int) -> KeywordIndex:
        with self._lock:
            cached = self._held.get(community)
            if cached:
                self._held.move_to_end(community)
            if cached and cached[0] == current:
                return cached[1]
        index = build_keyword_index(self._db, community)
        with self._lock:
            self._held[community] = (current, index)
            self._held.move_to_end(community)
            while len(self._held) > self._size:
                self._held.popitem(last=False)
        return index

    def __len__(self) -> int:
        return len(self._held)
