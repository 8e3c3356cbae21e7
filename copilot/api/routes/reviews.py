"""The operators' review queue: draft answers for chats in mode ``review`` wait here."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Annotated, Any

import anyio
from fastapi import APIRouter, Body, Path, Query
from pydantic import BaseModel, Field

from connectors.tables import ReviewStatus, decide_review, get_review, list_reviews, reopen_review
from copilot.api.deps import OperatorCommunity, WorkerDep
from copilot.api.errors import ApiError, error_responses
from copilot.store.db import Database

log = logging.getLogger("copilot.api.reviews")
router = APIRouter(prefix="/v1/communities/{community}/reviews", tags=["reviews"])
# SQL integer ids: anything outside 64-bit range is a 422, never a database error.
ReviewId = Annotated[int, Path(ge=1, le=2**63 - 1)]
ERRORS = error_responses(401, 403, 404, 409)


class ReviewOut(BaseModel):
    id: int
    platform: str
    chat_id: str
    user_id: str
    question: str
    draft: str
    citations: list[dict[str, Any]]
    status: ReviewStatus
    edited: str | None = None
    created_at: datetime


class ApproveIn(BaseModel):
    text: str | None = Field(
        default=None, max_length=8000, description="Edited answer to post instead of the draft."
    )


@router.get("", response_model=list[ReviewOut], responses=ERRORS)
async def reviews(
    community: OperatorCommunity,
    worker: WorkerDep,
    status: Annotated[ReviewStatus | None, Query()] = "pending",
) -> list[ReviewOut]:
    """Draft answers waiting for an operator (chats in mode `review`)."""
    items = await anyio.to_thread.run_sync(list_reviews, worker.db, community, status)
    return [ReviewOut.model_validate(i.model_dump()) for i in items]


@router.post("/{review_id}/approve", response_model=ReviewOut, responses=ERRORS)
async def approve(
    community: OperatorCommunity,
    review_id: ReviewId,
    worker: WorkerDep,
    body: Annotated[ApproveIn | None, Body()] = None,
) -> ReviewOut:
    """Post the draft (or your edited text) in the asker's thread, once."""
    edited = (body.text or "").strip() if body and body.text else None
    item = await anyio.to_thread.run_sync(
        lambda: decide_review(worker.db, community, review_id, "approved", edited)
    )
    if item is None:
        raise _not_pending(worker.db, community, review_id)
    citations = [] if edited else item.citations
    try:
        await worker.deliver_review(item.inbound(), edited or item.draft, citations)
    except Exception as exc:
        log.warning("posting approved review %s failed: %s", review_id, exc)
        await anyio.to_thread.run_sync(lambda: reopen_review(worker.db, review_id, community))
        raise ApiError(
            503,
            "the chat platform did not accept the message; the item is still "
            "pending, try again later",
        ) from None
    return ReviewOut.model_validate(item.model_dump())


@router.post("/{review_id}/reject", response_model=ReviewOut, responses=ERRORS)
async def reject(community: OperatorCommunity, review_id: ReviewId, worker: WorkerDep) -> ReviewOut:
    """Drop the draft; nothing is posted."""
    item = await anyio.to_thread.run_sync(
        lambda: decide_review(worker.db, community, review_id, "rejected")
    )
    if item is None:
        raise _not_pending(worker.db, community, review_id)
    return ReviewOut.model_validate(item.model_dump())


def _not_pending(db: Database, community: str, review_id: int) -> ApiError:
    if get_review(db, community, review_id) is None:
        return ApiError(404, "review item not found")
    return ApiError(409, "this review item was already decided")
