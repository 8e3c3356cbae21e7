"""The connector worker's life in the app: built over the app's Copilot at start-up (with the
platforms enabled by ``COPILOT_<PLATFORM>_*``), drained at shutdown."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
import httpx
from fastapi import FastAPI

from connectors import build_connectors
from connectors.worker import ConnectorWorker

log = logging.getLogger("copilot.api.connectors")


def connector_worker(app: FastAPI, http: httpx.AsyncClient | None = None) -> ConnectorWorker:
    """The app's worker, built on first use (idempotent)."""
    worker: ConnectorWorker | None = getattr(app.state, "connector_worker", None)
    if worker is None:
        worker = ConnectorWorker(
            app.state.copilot,
            build_connectors(http=http),
            capacity=getattr(app.state, "capacity", None),
        )
        app.state.connector_worker = worker
    return worker


@asynccontextmanager
async def running_connectors(app: FastAPI) -> AsyncIterator[ConnectorWorker]:
    """Set up every enabled connector, re-run events left from before a restart, and let
    in-flight answers finish on the way out."""
    async with httpx.AsyncClient(timeout=httpx.Timeout(10.0)) as http:
        worker = connector_worker(app, http)
        for name, conn in worker.connectors.items():
            try:
                await conn.setup()
            except Exception as exc:  # the platform may be down; webhooks still verify
                log.warning("connector %s setup failed: %s", name, exc)
        recovered = worker.recover()
        if recovered:
            log.info("re-processing %d connector events left from before a restart", recovered)
        try:
            yield worker
        finally:
            with anyio.move_on_after(10):  # let in-flight answers finish; the log has the rest
                await worker.drain()
            app.state.connector_worker = None
