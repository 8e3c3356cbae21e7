"""The FastAPI application factory. One Copilot per app, shared by all requests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
from fastapi import FastAPI

from copilot import __version__
from copilot.api.connector_worker import running_connectors
from copilot.api.console import install_console
from copilot.api.errors import install_error_handlers
from copilot.api.metrics import ApiMetrics, meter_llm
from copilot.api.middleware import RequestContextMiddleware
from copilot.api.ratelimit import RateLimiter
from copilot.api.readers import ReaderPool
from copilot.api.routes import (
    chat,
    connectors,
    documents,
    faq,
    health,
    keys,
    questions,
    reviews,
    search,
    skills,
)
from copilot.api.upload_jobs import UploadJobs
from copilot.config import Settings
from copilot.keys import KeyStore
from copilot.service import Copilot

DESCRIPTION = """\
Grounded answers, drafts, summaries and activity ideas for one community per API key.

Send `Authorization: Bearer YOUR_KEY`. A key belongs to one community and has a role:
**member** (ask, rate answers), **operator** (+ documents, drafts, summaries, activities, stats,
the question queue) or **admin** (+ keys and settings).
Errors are `{"error": {"code": ..., "message": ...}}`.
`POST /v1/chat/completions` speaks OpenAI's protocol; `model` picks the skill.
"""

# CPU-bound facade calls run in worker threads, a few at a time: more would only queue
# on the two cores and hold memory, while the event loop stays free for I/O.
WORKER_THREADS = 4


def create_app(
    settings: Settings | None = None, copilot: Copilot | None = None, *, readers: int = 0
) -> FastAPI:
    """Build the API over `copilot` (or a new Copilot over `settings`, closed on shutdown).
    With `readers` > 0, skill calls run in that many reader processes (``copilot.api.readers``)."""
    owned = copilot is None
    settings = settings or (copilot.settings if copilot is not None else Settings())
    copilot = copilot if copilot is not None else Copilot(settings)
    metrics = ApiMetrics()
    meter_llm(copilot, metrics)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Load the embedder and open the vector store before the first request, not during it
        # (reader processes load theirs in the background: starting them takes seconds).
        pool = ReaderPool(settings, readers) if readers else None
        # Each thread waits on one call; readers queue the rest, so keep them all busy.
        app.state.capacity = anyio.CapacityLimiter(max(WORKER_THREADS, 4 * readers))
        if pool is not None:
            pool.warm_in_background()
        else:
            await anyio.to_thread.run_sync(lambda: copilot.retriever)
        app.state.skills = pool or copilot
        await anyio.to_thread.run_sync(app.state.upload_jobs.interrupted)
        try:
            async with running_connectors(app):
                yield
        finally:
            runs = getattr(app.state, "eval_runs", None)  # the console's evaluation process
            if runs is not None:
                await anyio.to_thread.run_sync(runs.close)
            if pool is not None:
                await anyio.to_thread.run_sync(pool.close)
            if owned:
                copilot.close()

    app = FastAPI(
        title="Community Copilot API",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.copilot = copilot
    app.state.skills = copilot  # the skills' runner: the facade, or reader processes
    app.state.upload_jobs = UploadJobs(copilot)
    app.state.metrics = metrics
    app.state.keys = KeyStore(copilot.db)
    app.state.limiter = RateLimiter(settings.api_rate_per_minute, settings.api_rate_burst)
    install_error_handlers(app)
    app.add_middleware(
        RequestContextMiddleware,
        metrics=metrics,
        json_limit=settings.api_max_body_kb * 1024,
        upload_limit=int(settings.max_file_mb * 1024 * 1024) + 64 * 1024,
    )
    # Every route of the server, in one place.
    for router in (
        health.router,
        documents.router,
        search.router,
        skills.router,
        chat.router,
        keys.router,
        reviews.router,
        faq.router,
        questions.router,
        connectors.webhook_router(),
    ):
        app.include_router(router)
    install_console(app)  # the operator console at /console/, over the same handlers
    return app
