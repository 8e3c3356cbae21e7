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
        self._tokens: dict[str, list[str]] = {}

    def tokens(self, text: str) -> str:
        return " ".join(self._token_list(text))

    def _token_list(self, text: str) -> list[str]:
        """``tokenize(text)``, a space-separated piece at a time: jieba never joins across a
        space, so the tokens are the same (checked on 3,000 passages), and pieces recur where
        passages do not (tokenizing each of 1M passages whole took 0.5 ms each)."""
        return [token for piece in text.split(" ") for token in self._piece(piece)]

    def _piece(self, piece: str) -> list[str]:
        if _MARK.fullmatch(piece):  # a passage's own "(#i)": not worth keeping
            return tokenize(piece)
        if piece not in self._tokens:
            self._tokens[piece] = tokenize(piece)
        return self._tokens[piece]

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


# From this many chunks, Chroma is written by a child process while this one writes the SQL
# rows. Chroma's HNSW insert is about 1 ms of one core per vector at 1M and holds the GIL, so in
# one process the two writes take turns: at 1M chunks that was well over 30 minutes.
CHILD_WRITES_CHROMA = 200_000
_META = {"source": "bench.md", "kind": "playbook"}


def chunk_ids(community: str, n: int) -> list[str]:
    return [f"{community}-{i:07d}" for i in range(n)]


def store_chunks(
    cp: Copilot, community: str, texts: list[str], vectors: Vectors, stored: Stored
) -> list[str]:
    """Write synthetic chunks as an ingest leaves them: vectors, rows, units, a new index
    generation and (for a small community) its snapshot. Returns the chunk ids.

    A large community's vectors (`vectors` then best a ``.npy`` memory map, see
    ``synthetic_vectors``) go to the same Chroma collection through the same adapter
    (``ChromaVectorStore.upsert``), from a child process: what a search reads is what an
    ingest leaves, only written faster."""
    from datetime import UTC, datetime

    from sqlalchemy import insert

    n = len(texts)
    ids = chunk_ids(community, n)
    child = None
    if n >= CHILD_WRITES_CHROMA:
        child = _start_chroma_child(cp, community, vectors)
    else:
        cp.vectors.upsert(community, ids, vectors, [_META] * n)
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
            if child is not None and start % 100_000 == 0:
                _progress(f"SQL rows {start:,}/{n:,}")
        if child is not None:
            _progress("SQL rows written; waiting for Chroma")
            child.join()
            if child.exitcode != 0:
                raise SystemExit(f"the Chroma writer failed (exit code {child.exitcode})")
        written = generations.bump(s, community)
    if isinstance(cp.vectors, SnapshotVectorStore):
        cp.vectors.publish(community, written)  # too large for a snapshot: Chroma's HNSW
    return ids


def _progress(what: str) -> None:
    import sys
    import time

    print(f"  [{time.strftime('%H:%M:%S')}] {what}", file=sys.stderr, flush=True)


def _start_chroma_child(cp: Copilot, community: str, vectors: Vectors) -> Any:
    import multiprocessing

    filename = getattr(vectors, "filename", None)
    if filename is None:  # not a memory map: hand the child a file, not 2 GB of pickle
        filename = cp.settings.data_dir / f"bench-{community}-vectors.npy"
        np.save(filename, np.asarray(vectors, dtype=np.float32), allow_pickle=False)
    # spawn, not fork: this process has the embedder's threads running.
    context = multiprocessing.get_context("spawn")
    child = context.Process(
        target=_write_chroma,
        args=(str(cp.settings.data_dir), cp.embedder.name, community, str(filename)),
    )
    child.start()
    return child


def _write_chroma(data_dir: str, embedder: str, community: str, filename: str) -> None:
    """In the child: upsert every vector through the product's Chroma adapter."""
    from copilot.config import Settings
    from copilot.retrieval.chroma import ChromaVectorStore, connect

    settings = Settings(data_dir=Path(data_dir), llm_provider="offline", _env_file=None)  # type: ignore[call-arg]
    store = ChromaVectorStore(connect(settings), embedder)
    vectors = np.load(filename, mmap_mode="r")
    n = len(vectors)
    ids = chunk_ids(community, n)
    step = 50_000
    for start in range(0, n, step):
        batch = slice(start, start + step)
        store.upsert(community, ids[batch], np.asarray(vectors[batch]), [_META] * len(ids[batch]))
        _progress(f"Chroma {min(n, start + step):,}/{n:,}")


def synthetic_vectors(embedder: Embedder, texts: list[str], out: Path | None = None) -> Vectors:
    """Vectors for `texts`: the first 10k embedded, the rest copies of those with small noise
    (a near-duplicate is as costly to index and to search as any other vector). With `out`,
    written block by block to that ``.npy`` file and returned as its memory map, so 1M
    vectors never need 4 GB of float64 noise at once."""
    n = len(texts)
    base = min(n, 10_000)
    embedded = embedder.embed([fold_chinese(t) for t in texts[:base]])
    if n == base:
        return embedded
    rng = np.random.default_rng(0)
    picks = rng.integers(0, base, n - base)
    if out is None:
        extra = embedded[picks] + rng.normal(0, 0.02, (n - base, embedded.shape[1]))
        extra /= np.linalg.norm(extra, axis=1, keepdims=True)
        return np.vstack([embedded, extra.astype(np.float32)])
    matrix = np.lib.format.open_memmap(
        out, mode="w+", dtype=np.float32, shape=(n, embedded.shape[1])
    )
    matrix[:base] = embedded
    block = 100_000
    for start in range(0, n - base, block):
        chosen = picks[start : start + block]
        extra = embedded[chosen] + rng.normal(0, 0.02, (len(chosen), embedded.shape[1]))
        extra /= np.linalg.norm(extra, axis=1, keepdims=True)
        matrix[base + start : base + start + len(chosen)] = extra
    matrix.flush()
    return matrix
