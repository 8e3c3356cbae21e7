"""`copilot connect`: run the outbound streams through the same worker as the webhooks."""

from __future__ import annotations

import asyncio
import logging

import anyio
import httpx

from connectors.base import InboundMessage
from connectors.outbound import STREAMS, Stream, build_streams
from connectors.worker import ConnectorWorker
from copilot.service import Copilot

log = logging.getLogger("connectors.connect")


def how_to_configure() -> str:
    """What to set for each outbound mode, from the settings that enable it."""
    ways = []
    for settings_cls, stream_cls, _ in STREAMS.values():
        prefix = str(settings_cls.model_config.get("env_prefix", ""))
        names = [
            f"{prefix}{n}".upper()
            + ("=true" if settings_cls.model_fields[n].annotation is bool else "")
            for n in settings_cls._required
        ]
        ways.append(f"{', '.join(names[:-1])} and {names[-1]} ({stream_cls.mode})")
    return "; or ".join(ways)


async def connect(
    copilot: Copilot,
    *,
    streams: list[Stream] | None = None,
    stop: asyncio.Event | None = None,
    http: httpx.AsyncClient | None = None,
) -> ConnectorWorker:
    """Receive on every configured outbound stream until ``stop`` is set (or one fails),
    answering through the shared worker; returns the worker (its event log) when done."""
    own = http is None
    client = http or httpx.AsyncClient(timeout=httpx.Timeout(10.0))
    try:
        streams = build_streams(client) if streams is None else streams
        if not streams:
            raise ValueError(f"no outbound connection is configured: set {how_to_configure()}")
        worker = ConnectorWorker(copilot, {s.platform: s.connector for s in streams})

        async def deliver(msg: InboundMessage) -> None:
            accepted = await anyio.to_thread.run_sync(worker.accept, msg)  # dedupe, route
            if accepted is not None:  # redacted: what is stored is what gets processed
                worker.spawn(worker.process(accepted))

        worker.recover()
        tasks = {asyncio.create_task(s.run(deliver), name=s.platform) for s in streams}
        waiter = asyncio.create_task((stop or asyncio.Event()).wait())
        try:
            done, _ = await asyncio.wait({*tasks, waiter}, return_when=asyncio.FIRST_COMPLETED)
        finally:  # also on Ctrl-C: every connection closed before we return
            for task in (*tasks, waiter):
                task.cancel()
            await asyncio.gather(*tasks, waiter, return_exceptions=True)
        await worker.drain()
        failed = [t for t in done if t in tasks and not t.cancelled() and t.exception()]
        if failed:
            raise failed[0].exception()  # type: ignore[misc]
        return worker
    finally:
        if own:
            await client.aclose()
