"""Hit testing: what a question retrieves from the knowledge, before anything is answered."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from copilot.api.deps import CopilotDep, OperatorCommunity, run_sync
from copilot.api.errors import error_responses

router = APIRouter(prefix="/v1/communities", tags=["knowledge"])
ERRORS = error_responses(401, 403, 404, 409, 413, 422, 429)


class SearchIn(BaseModel):
    question: str = Field(min_length=1, max_length=20_000)
    top_k: int | None = Field(default=None, ge=1, le=50)


class Passage(BaseModel):
    chunk_id: str
    source: str
    heading: str
    text: str
    score: float = Field(description="Fused rank score (vectors + BM25).")
    similarity: float = Field(description="Cosine similarity to the question (0: BM25 only).")
    bm25: float


class SearchOut(BaseModel):
    question: str
    confidence: float = Field(description="Calibrated probability that the passages answer it.")
    handoff: bool = Field(description="True when an ask would hand off instead of answering.")
    passages: list[Passage]


@router.post("/{community}/search", response_model=SearchOut, responses=ERRORS)
async def search(
    request: Request, body: SearchIn, community: OperatorCommunity, copilot: CopilotDep
) -> SearchOut:
    """The passages an ask would retrieve, with their scores, the confidence and whether it
    would hand off (hit testing, as in Dify or MaxKB)."""
    found = await run_sync(request, copilot.search, community, body.question, top_k=body.top_k)
    return SearchOut(
        question=found.query,
        confidence=found.confidence,
        handoff=not found.supported,
        passages=[
            Passage(
                chunk_id=c.chunk_id,
                source=c.source,
                heading=c.heading,
                text=c.text,
                score=round(c.score, 6),
                similarity=round(c.similarity, 4),
                bm25=round(c.bm25, 4),
            )
            for c in found.chunks
        ],
    )
