"""Hybrid retriever: Chroma vectors + BM25 (jieba), fused by reciprocal rank, per community."""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from sqlalchemy import func, select

from copilot.config import Settings
from copilot.embeddings import Embedder, Vectors
from copilot.retrieval.bm25 import Bm25Index
from copilot.retrieval.vector_store import VectorStore
from copilot.store.db import Database
from copilot.store.tables import ChunkRow, DocumentRow
from copilot.text import fold_chinese, tokenize

CHAT_DISCOUNT = 0.08
QUERY_CACHE_SIZE = 2048
UNKNOWN_TERM_SIMILARITY = 0.40
MIN_VOCABULARY_FOR_UNKNOWN_TERMS = 500
# Interrogatives and modal words say what kind of answer is wanted, not what it is about.
QUESTION_WORDS = frozenset(
    "应该 几 几点 几级 几个 哪几 哪几个 哪些 方面 注意 指 是否 需要 比较 一般 合适 "
    "时候 具体 主要 容易 多少 什么 怎么办 处理 可以 能 要 有 做".split()
)


@dataclass(frozen=True)
class RetrievedChunk:
    """A chunk as retrieved for one query, with the evidence behind its rank."""

    chunk_id: str
    source: str
    kind: str
    heading: str
    text: str
    score: float  # fused RRF score
    similarity: float  # cosine similarity to the query (0 when only BM25 found it)
    bm25: float
    meta: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Retrieval:
    """Ranked chunks plus a calibrated confidence that they can answer the query."""

    query: str
    chunks: list[RetrievedChunk]
    confidence: float


class HybridRetriever:
    """Search one community's knowledge; never touches another community's collection."""

    def __init__(
        self, settings: Settings, db: Database, embedder: Embedder, vectors: VectorStore
    ) -> None:
        self._settings = settings
        self._db = db
        self._embedder = embedder
        self._vectors = vectors
        self._bm25: dict[str, tuple[tuple[int, str], Bm25Index]] = {}
        self._lock = threading.Lock()
        self._query_vectors: OrderedDict[str, Vectors] = OrderedDict()

    def prefetch(self, queries: list[str]) -> None:
        """Embed many queries in one batch (much faster than one by one) for later searches."""
        folded = [
            q
            for q in dict.fromkeys(fold_chinese(q) for q in queries)
            if q not in self._query_vectors
        ]
        if folded:
            for query, vector in zip(folded, self._embedder.embed(folded), strict=True):
                self._remember(query, vector)

    def _query_vector(self, folded: str) -> Vectors:
        with self._lock:
            cached = self._query_vectors.get(folded)
        if cached is not None:
            return cached
        vector = self._embedder.embed([folded])[0]
        self._remember(folded, vector)
        return vector

    def _remember(self, folded: str, vector: Vectors) -> None:
        # Members ask the same questions again and again; a small LRU spares the embedder.
        with self._lock:
            self._query_vectors[folded] = vector
            self._query_vectors.move_to_end(folded)
            while len(self._query_vectors) > QUERY_CACHE_SIZE:
                self._query_vectors.popitem(last=False)

    def search(
        self, community: str, query: str, *, top_k: int | None = None, kind: str | None = None
    ) -> Retrieval:
        k = top_k or self._settings.top_k
        n = max(self._settings.candidate_k, k)
        folded = fold_chinese(query)
        query_tokens = tokenize(query)
        vector_hits = self._vectors.query(community, self._query_vector(folded), n)
        bm25_index = self._bm25_index(community)
        bm25_hits = bm25_index.search(query_tokens, n)

        fused: dict[str, float] = {}
        for hits in (vector_hits, bm25_hits):
            for rank, (cid, _) in enumerate(hits):
                fused[cid] = fused.get(cid, 0.0) + 1.0 / (self._settings.rrf_k + rank + 1)
        similarity = dict(vector_hits)
        bm25 = dict(bm25_hits)

        # The SQL table decides what exists: vectors left over from a crashed ingest are ignored.
        rows = self._rows(community, list(fused))
        ranked = sorted((cid for cid in fused if cid in rows), key=lambda c: (-fused[c], c))
        chunks = [
            RetrievedChunk(
                chunk_id=cid,
                source=rows[cid].source,
                kind=rows[cid].kind,
                heading=rows[cid].heading,
                text=rows[cid].text,
                score=fused[cid],
                similarity=similarity.get(cid, 0.0),
                bm25=bm25.get(cid, 0.0),
                meta=dict(rows[cid].meta or {}),
            )
            for cid in ranked
            if kind is None or rows[cid].kind == kind
        ][:k]
        return Retrieval(query, chunks, self._confidence(query_tokens, chunks, rows, bm25_index))

    def _confidence(
        self,
        query_tokens: list[str],
        chunks: list[RetrievedChunk],
        rows: dict[str, ChunkRow],
        bm25: Bm25Index,
    ) -> float:
        """Logistic map of semantic similarity and lexical evidence, in [0, 1].

        - similarity: best cosine of the top-3 chunks (chat windows discounted);
        - coverage: idf-weighted share of the question's content words found in the top-3;
        - unknown terms: content words the community never wrote at all ("抖音", "PayPal").
          A question about something the knowledge never mentions is handed off unless the
          passages are semantically very close.
        """
        if not chunks:
            return 0.0
        # Chat windows are weaker evidence than playbooks: an old chat line about "tomorrow"
        # must not make the copilot sure of itself.
        best_sim = max(
            c.similarity - (CHAT_DISCOUNT if c.kind == "chat" else 0.0) for c in chunks[:3]
        )
        wanted = {
            t for t in query_tokens if (len(t) > 1 or not t.isascii()) and t not in QUESTION_WORDS
        }
        coverage, unknown = 0.0, 0.0
        if wanted:
            found: set[str] = set()
            for chunk in chunks[:3]:
                found |= wanted & set(rows[chunk.chunk_id].tokens.split())
            weights = {t: bm25.idf(t) for t in wanted}
            coverage = sum(weights[t] for t in found) / sum(weights.values())
            unknown = _unknown_words(query_tokens, wanted, bm25)
        z = 10.0 * (best_sim - 0.30) + 3.0 * (coverage - 0.4)
        # In a small knowledge base most words are missing, so absence says little there.
        informative = bm25.vocabulary_size >= MIN_VOCABULARY_FOR_UNKNOWN_TERMS
        if informative and (unknown >= 2 or (unknown >= 1 and best_sim < UNKNOWN_TERM_SIMILARITY)):
            z -= 4.0
        return round(1.0 / (1.0 + math.exp(-z)), 4)

    def _rows(self, community: str, ids: list[str]) -> dict[str, ChunkRow]:
        if not ids:
            return {}
        with self._db.session() as session:
            rows = session.scalars(
                select(ChunkRow).where(ChunkRow.community == community, ChunkRow.id.in_(ids))
            ).all()
            return {row.id: row for row in rows}

    def _bm25_index(self, community: str) -> Bm25Index:
        with self._db.session() as session:
            count, latest = session.execute(
                select(func.count(), func.max(DocumentRow.ingested_at)).where(
                    DocumentRow.community == community, DocumentRow.status == "complete"
                )
            ).one()
        version = (int(count), str(latest))
        with self._lock:
            cached = self._bm25.get(community)
            if cached and cached[0] == version:
                return cached[1]
        with self._db.session() as session:
            pairs = session.execute(
                select(ChunkRow.id, ChunkRow.tokens)
                .where(ChunkRow.community == community)
                .order_by(ChunkRow.id)
            ).all()
        index = Bm25Index([cid for cid, _ in pairs], [tokens.split() for _, tokens in pairs])
        with self._lock:
            self._bm25[community] = (version, index)
        return index

    def invalidate(self, community: str) -> None:
        with self._lock:
            self._bm25.pop(community, None)


def _unknown_words(tokens: list[str], wanted: set[str], bm25: Bm25Index) -> float:
    """How many of the question's content words the community never wrote.

    Whole words count once even though search mode also yields their parts ("越多越好",
    "越多"). An unknown word jieba cannot segment arrives as single characters ("抖", "音"):
    a run of them is one unknown word; a lone character ("钱", "付") is weak evidence.
    """
    unseen = {t for t in wanted if not bm25.knows(t)}
    words = {
        t
        for t in unseen
        if (len(t) > 1 or t.isascii()) and not any(t != u and t in u for u in unseen)
    }
    mass, run = float(len(words)), 0
    for token in [*tokens, ""]:
        if len(token) == 1 and not token.isascii() and token in unseen:
            run += 1
            continue
        if run:
            mass += 1.0 if run >= 2 else 0.25
        run = 0
    return mass
