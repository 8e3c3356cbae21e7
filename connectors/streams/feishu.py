"""Feishu/Lark **long connection** (长连接): events over a WebSocket we open, no callback URL.

The protocol of lark-oapi's ``ws.Client``: POST the app id and secret to
``/callback/ws/endpoint``; Feishu answers ``{"code": 0, "data": {"URL", "ClientConfig"}}``, a
``wss://`` URL carrying ``device_id``, ``service_id`` and a ticket, and the ping interval.
Frames are protobuf ``pbbp2.Frame`` (the SDK's generated class): ``method`` 0 is control
(our ``ping`` every ``PingInterval`` s, Feishu's ``pong`` maybe carrying a new config), 1 is
data: header ``type=event`` with ``message_id``, ``sum``/``seq`` (an event may come in parts)
and the event JSON as payload, the same v2 event a webhook gets but not encrypted. Each is
answered by sending the frame back with payload ``{"code": 200}``; unanswered ones are
pushed again. A refused handshake says why in ``handshake-*`` headers.

We speak it with the SDK's frame class but our own loop: ``ws.Client.start()`` blocks on a
module-global event loop created at import and never returns, so it cannot run beside the
other streams or stop on Ctrl-C. Events on this connection are Feishu's own (TLS, opened
with our app secret): no signature or verification token to check, and none is needed.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlsplit

import httpx
from pydantic import Field, SecretStr

from connectors.base import DeliveryError
from connectors.platforms.feishu import FeishuConnector, FeishuSettings
from connectors.settings import PlatformSettings, platform_config
from connectors.streams import Deliver, Stream, StreamRefused, log

CONTROL, DATA = 0, 1
SYSTEM_BUSY, INTERNAL_ERROR = 1, 1000040343  # endpoint codes worth retrying
AUTH_FAILED, FORBIDDEN, EXCEED_CONN_LIMIT = 514, 403, 1000040350  # handshake statuses
MAX_PARTS = 64  # an event split into more parts than this is not an event we answer


class FeishuLongConnectionSettings(PlatformSettings):
    model_config = platform_config("feishu")
    _required: ClassVar[tuple[str, ...]] = ("app_id", "app_secret", "long_connection")
    long_connection: bool = Field(default=False, description="Receive over the long connection.")
    app_id: str | None = None
    app_secret: SecretStr | None = None
    bot_open_id: str | None = Field(default=None, description="Else learned from bot/v3/info.")
    api_url: str = Field(default="https://open.feishu.cn", description="Lark: open.larksuite.com")


class FeishuLongConnectionConnector(FeishuConnector):
    """The event connector for events that arrive in clear on our own connection."""

    def _open(self, body: bytes) -> dict[str, Any]:
        payload = json.loads(body)
        return payload if isinstance(payload, dict) else {}


class FeishuLongConnection(Stream):
    platform = "feishu"
    mode = "Feishu/Lark long connection"

    def __init__(self, settings: FeishuLongConnectionSettings, http: httpx.AsyncClient) -> None:
        assert settings.app_id is not None and settings.app_secret is not None
        self._app_id, self._secret = settings.app_id, settings.app_secret.get_secret_value()
        self._endpoint_url = f"{settings.api_url.rstrip('/')}/callback/ws/endpoint"
        self._http = http
        unused = SecretStr("long-connection")  # webhook-only secrets: nothing is decrypted
        self.connector: FeishuLongConnectionConnector = FeishuLongConnectionConnector(
            FeishuSettings(
                _env_file=None,  # type: ignore[call-arg]
                app_id=settings.app_id,
                app_secret=settings.app_secret,
                verification_token=unused,
                encrypt_key=unused,
                bot_open_id=settings.bot_open_id,
                api_url=settings.api_url,
            ),
            http,
        )
        self.ping_s = 120.0
        self._parts: dict[str, list[bytes]] = {}

    async def run(self, deliver: Deliver) -> None:
        await self._reconnecting(lambda: self._session(deliver))

    async def _session(self, deliver: Deliver) -> None:
        from websockets.asyncio.client import connect as ws_connect
        from websockets.exceptions import InvalidStatus

        if not self.connector.bot_open_id:  # to tell the bot's @-mention from others'
            await self.connector.setup()
        url = await self._endpoint()
        service_id = int((parse_qs(urlsplit(url).query).get("service_id") or ["0"])[0])
        try:
            ws = await ws_connect(url)
        except InvalidStatus as exc:
            self._refused_handshake(exc)
            raise
        async with ws:
            beat = asyncio.create_task(self._ping(ws, service_id))
            try:
                async for raw in ws:
                    if isinstance(raw, bytes):
                        await self._frame(ws, raw, deliver)
            finally:
                beat.cancel()

    async def _endpoint(self) -> str:
        body = {"AppID": self._app_id, "AppSecret": self._secret}
        try:
            resp = await self._http.post(self._endpoint_url, json=body, headers={"locale": "zh"})
            data = resp.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise DeliveryError(f"feishu long connection: endpoint {type(exc).__name__}") from None
        code = data.get("code")
        if resp.status_code != 200 or code in (SYSTEM_BUSY, INTERNAL_ERROR):
            raise DeliveryError(f"feishu long connection: HTTP {resp.status_code} code {code}")
        if code != 0:
            raise StreamRefused(
                f"feishu long connection: Feishu refused the app ({code} {data.get('msg', '')});"
                " check COPILOT_FEISHU_APP_ID and COPILOT_FEISHU_APP_SECRET and that the app "
                "subscribes to events by long connection (使用长连接接收事件)"
            )
        config = (data.get("data") or {}).get("ClientConfig") or {}
        self._configure(config)
        return str(data["data"]["URL"])

    def _refused_handshake(self, exc: Any) -> None:
        headers = exc.response.headers
        status = int(headers.get("handshake-status") or 0)
        auth = int(headers.get("handshake-autherrcode") or 0)
        if status == FORBIDDEN or (status == AUTH_FAILED and auth == EXCEED_CONN_LIMIT):
            raise StreamRefused(
                f"feishu long connection: {headers.get('handshake-msg', 'refused')} ({status})"
            ) from None

    def _configure(self, config: dict[str, Any]) -> None:
        if config.get("PingInterval"):
            self.ping_s = float(config["PingInterval"])

    async def _ping(self, ws: Any, service_id: int) -> None:
        from lark_oapi.ws.pb.pbbp2_pb2 import Frame

        while True:
            frame = Frame(SeqID=0, LogID=0, service=service_id, method=CONTROL)
            frame.headers.add(key="type", value="ping")
            await ws.send(frame.SerializeToString())
            await asyncio.sleep(self.ping_s)

    async def _frame(self, ws: Any, raw: bytes, deliver: Deliver) -> None:
        from lark_oapi.ws.pb.pbbp2_pb2 import Frame

        frame = Frame()
        frame.ParseFromString(raw)
        headers = {h.key: h.value for h in frame.headers}
        if frame.method == CONTROL:
            if headers.get("type") == "pong" and frame.payload:
                self._configure(json.loads(frame.payload))
            return
        if headers.get("type") != "event":
            return  # card callbacks: not ours (the SDK drops them unanswered too)
        payload = self._combine(headers, frame.payload)
        if payload is None:
            return  # more parts to come
        msg = self._deliver_raw(json.loads(payload))
        if msg is not None:
            await deliver(msg)  # recorded before the answer, as for a webhook
        frame.headers.add(key="biz_rt", value="0")
        frame.payload = json.dumps({"code": 200}).encode()
        await ws.send(frame.SerializeToString())

    def _combine(self, headers: dict[str, str], part: bytes) -> bytes | None:
        total, seq = int(headers.get("sum") or 1), int(headers.get("seq") or 0)
        if total <= 1:
            return part
        if total > MAX_PARTS or not 0 <= seq < total:
            log.warning("feishu long connection: dropped an event in %d parts", total)
            return None
        if len(self._parts) >= MAX_PARTS:  # parts of events that never completed
            self._parts.pop(next(iter(self._parts)))
        parts = self._parts.setdefault(headers.get("message_id", ""), [b""] * total)
        parts[seq] = part
        if not all(parts):
            return None
        del self._parts[headers.get("message_id", "")]
        return b"".join(parts)
