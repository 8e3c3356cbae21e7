"""Writes chunks to SQL and vectors, keyed by content hash, so a crash never corrupts the index.

Order of work for one source: mark the document pending → embed and upsert only the new
chunks' vectors → in one SQL transaction swap the chunk rows and mark it complete → drop stale
vectors. Retrieval trusts only SQL rows, so vectors written before a crash are invisible, and a
re-run finds the pending document and finishes the job (vector upserts are idempotent).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from sqlalchemy import delete, insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from copilot.embeddings import Embedder
from copilot.knowledge.chunking import Piece, chunk_id
from copilot.models import ChatMessage
from copilot.retrieval.unit_vectors import pack_vectors
from copilot.retrieval.units import Unit
from copilot.retrieval.vector_store import VectorStore
from copilot.store import generations
from copilot.store.db import Database
from copilot.store.tables import ChunkRow, ChunkUnitsRow, DocumentRow, MessageRow
from copilot.text import fold_chinese, tokenize

Outcome = Literal["added", "updated", "unchanged"]
EMBED_BATCH = 256
INSERT_BATCH = 500
Progress = Callable[[int, int], None]  # (chunks embedded, chunks to embed)


def no_progress(done: int, total: int) -> None:
    pass


@dataclass(frozen=True)
class IndexResult:
    source: str
    outcome: Outcome
    chunks: int
    embedded: int
    removed: int


def content_hash(pieces: Sequence[Piece]) -> str:
    """Hash of a source's pieces, their answer units included (a better reading re-indexes)."""
    digest = hashlib.sha256()
    for piece in pieces:
        digest.update(chunk_id("", "", piece).encode())
    return digest.hexdigest()


class Indexer:
    """Adds, replaces and removes the chunks of one source in one community."""

    def __init__(
        self,
        db: Database,
        embedder: Embedder,
        vectors: VectorStore,
        on_change: Callable[[str, int], None] = lambda community, generation: None,
        writer: Callable[[], AbstractContextManager[None]] = nullcontext,
    ) -> None:
        self._db = db
        self._embedder = embedder
        self._vectors = vectors
        self._on_change = on_change  # told (community, new generation) after each write
        self._writer = writer  # one writer per data dir at a time (copilot.store.writer_lock)

    def index(
        self,
        community: str,
        source: str,
        kind: str,
        pieces: Sequence[Piece],
        *,
        message_count: int = 0,
        progress: Progress = no_progress,
    ) -> IndexResult:
        """``progress(embedded, to_embed)`` is called after each batch of vectors."""
        with self._writer():
            return self._index(
                community, source, kind, pieces, message_count=message_count, progress=progress
            )

    def remove(self, community: str, source: str) -> bool:
        """Delete one source's document, chunks and vectors. False when it was not there."""
        with self._writer():
            return self._remove(community, source)

    def store_messages(self, messages: Sequence[ChatMessage]) -> int:
        """Insert messages not stored yet; returns how many were new."""
        with self._writer():
            return self._store_messages(messages)

    def reembed(self, community: str, progress: Progress = no_progress) -> int:
        """Embed every stored chunk of the community again with the current embedder (after
        COPILOT_EMBEDDER changed): its vectors and answer-unit vectors are rebuilt from the SQL
        rows, no source file is read. Returns how many chunks were embedded. Interrupted, it
        leaves the old vectors gone and some new ones missing; running it again finishes."""
        with self._writer():
            with self._db.session() as session:
                chunks = session.scalars(
                    select(ChunkRow).where(ChunkRow.community == community).order_by(ChunkRow.id)
                ).all()
                units = {
                    row.chunk_id: row
                    for row in session.scalars(
                        select(ChunkUnitsRow).where(ChunkUnitsRow.community == community)
                    )
                }
            self._vectors.drop(community)
            for start in range(0, len(chunks), EMBED_BATCH):
                batch = chunks[start : start + EMBED_BATCH]
                records = [units[c.id].units if c.id in units else [] for c in batch]
                texts = [fold_chinese(Piece(c.heading, c.text).indexed_text) for c in batch]
                texts += [
                    fold_chinese(Unit.from_json(_unit_fields(r)).match_text)
                    for rs in records
                    for r in rs
                ]
                vectors = self._embedder.embed(texts)
                self._vectors.upsert(
                    community,
                    [c.id for c in batch],
                    vectors[: len(batch)],
                    [{"source": c.source, "kind": c.kind} for c in batch],
                )
                rest = vectors[len(batch) :]
                with self._db.session() as session:
                    for chunk, rs in zip(batch, records, strict=True):
                        if chunk.id in units:
                            row = session.get(ChunkUnitsRow, (community, chunk.id))
                            if row is not None:
                                row.vectors = pack_vectors(rest[: len(rs)])
                        rest = rest[len(rs) :]
                progress(start + len(batch), len(chunks))
            with self._db.session() as session:
                for doc in session.scalars(
                    select(DocumentRow).where(DocumentRow.community == community)
                ):
                    doc.embedder = self._embedder.name
                generation = generations.bump(session, community)
        self._on_change(community, generation)
        return len(chunks)

    def _index(
        self,
        community: str,
        source: str,
        kind: str,
        pieces: Sequence[Piece],
        *,
        message_count: int,
        progress: Progress,
    ) -> IndexResult:
        new_hash = content_hash(pieces)
        ids = [chunk_id(community, source, p) for p in pieces]
        with self._db.session() as session:
            doc = session.get(DocumentRow, (community, source))
            if (
                doc
                and doc.status == "complete"
                and doc.content_hash == new_hash
                and doc.embedder == self._embedder.name
            ):
                return IndexResult(source, "unchanged", len(ids), 0, 0)
            outcome: Outcome = "updated" if doc else "added"
            existing = set(
                session.scalars(
                    select(ChunkRow.id).where(
                        ChunkRow.community == community, ChunkRow.source == source
                    )
                )
            )
            if doc is None:
                doc = DocumentRow(community=community, source=source)
                session.add(doc)
            doc.kind, doc.content_hash, doc.status = kind, new_hash, "pending"
            doc.embedder, doc.ingested_at = self._embedder.name, datetime.now(UTC)

        todo = [(cid, p) for cid, p in zip(ids, pieces, strict=True) if cid not in existing]
        # jieba tokens (chunks and units) are cut in a thread while the embedder runs: USE's
        # matrix products release the GIL, so the two share the cores instead of taking turns
        # (bench/ingest_throughput.py: the tokens were ~20% of an ingest).
        with ThreadPoolExecutor(1, thread_name_prefix="ingest-tokens") as pool:
            cut = pool.submit(_tokens_of, [p for _, p in todo])
            unit_vectors = self._embed(community, source, kind, todo, progress)
            tokens = cut.result()

        stale = existing - set(ids)
        position = {cid: i for i, cid in enumerate(ids)}
        with self._db.session() as session:
            if stale:
                session.execute(
                    delete(ChunkRow).where(ChunkRow.community == community, ChunkRow.id.in_(stale))
                )
                session.execute(
                    delete(ChunkUnitsRow).where(
                        ChunkUnitsRow.community == community, ChunkUnitsRow.chunk_id.in_(stale)
                    )
                )
            # Rows are built and inserted a batch at a time (ORM objects for every chunk of a
            # large file at once cost more than the file), still in the one transaction.
            for start in range(0, len(todo), INSERT_BATCH):
                batch = todo[start : start + INSERT_BATCH]
                session.execute(
                    insert(ChunkUnitsRow),
                    [
                        {
                            "community": community,
                            "chunk_id": cid,
                            "units": [
                                u.to_json() | {"tokens": unit_tokens}
                                for u, unit_tokens in zip(piece.units, cut[1], strict=True)
                            ],
                            "vectors": packed,
                        }
                        for (cid, piece), packed, cut in zip(
                            batch,
                            unit_vectors[start : start + INSERT_BATCH],
                            tokens[start : start + INSERT_BATCH],
                            strict=True,
                        )
                    ],
                )
                session.execute(
                    insert(ChunkRow),
                    [
                        {
                            "community": community,
                            "id": cid,
                            "source": source,
                            "kind": kind,
                            "heading": p.heading,
                            "text": p.text,
                            "tokens": cut[0],
                            "position": position[cid],
                            "meta": dict(p.meta),
                        }
                        for (cid, p), cut in zip(
                            batch, tokens[start : start + INSERT_BATCH], strict=True
                        )
                    ],
                )
            doc = session.get(DocumentRow, (community, source))
            assert doc is not None
            doc.status, doc.chunk_count = "complete", len(ids)
            doc.message_count = message_count
            doc.ingested_at = datetime.now(UTC)
            generation = generations.bump(session, community)
        # Vectors of replaced chunks, and any orphans of an earlier crash, go last.
        orphans = self._vectors.ids_of_source(community, source) - set(ids)
        self._vectors.delete(community, sorted(orphans))
        self._on_change(community, generation)
        return IndexResult(source, outcome, len(ids), len(todo), len(stale))

    def _embed(
        self,
        community: str,
        source: str,
        kind: str,
        todo: list[tuple[str, Piece]],
        progress: Progress,
    ) -> list[bytes]:
        """Embed and upsert the new chunks; their units' vectors, packed, in order."""
        unit_vectors: list[bytes] = []  # float16, copied out so each batch's matrix is freed
        # A batch at a time, chunks with their answer units (the embedder is fastest on one
        # batch of both): memory stays bounded whatever the file's size.
        for start in range(0, len(todo), EMBED_BATCH):
            batch = todo[start : start + EMBED_BATCH]
            texts = [fold_chinese(p.indexed_text) for _, p in batch]
            texts += [fold_chinese(u.match_text) for _, p in batch for u in p.units]
            vectors = self._embedder.embed(texts)
            chunk_vectors, rest = vectors[: len(batch)], vectors[len(batch) :]
            for _, piece in batch:
                unit_vectors.append(pack_vectors(rest[: len(piece.units)]))
                rest = rest[len(piece.units) :]
            self._vectors.upsert(
                community,
                [cid for cid, _ in batch],
                chunk_vectors,
                [{"source": source, "kind": kind} for _ in batch],
            )
            progress(start + len(batch), len(todo))
        return unit_vectors

    def _remove(self, community: str, source: str) -> bool:
        with self._db.session() as session:
            doc = session.get(DocumentRow, (community, source))
            if doc is None:
                return False
            ids = list(
                session.scalars(
                    select(ChunkRow.id).where(
                        ChunkRow.community == community, ChunkRow.source == source
                    )
                )
            )
            session.execute(
                delete(ChunkRow).where(ChunkRow.community == community, ChunkRow.source == source)
            )
            if ids:
                session.execute(
                    delete(ChunkUnitsRow).where(
                        ChunkUnitsRow.community == community, ChunkUnitsRow.chunk_id.in_(ids)
                    )
                )
            session.execute(
                delete(MessageRow).where(
                    MessageRow.community == community, MessageRow.source == source
                )
            )
            session.delete(doc)
            generation = generations.bump(session, community)
        self._vectors.delete(community, ids)
        self._on_change(community, generation)
        return True

    def _store_messages(self, messages: Sequence[ChatMessage]) -> int:
        if not messages:
            return 0
        # Stored in UTC: SQLite keeps no zone, and mixed zones would break time windows.
        rows = [{**m.model_dump(), "ts": m.ts.astimezone(UTC)} for m in messages]
        with self._db.session() as session:
            dialect = session.bind.dialect.name if session.bind else "sqlite"
            insert = pg_insert if dialect == "postgresql" else sqlite_insert
            added = 0
            for i in range(0, len(rows), 500):
                # RETURNING counts what was inserted on every backend (psycopg reports a
                # rowcount of -1 for this statement on PostgreSQL).
                stmt = (
                    insert(MessageRow)
                    .values(rows[i : i + 500])
                    .on_conflict_do_nothing()
                    .returning(MessageRow.id)
                )
                added += len(session.execute(stmt).all())
            return added


def _tokens_of(pieces: Sequence[Piece]) -> list[tuple[str, list[str]]]:
    """The stored jieba tokens of each piece: its indexed text's, and each unit's."""
    return [
        (" ".join(tokenize(p.indexed_text)), [" ".join(tokenize(u.match_text)) for u in p.units])
        for p in pieces
    ]


def _unit_fields(record: dict[str, object]) -> dict[str, object]:
    """A stored unit record without the jieba tokens stored next to its fields."""
    return {k: v for k, v in record.items() if k != "tokens"}
