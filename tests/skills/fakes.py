"""Ports for skill unit tests: a scripted retriever and settings; no Chroma, no USE model."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from copilot.config import Settings
from copilot.retrieval.evidence import Evidence, ScoredUnit
from copilot.retrieval.hybrid import Retrieval, RetrievedChunk
from copilot.retrieval.question import read_question
from copilot.retrieval.units import Unit


def passage(n: int, text: str, *, source: str = "", kind: str = "playbook") -> RetrievedChunk:
    return RetrievedChunk(
        chunk_id=f"chunk-{n}",
        source=source or f"doc{n}.md",
        kind=kind,
        heading="",
        text=text,
        score=1.0 / (60 + n),
        similarity=0.8 - 0.1 * n,
        bm25=1.0,
        units=(Unit("sentence", text),),
    )


@dataclass
class ScriptedRetriever:
    """Returns the same passages and confidence for every query; records the queries."""

    chunks: list[RetrievedChunk]
    confidence: float = 0.9
    queries: list[str] = field(default_factory=list)

    def search(
        self, community: str, query: str, *, top_k: int | None = None, kind: str | None = None
    ) -> Retrieval:
        self.queries.append(query)
        chunks = [c for c in self.chunks if kind is None or c.kind == kind][: top_k or 5]
        # The passages' own units, best first in the order given: the evidence a real retriever
        # would have scored.
        evidence = Evidence([ScoredUnit(i, 0, -float(i), {}) for i in range(len(chunks))], {})
        confidence = self.confidence if chunks else 0.0
        supported = confidence >= 0.5
        return Retrieval(
            query,
            chunks,
            confidence,
            evidence,
            read_question(query),
            supported,
            grounded_confidence=confidence,
            grounded=supported,
        )

    def prefetch(self, queries: list[str]) -> None:
        pass


def unit_settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path, llm_provider="offline", _env_file=None)  # type: ignore[call-arg]
