"""Output models shared by skills (the JSON contract of DESIGN.md §4)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Mode = Literal["offline", "llm", "offline-fallback"]


class Citation(BaseModel):
    source: str
    chunk_id: str
    score: float
    snippet: str


class RetrievedRef(BaseModel):
    """One entry of the ranked retrieval list (for evals' IR metrics)."""

    chunk_id: str
    source: str
    score: float


class Provenance(BaseModel):
    """What produced an output: the mode, prompt version and model, and the tokens spent."""

    mode: Mode = "offline"
    prompt: str = ""
    model: str = "offline"
    usage: dict[str, int] = Field(default_factory=dict)


class AnswerResult(Provenance):
    answer: str
    citations: list[Citation]
    confidence: float
    handoff: bool
    language: str
    retrieved: list[RetrievedRef] = Field(default_factory=list)
