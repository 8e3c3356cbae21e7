"""FAQ candidates mined from the chat: list, refresh, approve (with edits) or reject."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Body, Path, Query, Request
from pydantic import BaseModel, Field

from copilot.api.deps import CopilotDep, OperatorCommunity, run_sync
from copilot.api.errors import ApiError, error_responses
from copilot.skills.faq import FaqEntry, list_entries

router = APIRouter(prefix="/v1/communities/{community}/faq", tags=["faq"])
ERRORS = error_responses(401, 403, 404, 422, 429)
FaqId = Annotated[str, Path(max_length=64, description="From GET faq.")]


class RefreshOut(BaseModel):
    new: int = Field(description="Candidates found that were not in the queue yet.")


class FaqEditIn(BaseModel):
    question: str | None = Field(default=None, max_length=2000)
    answer: str | None = Field(default=None, max_length=8000)


@router.get("", response_model=list[FaqEntry], responses=ERRORS)
async def faq_candidates(
    request: Request,
    community: OperatorCommunity,
    copilot: CopilotDep,
    status: Annotated[Literal["pending", "approved", "rejected"] | None, Query()] = "pending",
) -> list[FaqEntry]:
    """Question → answer pairs mined from the chat, most often asked first."""
    return await run_sync(request, list_entries, copilot.db, community, status)


@router.post("/refresh", response_model=RefreshOut, responses=ERRORS)
async def faq_refresh(
    request: Request, community: OperatorCommunity, copilot: CopilotDep
) -> RefreshOut:
    """Mine the stored chat again; decisions already made are kept."""
    return RefreshOut(new=await run_sync(request, copilot.faq_refresh, community))


async def _decide(
    request: Request,
    copilot: CopilotDep,
    community: str,
    faq_id: str,
    status: str,
    **edits: str | None,
) -> FaqEntry:
    known = await run_sync(request, list_entries, copilot.db, community)
    if not any(e.id == faq_id for e in known):
        raise ApiError(404, f"no FAQ candidate '{faq_id}' in this community")
    return await run_sync(request, copilot.faq_decide, community, faq_id, status, **edits)


@router.post("/{faq_id}/approve", response_model=FaqEntry, responses=ERRORS)
async def faq_approve(
    request: Request,
    community: OperatorCommunity,
    copilot: CopilotDep,
    faq_id: FaqId,
    body: Annotated[FaqEditIn | None, Body()] = None,
) -> FaqEntry:
    """Accept the pair (or your edited question and answer); approved pairs are indexed as
    knowledge, so the copilot answers from them."""
    edits = body or FaqEditIn()
    return await _decide(
        request,
        copilot,
        community,
        faq_id,
        "approved",
        question=edits.question,
        answer=edits.answer,
    )


@router.post("/{faq_id}/reject", response_model=FaqEntry, responses=ERRORS)
async def faq_reject(
    request: Request, community: OperatorCommunity, copilot: CopilotDep, faq_id: FaqId
) -> FaqEntry:
    """Drop the pair; it stays rejected when the chat is mined again."""
    return await _decide(request, copilot, community, faq_id, "rejected")
