"""What a search returns: ranked chunks with their answer units, evidence and a confidence."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from copilot.embeddings import Vectors
from copilot.retrieval.units import Unit

if TYPE_CHECKING:
    from copilot.retrieval.evidence import Evidence
    from copilot.retrieval.question import QuestionProfile


@dataclass(frozen=True)
class RetrievedChunk:
    """A chunk as retrieved for one query, with the evidence behind its rank."""

    chunk_id: str
    source: str
    kind: str
    heading: str
    text: str
    score: float  # fused rank score
    similarity: float  # cosine similarity to the query (0 when only BM25 found it)
    bm25: float
    meta: dict[str, object] = field(default_factory=dict)
    units: tuple[Unit, ...] = ()  # answer units, cut and embedded at ingest
    unit_vectors: Vectors | None = None  # one row per unit (None: indexed before units existed)
    unit_tokens: tuple[frozenset[str], ...] = ()
    tokens: frozenset[str] = frozenset()  # the chunk's BM25 tokens
    position: int = 0  # its place in its source, in document order


@dataclass(frozen=True)
class Retrieval:
    """Ranked chunks plus a calibrated confidence that they can answer the query."""

    query: str
    chunks: list[RetrievedChunk]
    confidence: float
    evidence: Evidence | None = None
    question: QuestionProfile | None = None
    supported: bool = False  # confidence reaches the handoff threshold: answer, don't hand off
    # The same decision for an answer written by an LLM from all the passages: they hold it.
    grounded_confidence: float = 0.0
    grounded: bool = False
    # Chunks next to the top ones in their documents (units only, unscored): where a list that
    # a top chunk introduces or begins goes on. Loaded only when the question asks for a list.
    neighbours: tuple[RetrievedChunk, ...] = ()
