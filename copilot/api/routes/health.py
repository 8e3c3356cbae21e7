"""Liveness and Prometheus metrics (no key needed; no community data in either)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from sqlalchemy import text

from copilot.api.deps import CopilotDep, MetricsDep, run_sync
from copilot.api.errors import ApiError
from copilot.api.schemas import HealthOut

router = APIRouter(tags=["operations"])


@router.get("/healthz", response_model=HealthOut)
async def healthz(request: Request, copilot: CopilotDep) -> HealthOut:
    """The server is up and its database answers."""

    def ping() -> None:
        with copilot.db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    try:
        await run_sync(request, ping)
    except Exception as exc:
        raise ApiError(503, "the database is not reachable") from exc
    return HealthOut(
        status="ok", mode="offline" if copilot.settings.offline else "llm", database="ok"
    )


@router.get(
    "/metrics",
    response_class=Response,
    responses={200: {"content": {"text/plain": {}}, "description": "Prometheus text."}},
)
async def metrics(metrics: MetricsDep) -> Response:
    """Requests, latency, LLM tokens and errors, offline fallbacks (Prometheus text format)."""
    body, content_type = metrics.render()
    return Response(body, media_type=content_type)
