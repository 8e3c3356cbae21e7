"""The skills of one community: ask (members), drafts, summaries, activities, stats (operators)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from copilot.analytics.report import HealthReport
from copilot.api.deps import (
    CopilotDep,
    MemberCommunity,
    MetricsDep,
    OperatorCommunity,
    run_sync,
)
from copilot.api.errors import error_responses
from copilot.api.schemas import ActivitiesIn, AnswerOut, AskIn, DraftIn, SummaryIn
from copilot.api.streaming import SSE_RESPONSE, stream_work, wants_stream
from copilot.models import assume_utc
from copilot.skills.results import DraftResult, SuggestResult, SummaryResult

router = APIRouter(prefix="/v1/communities", tags=["skills"])
ERRORS = error_responses(401, 403, 404, 409, 413, 422, 429)
STREAMABLE = {
    **ERRORS,
    200: {
        "content": SSE_RESPONSE,
        "description": (
            "The result; with `Accept: text/event-stream`, `started`, then `result` or "
            "`error` events."
        ),
    },
}


def utc(moment: datetime | None) -> datetime | None:
    """A time without a zone is taken as UTC (chat exports store UTC)."""
    return None if moment is None else assume_utc(moment)


@router.post("/{community}/ask", response_model=AnswerOut, responses=ERRORS)
async def ask(
    request: Request,
    body: AskIn,
    community: MemberCommunity,
    copilot: CopilotDep,
    metrics: MetricsDep,
) -> AnswerOut:
    """Answer from the community's knowledge with sources, or hand off to a moderator."""
    result = await run_sync(request, copilot.ask, community, body.question, top_k=body.top_k)
    metrics.observe_result("ask", result)
    return AnswerOut(**result.model_dump())


@router.post("/{community}/summaries", response_model=SummaryResult, responses=STREAMABLE)
async def summarize(
    request: Request,
    body: SummaryIn,
    community: OperatorCommunity,
    copilot: CopilotDep,
    metrics: MetricsDep,
) -> Any:
    """Topics, decisions, action items, open questions and mood of the chat in a window."""

    def work() -> SummaryResult:
        return copilot.summarize(
            community,
            since=utc(body.since),
            until=utc(body.until),
            channel=body.channel,
            language=body.language,
        )

    return await _respond(request, "summarize", work, metrics)


@router.post("/{community}/drafts", response_model=DraftResult, responses=STREAMABLE)
async def draft(
    request: Request,
    body: DraftIn,
    community: OperatorCommunity,
    copilot: CopilotDep,
    metrics: MetricsDep,
) -> Any:
    """A post (announcement, welcome, promotion, digest, ...) drafted from the knowledge, with
    citations and the channel's format checks."""

    def work() -> DraftResult:
        return copilot.draft(
            community,
            kind=body.kind,
            topic=body.topic,
            channel=body.channel,
            tone=body.tone,
            language=body.language,
            variants=body.variants,
        )

    return await _respond(request, "draft", work, metrics)


@router.post("/{community}/activities", response_model=SuggestResult, responses=STREAMABLE)
async def activities(
    request: Request,
    body: ActivitiesIn,
    community: OperatorCommunity,
    copilot: CopilotDep,
    metrics: MetricsDep,
) -> Any:
    """Activity ideas ranked for the community's type, goals, measured health and the date."""

    def work() -> SuggestResult:
        return copilot.suggest(community, today=body.today, limit=body.limit)

    return await _respond(request, "suggest", work, metrics)


async def _respond(
    request: Request, skill: str, work: Callable[[], Any], metrics: MetricsDep
) -> Any:
    """Stream the result as SSE when the client asks for it, else return it; record metrics."""
    if wants_stream(request):
        return stream_work(request, work, lambda r: metrics.observe_result(skill, r))
    result = await run_sync(request, work)
    metrics.observe_result(skill, result)
    return result


@router.get("/{community}/stats", response_model=HealthReport, responses=ERRORS)
async def stats(
    request: Request,
    community: OperatorCommunity,
    copilot: CopilotDep,
    since: Annotated[
        datetime | None,
        Query(description=("Start of the period; default: 30 days before the last message.")),
    ] = None,
) -> HealthReport:
    """Community health from the stored chat: activity, silent and new members, questions."""
    return await run_sync(request, copilot.stats, community, since=utc(since))
