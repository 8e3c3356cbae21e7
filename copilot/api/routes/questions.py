"""The question queue and answer feedback: what the copilot could not answer waits here for an
operator, whose answer becomes knowledge (and is posted back where the question was asked)."""

from __future__ import annotations

import logging
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from copilot.api.deps import (
    CopilotDep,
    MemberCommunity,
    OperatorCommunity,
    PrincipalDep,
    WorkerDep,
    run_sync,
)
from copilot.api.errors import ApiError, error_responses
from copilot.keys import Role
from copilot.skills.questions import FeedbackOutcome, Origin, QuestionItem, Status
from copilot.skills.questions.knowledge import MAX_ANSWER_CHARS

log = logging.getLogger("copilot.api.questions")
router = APIRouter(prefix="/v1/communities/{community}", tags=["questions"])
ERRORS = error_responses(401, 403, 404, 422, 429)
QuestionId = Annotated[str, Path(max_length=32, pattern=r"^q_[0-9a-f]{1,28}$")]


class AnswerIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(
        min_length=1, max_length=MAX_ANSWER_CHARS, description="What the members should know."
    )


class MergeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    into: str = Field(max_length=32, description="The item that keeps both items' askings.")


class FeedbackIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    answer_id: str = Field(max_length=32, description="`answer_id` from the answer JSON.")
    rating: Literal["up", "down"]
    comment: str = Field(default="", max_length=2000)
    correction: str | None = Field(
        default=None,
        max_length=MAX_ANSWER_CHARS,
        description="Operators only: the right answer, which replaces this one from now on.",
    )


@router.get("/questions", response_model=list[QuestionItem], responses=ERRORS)
async def questions(
    request: Request,
    community: OperatorCommunity,
    copilot: CopilotDep,
    status: Annotated[Status | None, Query(description="open, answered or dismissed.")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[QuestionItem]:
    """Handed-off and unanswered questions, most asked and most recent first."""
    return await run_sync(request, copilot.questions, community, status, limit)


@router.get("/questions/{question_id}", response_model=QuestionItem, responses=ERRORS)
async def question(
    request: Request, community: OperatorCommunity, question_id: QuestionId, copilot: CopilotDep
) -> QuestionItem:
    """One item with where and when it was asked; an open one with `suggested`, the cited
    draft the knowledge offers for it (to check and edit, never sent by itself)."""
    return await run_sync(request, copilot.question_item, community, question_id)


class AnsweredOut(QuestionItem):
    posted_back: int = Field(
        description="Chats the answer was posted back to (or queued for review in)."
    )


@router.post("/questions/{question_id}/answer", response_model=AnsweredOut, responses=ERRORS)
async def answer(
    request: Request,
    community: OperatorCommunity,
    question_id: QuestionId,
    body: AnswerIn,
    copilot: CopilotDep,
    principal: PrincipalDep,
    worker: WorkerDep,
) -> AnsweredOut:
    """Answer the item: the answer becomes approved knowledge, cited in later answers, and is
    posted back in the chats that asked it (mentioning the asker; review-mode chats get it in
    the review queue)."""
    item = await run_sync(
        request,
        copilot.answer_question_item,
        community,
        question_id,
        body.text,
        by=f"key:{principal.key_id}",
    )
    try:
        posted = await worker.questions.post_back(community, item.id, item.answer)
    except Exception as exc:  # the answer is stored; the chats can be told again later
        log.warning("posting the answer to %s back failed: %s", item.id, exc)
        posted = 0
    return AnsweredOut(**item.model_dump(), posted_back=posted)


@router.post("/questions/{question_id}/dismiss", response_model=QuestionItem, responses=ERRORS)
async def dismiss(
    request: Request, community: OperatorCommunity, question_id: QuestionId, copilot: CopilotDep
) -> QuestionItem:
    """Off-topic or spam: out of the queue (and out of the knowledge if it was answered)."""
    return await run_sync(request, copilot.dismiss_question_item, community, question_id)


@router.post("/questions/{question_id}/merge", response_model=QuestionItem, responses=ERRORS)
async def merge(
    request: Request,
    community: OperatorCommunity,
    question_id: QuestionId,
    body: MergeIn,
    copilot: CopilotDep,
) -> QuestionItem:
    """The same question twice: fold this item into `into` (counts and askings add up)."""
    return await run_sync(request, copilot.merge_question_items, community, question_id, body.into)


@router.post("/feedback", response_model=FeedbackOutcome, responses=ERRORS)
async def feedback(
    request: Request,
    community: MemberCommunity,
    body: FeedbackIn,
    copilot: CopilotDep,
    principal: PrincipalDep,
) -> FeedbackOutcome:
    """Rate an answer. A thumbs-down puts its question back in the operators' queue."""
    if body.correction is not None and not principal.role.allows(Role.operator):
        raise ApiError(
            403, f"a correction needs the operator role; your key has the {principal.role} role"
        )
    return await run_sync(
        request,
        copilot.feedback,
        community,
        body.answer_id,
        body.rating,
        comment=body.comment,
        correction=body.correction,
        by=f"key:{principal.key_id}",
        origin=Origin(channel="api", asker=f"key:{principal.key_id}"),
    )
