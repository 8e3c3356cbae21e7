"""The overview: the community's name, its sources, and its health as pictures."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from copilot.api.console.charts import health_charts
from copilot.api.console.web import PREFIX, Session, render
from copilot.api.deps import run_sync
from copilot.knowledge.catalog import list_documents

router = APIRouter(prefix=PREFIX, include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
async def overview(request: Request, session: Session) -> HTMLResponse:
    copilot = request.app.state.copilot
    community = session.community
    profile = await run_sync(request, copilot.profile, community)
    documents = await run_sync(request, list_documents, copilot.db, community)
    report = await run_sync(request, copilot.stats, community)
    return render(
        request,
        "overview.html",
        session,
        profile=profile,
        documents=documents,
        report=report,
        charts=health_charts(report),
    )
