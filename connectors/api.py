"""HTTP surface of the connectors: platform webhooks and the operators' review queue.

A webhook is verified, parsed and acknowledged inside the request (platforms give 3-5 s);
the answer is produced afterwards by a background task (see ``worker.py``). Connectors are
built from ``COPILOT_<PLATFORM>_*`` at startup by this router's lifespan, which FastAPI merges
into the app's own.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Annotated, Any

import anyio
import httpx
from fastapi import APIRouter, Body, FastAPI, Path, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from copilot.api.deps import OperatorCommunity
from copilot.api.errors import CODES, ApiError, ErrorOut

from .base import ConnectorError, InboundMessage
from .registry import build_connectors
from .settings import ConnectorSettings
from .tables import ReviewRow, ReviewStatus, decide_review, get_review, list_reviews
from .worker import ConnectorWorker

log = logging.getLogger("connectors.api")
HOOKS = {
    "slack": "events",
    "telegram": "webhook",
    "discord": "interactions",
    "feishu": "events",
    "wecom": "callback",
    "dingtalk": "callback",
}
# SQL integer ids: anything outside 64-bit range is a 422, never a database error.
ReviewId = Annotated[int, Path(ge=1, le=2**63 - 1)]
ERRORS: dict[int | str, dict[str, Any]] = {c: {"model": ErrorOut} for c in (401, 403, 404, 409)}


def start_worker(app: FastAPI, http: httpx.AsyncClient | None = None) -> ConnectorWorker:
    """Build the enabled connectors and the worker over the app's Copilot (idempotent)."""
    worker: ConnectorWorker | None = getattr(app.state, "connector_worker", None)
    if worker is None:
        settings = getattr(app.state, "connector_settings", None) or ConnectorSettings()
        conns = build_connectors(settings, http)
        worker = ConnectorWorker(
            app.state.copilot, conns, capacity=getattr(app.state, "capacity", None)
        )
        app.state.connector_worker = worker
    return worker


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    async with httpx.AsyncClient(timeout=httpx.Timeout(10.0)) as http:
        worker = start_worker(app, http)
        for name, conn in worker.connectors.items():
            try:
                await conn.setup()
            except Exception as exc:  # the platform may be down; webhooks still verify
                log.warning("connector %s setup failed: %s", name, exc)
        recovered = worker.recover()
        if recovered:
            log.info("re-processing %d connector events left from before a restart", recovered)
        try:
            yield
        finally:
            with anyio.move_on_after(10):  # let in-flight answers finish; the log has the rest
                await worker.drain()
            app.state.connector_worker = None


router = APIRouter(lifespan=lifespan)


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse(
        {"error": {"code": CODES.get(status, "error"), "message": message}}, status_code=status
    )


async def _webhook(platform: str, request: Request) -> Response:
    worker = start_worker(request.app)
    conn = worker.connectors.get(platform)
    if conn is None:
        return _error(404, f"the {platform} connector is not configured on this server")
    body = await request.body()
    try:
        result, out = conn.handle(request.headers, body, dict(request.query_params))
    except ConnectorError as err:
        return _error(err.status, err.message)
    proof = conn.replay_key(request.headers)
    if proof and not await anyio.to_thread.run_sync(worker.first_use, platform, proof, body):
        return _error(401, f"this {platform} signature was already used for another request")
    # Recorded before the ack: once acked, the work survives a restart; a retry of the
    # same event id finds the row and is acked without a second answer.
    if isinstance(result, InboundMessage) and await anyio.to_thread.run_sync(worker.accept, result):
        worker.spawn(worker.process(result))
    return Response(out.body, out.status_code, out.headers, out.media_type)


def _hook_route(platform: str) -> Any:
    async def hook(request: Request) -> Response:
        return await _webhook(platform, request)

    hook.__name__ = f"{platform}_webhook"
    hook.__doc__ = f"{platform.capitalize()} webhook: verified, acknowledged, answered later."
    return hook


for _platform, _hook in HOOKS.items():
    # WeCom checks the URL with a GET (echostr) and delivers with POSTs.
    for _method in ("GET", "POST") if _platform == "wecom" else ("POST",):
        router.add_api_route(
            f"/connectors/{_platform}/{_hook}",
            _hook_route(_platform),
            methods=[_method],
            tags=["connectors"],
            operation_id=f"{_platform}_webhook_{_method.lower()}",
        )


# -- review queue ----------------------------------------------------------------------------
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


def _worker(request: Request) -> ConnectorWorker:
    return start_worker(request.app)


@router.get(
    "/v1/communities/{community}/reviews",
    response_model=list[ReviewOut],
    responses=ERRORS,
    tags=["reviews"],
)
async def reviews(
    request: Request,
    community: OperatorCommunity,
    status: Annotated[ReviewStatus | None, Query()] = "pending",
) -> list[ReviewOut]:
    """Draft answers waiting for an operator (chats in mode `review`)."""
    items = await anyio.to_thread.run_sync(list_reviews, _worker(request).db, community, status)
    return [ReviewOut.model_validate(i.model_dump()) for i in items]


@router.post(
    "/v1/communities/{community}/reviews/{review_id}/approve",
    response_model=ReviewOut,
    responses=ERRORS,
    tags=["reviews"],
)
async def approve(
    request: Request,
    community: OperatorCommunity,
    review_id: ReviewId,
    body: Annotated[ApproveIn | None, Body()] = None,
) -> ReviewOut:
    """Post the draft (or your edited text) in the asker's thread, once."""
    worker = _worker(request)
    edited = (body.text or "").strip() if body and body.text else None
    item = await anyio.to_thread.run_sync(
        lambda: decide_review(worker.db, community, review_id, "approved", edited)
    )
    if item is None:
        raise _not_pending(worker, community, review_id)
    citations = [] if edited else item.citations
    try:
        await worker.deliver_review(item.inbound(), edited or item.draft, citations)
    except Exception as exc:
        log.warning("posting approved review %s failed: %s", review_id, exc)
        await anyio.to_thread.run_sync(lambda: _reopen(worker, community, review_id))
        raise ApiError(
            503,
            "the chat platform did not accept the message; the item is still "
            "pending, try again later",
        ) from None
    return ReviewOut.model_validate(item.model_dump())


@router.post(
    "/v1/communities/{community}/reviews/{review_id}/reject",
    response_model=ReviewOut,
    responses=ERRORS,
    tags=["reviews"],
)
async def reject(request: Request, community: OperatorCommunity, review_id: ReviewId) -> ReviewOut:
    """Drop the draft; nothing is posted."""
    worker = _worker(request)
    item = await anyio.to_thread.run_sync(
        lambda: decide_review(worker.db, community, review_id, "rejected")
    )
    if item is None:
        raise _not_pending(worker, community, review_id)
    return ReviewOut.model_validate(item.model_dump())


def _not_pending(worker: ConnectorWorker, community: str, review_id: int) -> ApiError:
    if get_review(worker.db, community, review_id) is None:
        return ApiError(404, "review item not found")
    return ApiError(409, "this review item was already decided")


def _reopen(worker: ConnectorWorker, community: str, review_id: int) -> None:
    with worker.db.session() as s:
        row = s.get(ReviewRow, review_id)
        if row is not None and row.community == community:
            row.status, row.edited = "pending", None
