"""A fake Discord Gateway (v10, JSON) on 127.0.0.1.

HTTP half (on the shared fake platform): ``GET /api/v10/gateway/bot`` needs ``Bot <token>``
(401 otherwise) and gives this server's URL. WebSocket half: Hello with a short heartbeat
interval; Identify with the right token → ``READY`` (session id, ``resume_gateway_url``, the
bot user), a wrong one → close 4004; Resume with the session id → ``RESUMED``; heartbeats
acked (unless ``stop_acking()``); dispatches numbered by ``s``; ``drop()``, ``reconnect()``
and ``invalidate()`` as the real gateway does them.
"""

from __future__ import annotations

import asyncio
import json
import re
from typing import Any

from websockets.asyncio.server import Server, ServerConnection, serve

from tests.connectors.fake_platform import FakePlatform, RecordedRequest, Reply

BOT_USER = {"id": "1100000000000000001", "username": "copilot", "bot": True}


class FakeDiscordGateway:
    def __init__(self, token: str, heartbeat_ms: int = 150) -> None:
        self.token = token
        self.url = ""
        self.logins: list[dict[str, Any]] = []  # Identify / Resume payloads, in order
        self.heartbeats: list[Any] = []
        self.paths: list[str] = []
        self.connections = 0
        self._heartbeat_ms = heartbeat_ms
        self._ack = True
        self.message_content_allowed = True  # the privileged intent, as set in the portal
        self._seq = 0
        self._sessions = 0
        self._current: ServerConnection | None = None
        self._server: Server | None = None

    async def start(self, fake: FakePlatform) -> FakeDiscordGateway:
        self._server = await serve(self._session, "127.0.0.1", 0)
        port = self._server.sockets[0].getsockname()[1]  # type: ignore[index]
        self.url = f"ws://127.0.0.1:{port}"
        fake.serve("GET", r"/api/v10/gateway/bot", self._gateway_bot)
        return self

    async def stop(self) -> None:
        if self._server:
            self._server.close()
            await self._server.wait_closed()

    # -- what a test does --------------------------------------------------------------------
    async def dispatch(self, t: str, d: dict[str, Any]) -> None:
        await self._ready()
        assert self._current is not None
        self._seq += 1
        await self._current.send(json.dumps({"op": 0, "t": t, "s": self._seq, "d": d}))

    async def drop(self, code: int = 4000) -> None:
        await self._ready()
        assert self._current is not None
        await self._current.close(code=code, reason="unknown error")

    async def reconnect(self) -> None:
        await self._ready()
        assert self._current is not None
        await self._current.send(json.dumps({"op": 7, "d": None}))

    def stop_acking(self) -> None:
        self._ack = False

    # -- protocol ----------------------------------------------------------------------------
    def _gateway_bot(self, req: RecordedRequest, m: re.Match[str]) -> Reply:
        if req.headers.get("authorization") != f"Bot {self.token}":
            return 401, {"message": "401: Unauthorized", "code": 0}
        limit = {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}
        return 200, {"url": self.url, "shards": 1, "session_start_limit": limit}

    async def _ready(self) -> None:
        for _ in range(1500):
            if self._current is not None and self._current.state.name == "OPEN" and self.logins:
                return
            await asyncio.sleep(0.02)
        raise AssertionError("no client logged in")

    async def _session(self, ws: ServerConnection) -> None:
        self.connections += 1
        self.paths.append(ws.request.path if ws.request else "")
        self._current = None  # until it has logged in
        await ws.send(json.dumps({"op": 10, "d": {"heartbeat_interval": self._heartbeat_ms}}))
        async for raw in ws:
            frame = json.loads(raw)
            op, d = frame.get("op"), frame.get("d")
            if op == 1:
                self.heartbeats.append(d)
                if self._ack:
                    await ws.send(json.dumps({"op": 11}))
            elif op == 2:
                if d.get("token") != self.token:
                    await ws.close(code=4004, reason="Authentication failed.")
                    return
                if d.get("intents", 0) & (1 << 15) and not self.message_content_allowed:
                    await ws.close(code=4014, reason="Disallowed intent(s).")
                    return
                self.logins.append(frame)
                self._sessions += 1
                self._current = ws
                self._seq += 1
                ready = {"v": 10, "user": BOT_USER, "guilds": [],
                         "session_id": f"sess-{self._sessions}", "resume_gateway_url": self.url,
                         "application": {"id": "1100000000000000002"}}  # fmt: skip
                await ws.send(json.dumps({"op": 0, "t": "READY", "s": self._seq, "d": ready}))
            elif op == 6:
                self.logins.append(frame)
                self._current = ws
                self._seq += 1
                await ws.send(json.dumps({"op": 0, "t": "RESUMED", "s": self._seq, "d": {}}))
