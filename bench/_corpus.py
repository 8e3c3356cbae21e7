"""Synthetic but realistic chunk texts for benchmarks: recombined sentences of the playbooks."""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Any

import numpy as np

from copilot.embeddings import Embedder, Vectors
from copilot.retrieval.snapshot_store import SnapshotVectorStore
from copilot.retrieval.unit_vectors import pack_vectors
from copilot.retrieval.units import sentence_units
from copilot.service import Copilot
from copilot.store import generations
from copilot.store.tables import ChunkRow, ChunkUnitsRow, DocumentRow
from copilot.text import fold_chinese, split_sentences, tokenize

KNOWLEDGE = Path(__file__).resolve().parent.parent / "knowledge" / "playbooks"


def sentences() -> list[str]:
    found = [
        s
        for p in sorted(KNOWLEDGE.rglob("*.md"))
        for s in split_sentences(p.read_text(encoding="utf-8"))
        if len(s) > 8 and not s.startswith("#")
    ]
    if not found:
        raise SystemExit("no playbooks under knowledge/playbooks: nothing to benchmark")
    return found


def corpus(n: int, seed: int = 7) -> list[str]:
    """`n` passages of 3-6 sentences each, deterministic for a seed."""
    pool = sentences()
    rng = random.Random(seed)
    return [" ".join(rng.sample(pool, rng.randint(3, 6))) + f" (#{i})" for i in range(n)]


def queries(n: int, seed: int = 11) -> list[str]:
    pool = sentences()
    rng = random.Random(seed)
    return [rng.choice(pool)[:40] for _ in range(n)]


_MARK = re.compile(r"\s*\(#\d+\)$")


class Stored:
    """Chunk tokens and answer units as an ingest stores them, for synthetic passages.

    Passages recombine the same playbook sentences, so a sentence is embedded and tokenized
    once and reused wherever it recurs (a passage's ``(#i)`` mark is left out of that key),
    which keeps 100k-chunk builds to minutes. Without stored units every search would embed
    its candidates' sentences on the fly, which no ingested index does."""

    def __init__(self, embedder: Embedder) -> None:
        self._embedder = embedder
        self._vectors: dict[str, np.ndarray] = {}
        self._tokens: dict[str, str] = {}

    def tokens(self, text: str) -> str:
        return " ".join(self._token_list(text))

    def _token_list(self, text: str) -> list[str]:
        key = _MARK.sub("", text)
        if key not in self._tokens:
            self._tokens[key] = " ".join(tokenize(key))
        mark = text[len(key) :].strip()
        return self._tokens[key].split() + (tokenize(mark) if mark else [])

    def units(self, community: str, ids: list[str], texts: list[str]) -> list[dict[str, Any]]:
        """``chunk_units`` rows for the chunks ``ids`` with ``texts``."""
        per_chunk = [sentence_units(t) for t in texts]
        missing = list(
            dict.fromkeys(
                key
                for units in per_chunk
                for u in units
                if (key := _MARK.sub("", u.match_text)) not in self._vectors
            )
        )
        if missing:
            vectors = self._embedder.embed([fold_chinese(k) for k in missing])
            self._vectors.update(zip(missing, vectors, strict=True))
        rows = []
        for cid, units in zip(ids, per_chunk, strict=True):
            keys = [_MARK.sub("", u.match_text) for u in units]
            rows.append(
                {
                    "community": community,
                    "chunk_id": cid,
                    "units": [
                        u.to_json() | {"tokens": " ".join(self._token_list(u.match_text))}
                        for u in units
                    ],
                    "vectors": pack_vectors(np.stack([self._vectors[k] for k in keys]))
                    if keys
                    else b"",
                }
            )
        return rows


def store_chunks(
    cp: Copilot, community: str, texts: list[str], vectors: Vectors, stored: Stored
) -> list[str]:
    """Write synthetic chunks as an ingest leaves them: vectors, rows, units, a new index
    generation and (for a small community) its snapshot. Returns the chunk ids."""
    from datetime import UTC, datetime

    from sqlalchemy import insert

    n = len(texts)
    ids = [f"{community}-{i:07d}" for i in range(n)]
    cp.vectors.upsert(community, ids, vectors, [{"source": "bench.md", "kind": "playbook"}] * n)
    with cp.db.session() as s:
        s.add(
            DocumentRow(
                community=community,
                source="bench.md",
                kind="playbook",
                content_hash=community,
                status="complete",
                chunk_count=n,
                embedder=cp.embedder.name,
                ingested_at=datetime.now(UTC),
            )
        )
        for start in range(0, n, 5000):  # batches: bounded memory at 1M chunks
            batch = slice(start, start + 5000)
            s.execute(
                insert(ChunkRow),
                [
                    {
                        "community": community,
                        "id": cid,
                        "source": "bench.md",
                        "kind": "playbook",
                        "heading": "",
                        "text": t,
                        "tokens": stored.tokens(t),
                        "position": start + i,
                        "meta": {},
                    }
                    for i, (cid, t) in enumerate(zip(ids[batch], texts[batch], strict=True))
                ],
            )
            s.execute(insert(ChunkUnitsRow), stored.units(community, ids[batch], texts[batch]))
        written = generations.bump(s, community)
    if isinstance(cp.vectors, SnapshotVectorStore):
        cp.vectors.publish(community, written)
    return ids
