"""A fake DingTalk Stream gateway on 127.0.0.1, speaking the protocol of the official SDK.

HTTP half (on the shared fake platform): ``POST /v1.0/gateway/connections/open`` checks the
app's ``clientId``/``clientSecret`` (401 ``InvalidAuthentication`` otherwise), records the
subscriptions and answers ``{"endpoint", "ticket"}`` with a fresh one-time ticket.
WebSocket half: a connection without a ticket it handed out is refused (401); then ``SYSTEM``
frames (``ping`` with an ``opaque`` to echo, ``disconnect``) and ``CALLBACK`` frames whose
``data`` is a JSON-encoded robot message; every ack the client sends is recorded.
"""

from __future__ import annotations

import asyncio
import http
import itertools
import json
import re
import secrets
import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.http11 import Request, Response

from tests.connectors.fake_platform import FakePlatform, RecordedRequest, Reply

BOT_TOPIC = "/v1.0/im/bot/messages/get"


class FakeDingtalkStream:
    def __init__(self, client_id: str, client_secret: str) -> None:
        self.client_id, self.client_secret = client_id, client_secret
        self.opens: list[dict[str, Any]] = []  # connections/open bodies, in order
        self.refused_tickets: list[str] = []
        self.acks: list[dict[str, Any]] = []
        self.connections = 0
        self.url = ""
        self._tickets: set[str] = set()
        self._stale_next = False
        self._ids = itertools.count(1)
        self._current: ServerConnection | None = None
        self._server: Server | None = None

    async def start(self, fake: FakePlatform) -> FakeDingtalkStream:
        self._server = await serve(
            self._session, "127.0.0.1", 0, process_request=self._check_ticket
        )
        port = self._server.sockets[0].getsockname()[1]  # type: ignore[index]
        self.url = f"ws://127.0.0.1:{port}/connect"
        fake.serve("POST", r"/v1\.0/gateway/connections/open", self._open)
        return self

    async def stop(self) -> None:
        if self._server:
            self._server.close()
            await self._server.wait_closed()

    # -- what a test does --------------------------------------------------------------------
    def hand_out_a_stale_ticket(self) -> None:
        """The next open answers a ticket the WebSocket will refuse (a gateway restart)."""
        self._stale_next = True

    async def connected(self) -> None:
        for _ in range(1500):
            if self._current is not None and self._current.state.name == "OPEN":
                return
            await asyncio.sleep(0.02)
        raise AssertionError("no client connected")

    async def push(self, data: dict[str, Any], message_id: str | None = None) -> str:
        """A robot message as a CALLBACK frame; returns its ``messageId``."""
        return await self._send("CALLBACK", BOT_TOPIC, data, message_id)

    async def ping(self) -> str:
        return await self._send("SYSTEM", "ping", {"opaque": secrets.token_hex(8)})

    async def disconnect(self) -> None:
        """The gateway asks the client to move (the real one closes 10 s later); returns
        once the client is on its new connection."""
        before = self.connections
        await self._send("SYSTEM", "disconnect", {"reason": "server maintenance"})
        for _ in range(1500):
            if self.connections > before:
                return
            await asyncio.sleep(0.02)
        raise AssertionError("the client did not reconnect after disconnect")

    def acked(self, message_id: str) -> dict[str, Any] | None:
        return next((a for a in self.acks if a["headers"].get("messageId") == message_id), None)

    # -- protocol ----------------------------------------------------------------------------
    def _open(self, req: RecordedRequest, m: re.Match[str]) -> Reply:
        body = req.json or {}
        self.opens.append(body)
        if body.get("clientId") != self.client_id or body.get("clientSecret") != self.client_secret:
            return 401, {"code": "InvalidAuthentication", "message": "clientId or secret invalid"}
        if self._stale_next:
            self._stale_next = False
            return 200, {"endpoint": self.url, "ticket": "stale-" + secrets.token_hex(4)}
        ticket = secrets.token_hex(16)
        self._tickets.add(ticket)
        return 200, {"endpoint": self.url, "ticket": ticket}

    def _check_ticket(self, conn: ServerConnection, request: Request) -> Response | None:
        ticket = (parse_qs(urlsplit(request.path).query).get("ticket") or [""])[0]
        if ticket not in self._tickets:
            self.refused_tickets.append(ticket)
            return conn.respond(http.HTTPStatus.UNAUTHORIZED, "invalid ticket\n")
        self._tickets.discard(ticket)  # one connection per ticket
        return None

    async def _session(self, ws: ServerConnection) -> None:
        self.connections += 1
        self._current = ws
        async for raw in ws:
            self.acks.append(json.loads(raw))

    async def _send(
        self, kind: str, topic: str, data: dict[str, Any], message_id: str | None = None
    ) -> str:
        await self.connected()
        assert self._current is not None
        mid = message_id or f"msg-{next(self._ids)}"
        frame = {
            "specVersion": "1.0",
            "type": kind,
            "headers": {
                "appId": "app-fake",
                "connectionId": f"conn-{self.connections}",
                "contentType": "application/json",
                "messageId": mid,
                "time": str(int(time.time() * 1000)),
                "topic": topic,
            },
            "data": json.dumps(data, ensure_ascii=False),
        }
        await self._current.send(json.dumps(frame, ensure_ascii=False))
        return mid
