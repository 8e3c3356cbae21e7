"""Hybrid retriever: Chroma vectors + BM25 (jieba), fused by reciprocal rank, per community."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from copilot.config import Settings
from copilot.embeddings import Embedder, Vectors
from copilot.retrieval.evidence import Evidence, score_units
from copilot.retrieval.keyword import KeywordIndex, KeywordIndexes
from copilot.retrieval.lexicon import translated_tokens
from copilot.retrieval.models import LinearModel, load_models
from copilot.retrieval.question import QuestionProfile, read_question
from copilot.retrieval.results import Retrieval, RetrievedChunk
from copilot.retrieval.stored import StoredChunk, StoredChunks
from copilot.retrieval.units import announces_list, sentence_units
from copilot.retrieval.vector_store import VectorStore
from copilot.store.db import Database
from copilot.store.generations import generation, generations
from copilot.text import fold_chinese, tokenize

__all__ = ["HybridRetriever", "Retrieval", "RetrievedChunk"]

QUERY_CACHE_SIZE = 2048
NEIGHBOUR_SOURCES = 3  # top chunks whose documents are read on for a list
NEIGHBOUR_SPAN = 6  # chunks after the last top chunk of a document that a list may run into
NEIGHBOUR_GAP = 4 * NEIGHBOUR_SPAN  # top chunks this close share one span of neighbours
RERANK_POOL = 12  # fused candidates whose units are scored before the top-k is cut


class HybridRetriever:
    """Search one community's knowledge; never touches another community's collection."""

    def __init__(
        self, settings: Settings, db: Database, embedder: Embedder, vectors: VectorStore
    ) -> None:
        self._settings = settings
        self._db = db
        self._embedder = embedder
        self._vectors = vectors
        self.keyword = KeywordIndexes(db)  # BM25 and chunk places, per index generation
        self._lock = threading.Lock()
        self._refreshing = threading.Lock()
        # The generations our vectors are at: read before the store's first query (an embedded
        # Chroma loads a collection then), so a write after this is never missed.
        self._seen: dict[str, int] = generations(db)
        self._query_vectors: OrderedDict[str, Vectors] = OrderedDict()
        self._stored = StoredChunks(db, embedder.dimension)
        self.models = load_models()  # the fitted ranker and answerability model (replaceable)

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
        """Top-k chunks for `query`, re-ranked by their best answer unit, with the evidence and
        the answerability model's confidence that they answer it."""
        k = top_k or self._settings.top_k
        n = max(self._settings.candidate_k, k)
        question = read_question(query)
        query_vector = self._query_vector(fold_chinese(query))
        current = self._up_to_date(community)
        vector_hits = self._vectors.query(community, query_vector, n)
        keyword = self.keyword.get(community, current)
        # Words the community never writes are looked up in the other language ("refund" → 退款).
        extra = translated_tokens(question.tokens, keyword.bm25)
        bm25_hits = keyword.bm25.search([*question.tokens, *extra], n)

        fused: dict[str, float] = {}
        for hits in (vector_hits, bm25_hits):
            for cid, rank in _tied_ranks(hits).items():
                fused[cid] = fused.get(cid, 0.0) + 1.0 / (self._settings.rrf_k + rank + 1)
        similarity = dict(vector_hits)
        bm25 = dict(bm25_hits)

        # The SQL table decides what exists: vectors left over from a crashed ingest are ignored.
        places = keyword.places
        # Ties go by where the chunk sits in its document, not by its id: an id hashes the source
        # path, and the same knowledge must answer the same wherever it was ingested from.
        ranked = sorted(
            (cid for cid in fused if cid in places),
            key=lambda c: (-fused[c], *places[c][:2], c),  # source, position
        )
        ranked = [cid for cid in ranked if kind is None or places[cid][2] == kind]
        stored = self._stored.get(community, current, ranked[: max(k, RERANK_POOL)])
        pool = [cid for cid in ranked[: max(k, RERANK_POOL)] if cid in stored]
        candidates = [
            self._retrieved(
                cid,
                stored[cid],
                score=fused[cid],
                similarity=similarity.get(cid, 0.0),
                bm25=bm25.get(cid, 0.0),
                tokens=stored[cid].tokens,
            )
            for cid in pool
        ]
        models = self.models
        evidence = score_units(
            question,
            query_vector,
            candidates,
            keyword.bm25,
            models.ranker,
            vector_top=vector_hits[0][0] if vector_hits else None,
            bm25_top=bm25_hits[0][0] if bm25_hits else None,
        )
        # Chunks in the order of their best unit: the ranker has seen both retrievers' ranks.
        best: dict[int, float] = {}
        for scored in evidence.units:
            best.setdefault(scored.chunk, scored.score)
        order = sorted(range(len(candidates)), key=lambda i: (-best.get(i, -1e9), i))[:k]
        chunks = [candidates[i] for i in order]
        evidence = evidence.restricted_to({old: new for new, old in enumerate(order)})
        confidence = models.answerability.probability(evidence.features) if chunks else 0.0
        grounded_confidence = models.support.probability(evidence.features) if chunks else 0.0
        override = self._settings.handoff_threshold
        supported = bool(chunks) and confidence >= _threshold(override, models.answerability)
        grounded = bool(chunks) and grounded_confidence >= _threshold(override, models.support)
        neighbours = (
            self._neighbours(community, current, keyword, chunks)
            if _may_list(question, evidence, chunks)
            else ()
        )
        return Retrieval(
            query,
            chunks,
            round(confidence, 4),
            evidence,
            question,
            supported,
            grounded_confidence=round(grounded_confidence, 4),
            grounded=grounded,
            neighbours=neighbours,
        )

    def _neighbours(
        self, community: str, current: int, keyword: KeywordIndex, chunks: list[RetrievedChunk]
    ) -> tuple[RetrievedChunk, ...]:
        """The chunks just after the top document chunks (where their lists go on), units only."""
        positions: dict[str, list[int]] = {}
        for chunk in chunks[:NEIGHBOUR_SOURCES]:
            if chunk.kind != "chat":
                positions.setdefault(chunk.source, []).append(chunk.position)
        spans = [
            (source, low, high)
            for source, found in positions.items()
            for low, high in _spans(sorted(found))
        ]
        if not spans:
            return ()
        have = {c.chunk_id for c in chunks}
        ids = dict.fromkeys(  # spans never overlap; this is only in case
            cid
            for source, low, high in spans
            for cid in keyword.ids_between(source, low - 1, high + NEIGHBOUR_SPAN)
        )
        wanted = [cid for cid in ids if cid not in have]
        stored = self._stored.get(community, current, wanted)
        return tuple(
            self._retrieved(cid, stored[cid], score=0.0, similarity=0.0, bm25=0.0)
            for cid in sorted(
                (c for c in wanted if c in stored and stored[c].units is not None),
                key=lambda c: (stored[c].source, stored[c].position),
            )
        )

    def _retrieved(self, cid: str, chunk: StoredChunk, **scores: Any) -> RetrievedChunk:
        units = chunk.units
        return RetrievedChunk(
            chunk_id=cid,
            source=chunk.source,
            kind=chunk.kind,
            heading=chunk.heading,
            text=chunk.text,
            meta=dict(chunk.meta),
            position=chunk.position,
            **scores,
            **(
                {"units": units.units, "unit_vectors": units.vectors, "unit_tokens": units.tokens}
                if units is not None
                else self._units_on_the_fly(chunk.text)
            ),
        )

    def _units_on_the_fly(self, text: str) -> dict[str, Any]:
        """Sentence units for a chunk indexed before units were stored (costs an embedding)."""
        units = tuple(sentence_units(text))
        vectors = self._embedder.embed([fold_chinese(u.text) for u in units])
        tokens = tuple(frozenset(tokenize(u.text)) for u in units)
        return {"units": units, "unit_vectors": vectors, "unit_tokens": tokens}

    def _up_to_date(self, community: str) -> int:
        """The community's index generation, after reloading the vectors when another process
        (a CLI ingest, another API worker) wrote since we loaded them."""
        current = generation(self._db, community)
        if self._seen.get(community, 0) == current:
            return current
        with self._refreshing:  # one thread reloads; the others then find it done
            if self._seen.get(community, 0) != current:
                seen = generations(self._db)  # read first: what we reload is at least this new
                self._vectors.refresh()
                with self._lock:
                    self._seen = seen
        return current

    def wrote(self, community: str, written: int) -> None:
        """This process wrote the community's index (now at generation `written`): its vectors
        are already in our store, so no reload is due unless another process wrote too."""
        with self._lock:
            if self._seen.get(community, 0) == written - 1:
                self._seen[community] = written


def _threshold(override: float | None, model: LinearModel) -> float:
    """The configured handoff threshold, else the one fitted with the model."""
    return model.threshold if override is None else override


def _tied_ranks(hits: list[tuple[str, float]]) -> dict[str, int]:
    """Rank of each hit (best first), equal scores sharing a rank: the same text in two files
    (a simplified and a traditional copy) scores the same and must fuse the same."""
    ranks: dict[str, int] = {}
    previous: float | None = None
    rank = 0
    for position, (cid, score) in enumerate(hits):
        if previous is None or score < previous:
            rank = position
        ranks[cid] = rank
        previous = score
    return ranks


def _spans(positions: list[int]) -> list[tuple[int, int]]:
    """Sorted top-chunk positions of one document as (first, last) spans: close ones share a
    span (and the chunks between them), far ones do not. One span from the first to the last
    top chunk read a whole large document (25k chunks: 4 s) when its top chunks were far apart."""
    spans: list[tuple[int, int]] = []
    for position in positions:
        if spans and position - spans[-1][1] <= NEIGHBOUR_GAP:
            spans[-1] = (spans[-1][0], position)
        else:
            spans.append((position, position))
    return spans


def _may_list(question: QuestionProfile, evidence: Evidence, chunks: list[RetrievedChunk]) -> bool:
    """Should the answer look for a list: the question asks for one, the best unit
    introduces one ("特点如下："), or it is a sub-heading in a section overview (its section's
    list is the answer)?"""
    best = evidence.best
    if best is None or not chunks:
        return False
    chunk = chunks[best.chunk]
    unit = chunk.units[best.unit]
    if unit.kind == "item" and chunk.meta.get("overview"):
        return True
    return unit.kind in ("sentence", "item") and (question.wants_list or announces_list(unit.text))
