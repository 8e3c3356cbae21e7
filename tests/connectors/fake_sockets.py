"""A fake Slack Socket Mode endpoint on 127.0.0.1: a real WebSocket server speaking Slack's
protocol (``hello``, then ``events_api`` envelopes; the client acks each ``envelope_id``).

The HTTP half (``apps.connections.open`` handing out the WebSocket URL) is the shared fake
platform's; point it here with ``fake.slack_socket_url = socket.url``.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from websockets.asyncio.server import Server, ServerConnection, serve


class FakeSlackSocket:
    def __init__(self) -> None:
        self.url = ""
        self.acks: list[str] = []
        self.connections = 0
        self._queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._server: Server | None = None

    async def start(self) -> FakeSlackSocket:
        self._server = await serve(self._session, "127.0.0.1", 0)
        port = self._server.sockets[0].getsockname()[1]  # type: ignore[index]
        self.url = f"ws://127.0.0.1:{port}/link/?ticket=fake-ticket&app_id=A1"
        return self

    async def stop(self) -> None:
        if self._server:
            self._server.close()
            await self._server.wait_closed()

    def push(self, payload: dict[str, Any], envelope_id: str, retry: int = 0) -> None:
        """Deliver ``payload`` (an event_callback body) as an events_api envelope."""
        self._queue.put_nowait(
            {
                "envelope_id": envelope_id,
                "type": "events_api",
                "accepts_response_payload": False,
                "retry_attempt": retry,
                "retry_reason": "timeout" if retry else "",
                "payload": payload,
            }
        )

    async def _session(self, ws: ServerConnection) -> None:
        self.connections += 1
        hello = {
            "type": "hello",
            "num_connections": 1,
            "connection_info": {"app_id": "A1"},
            "debug_info": {"host": "applink-fake", "approximate_connection_time": 18060},
        }
        await ws.send(json.dumps(hello))
        sender = asyncio.create_task(self._send(ws))
        try:
            async for raw in ws:
                frame = json.loads(raw)
                if "envelope_id" in frame:
                    self.acks.append(frame["envelope_id"])
        finally:
            sender.cancel()

    async def _send(self, ws: ServerConnection) -> None:
        while True:
            envelope = await self._queue.get()
            await ws.send(json.dumps(envelope))


class FakeQqGateway:
    """The QQ bot WebSocket gateway: Hello, Identify → Ready, Resume → Resumed, heartbeats
    acked, events dispatched with increasing ``s``; ``drop()`` cuts the current connection."""

    def __init__(self, heartbeat_ms: int = 100) -> None:
        self.url = ""
        self.logins: list[dict[str, Any]] = []  # the Identify / Resume frames, in order
        self.heartbeats: list[Any] = []
        self._heartbeat_ms = heartbeat_ms
        self._seq = 0
        self._queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._current: ServerConnection | None = None
        self._server: Server | None = None

    async def start(self) -> FakeQqGateway:
        self._server = await serve(self._session, "127.0.0.1", 0)
        port = self._server.sockets[0].getsockname()[1]  # type: ignore[index]
        self.url = f"ws://127.0.0.1:{port}/websocket/"
        return self

    async def stop(self) -> None:
        if self._server:
            self._server.close()
            await self._server.wait_closed()

    def push(self, t: str, d: dict[str, Any], event_id: str) -> None:
        self._queue.put_nowait({"op": 0, "t": t, "d": d, "id": event_id})

    async def drop(self) -> None:
        if self._current is not None:
            await self._current.close(code=4009, reason="session timed out")

    def _next(self) -> int:
        self._seq += 1
        return self._seq

    async def _session(self, ws: ServerConnection) -> None:
        self._current = ws
        await ws.send(json.dumps({"op": 10, "d": {"heartbeat_interval": self._heartbeat_ms}}))
        sender: asyncio.Task[None] | None = None
        try:
            async for raw in ws:
                frame = json.loads(raw)
                if frame.get("op") == 1:
                    self.heartbeats.append(frame.get("d"))
                    await ws.send(json.dumps({"op": 11}))
                elif frame.get("op") in (2, 6):
                    self.logins.append(frame)
                    ready = (
                        {"op": 0, "s": self._next(), "t": "READY",
                         "d": {"version": 1, "session_id": "sess-1", "shard": [0, 1],
                               "user": {"id": "6158788878435714165", "username": "c", "bot": True}}}
                        if frame["op"] == 2
                        else {"op": 0, "s": self._next(), "t": "RESUMED", "d": ""}
                    )  # fmt: skip
                    await ws.send(json.dumps(ready))
                    sender = sender or asyncio.create_task(self._send(ws))
        finally:
            if sender:
                sender.cancel()

    async def _send(self, ws: ServerConnection) -> None:
        while True:
            event = await self._queue.get()
            await ws.send(json.dumps({**event, "s": self._next()}))
