"""A fake Feishu/Lark long-connection server on 127.0.0.1, speaking lark-oapi's protocol.

HTTP half (on the shared fake platform): ``POST /callback/ws/endpoint`` checks ``AppID`` and
``AppSecret`` and answers a WebSocket URL with ``device_id``, ``service_id`` and a one-time
ticket, plus ``ClientConfig`` (a 1 s ping interval here). WebSocket half: a URL whose ticket
it did not hand out is refused with the ``handshake-*`` headers Feishu sends; then protobuf
``pbbp2.Frame``s: pings answered with pongs, events pushed as data frames (in ``parts`` if
asked), and the client's answers to them recorded.
"""

from __future__ import annotations

import http
import itertools
import json
import re
import secrets
from typing import Any
from urllib.parse import parse_qs, urlsplit

from lark_oapi.ws.pb.pbbp2_pb2 import Frame
from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.datastructures import Headers
from websockets.http11 import Request, Response

from tests.connectors.fake_platform import FakePlatform, RecordedRequest, Reply

SERVICE_ID = 77
CONTROL, DATA = 0, 1


class FakeFeishuLongConnection:
    def __init__(self, app_id: str, app_secret: str) -> None:
        self.app_id, self.app_secret = app_id, app_secret
        self.endpoint_calls: list[dict[str, Any]] = []
        self.refused = 0
        self.pings: list[dict[str, str]] = []  # headers of each ping frame
        self.answers: dict[str, dict[str, Any]] = {}  # message_id -> the client's response
        self.connections = 0
        self.url = ""
        self._tickets: set[str] = set()
        self._stale_next = False
        self._ids = itertools.count(1)
        self._current: ServerConnection | None = None
        self._server: Server | None = None

    async def start(self, fake: FakePlatform) -> FakeFeishuLongConnection:
        self._server = await serve(
            self._session, "127.0.0.1", 0, process_request=self._check_ticket
        )
        port = self._server.sockets[0].getsockname()[1]  # type: ignore[index]
        self.url = f"ws://127.0.0.1:{port}/ws/v2"
        fake.serve("POST", r"/callback/ws/endpoint", self._endpoint)
        return self

    async def stop(self) -> None:
        if self._server:
            self._server.close()
            await self._server.wait_closed()

    # -- what a test does --------------------------------------------------------------------
    def hand_out_a_stale_ticket(self) -> None:
        self._stale_next = True

    async def push(self, event: dict[str, Any], parts: int = 1) -> str:
        """One event as data frame(s); returns the frames' ``message_id``."""
        assert self._current is not None, "no client connected"
        mid = f"fmsg-{next(self._ids)}"
        payload = json.dumps(event, ensure_ascii=False).encode()
        size = -(-len(payload) // parts)
        for seq in range(parts):
            frame = Frame(SeqID=seq, LogID=0, service=SERVICE_ID, method=DATA)
            for key, value in (("type", "event"), ("message_id", mid), ("sum", str(parts)),
                               ("seq", str(seq)), ("trace_id", f"trace-{mid}")):  # fmt: skip
                frame.headers.add(key=key, value=value)
            frame.payload = payload[seq * size : (seq + 1) * size]
            await self._current.send(frame.SerializeToString())
        return mid

    async def drop(self) -> None:
        if self._current is not None:
            await self._current.close(code=1011, reason="frontier restart")

    # -- protocol ----------------------------------------------------------------------------
    def _endpoint(self, req: RecordedRequest, m: re.Match[str]) -> Reply:
        body = req.json or {}
        self.endpoint_calls.append(body)
        if body.get("AppID") != self.app_id or body.get("AppSecret") != self.app_secret:
            return 200, {"code": 10014, "msg": "app secret invalid"}
        ticket = "stale" if self._stale_next else secrets.token_hex(8)
        self._stale_next = False
        if ticket != "stale":
            self._tickets.add(ticket)
        device = f"dev-{len(self.endpoint_calls)}"
        url = (f"{self.url}?fpid=493&aid=552564&device_id={device}&access_key=ak"
               f"&service_id={SERVICE_ID}&ticket={ticket}")  # fmt: skip
        config = {"ReconnectCount": -1, "ReconnectInterval": 120, "ReconnectNonce": 30,
                  "PingInterval": 1}  # fmt: skip
        return 200, {"code": 0, "msg": "ok", "data": {"URL": url, "ClientConfig": config}}

    def _check_ticket(self, conn: ServerConnection, request: Request) -> Response | None:
        ticket = (parse_qs(urlsplit(request.path).query).get("ticket") or [""])[0]
        if ticket in self._tickets:
            self._tickets.discard(ticket)
            return None
        self.refused += 1
        headers = Headers(
            {
                "handshake-status": "514",
                "handshake-msg": "ticket invalid",
                "handshake-autherrcode": "1000040351",
            }
        )
        return Response(http.HTTPStatus.FORBIDDEN, "Forbidden", headers, b"")

    async def _session(self, ws: ServerConnection) -> None:
        self.connections += 1
        self._current = ws
        async for raw in ws:
            frame = Frame()
            frame.ParseFromString(raw)  # type: ignore[arg-type]
            headers = {h.key: h.value for h in frame.headers}
            if frame.method == CONTROL and headers.get("type") == "ping":
                self.pings.append(headers | {"service": str(frame.service)})
                pong = Frame(SeqID=0, LogID=0, service=frame.service, method=CONTROL)
                pong.headers.add(key="type", value="pong")
                pong.payload = json.dumps({"PingInterval": 1}).encode()
                await ws.send(pong.SerializeToString())
            elif frame.method == DATA:
                self.answers[headers["message_id"]] = json.loads(frame.payload) | {
                    "headers": headers
                }
