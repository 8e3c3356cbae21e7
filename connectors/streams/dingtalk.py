"""DingTalk **Stream mode** (Stream 模式): the bot connects out, no callback URL.

The protocol, as the official ``dingtalk-stream`` SDK speaks it: POST the app's key and
secret with the topics we want to ``/v1.0/gateway/connections/open``; DingTalk answers with a
WebSocket ``endpoint`` and a one-time ``ticket``; connect to ``endpoint?ticket=…``. Frames are
JSON: ``SYSTEM`` (``ping``, answered with the same ``opaque``; ``disconnect``, after which we
reconnect at once) and ``CALLBACK`` frames whose ``data`` is the same robot message an HTTP
callback carries (topic ``/v1.0/im/bot/messages/get``). Each is acknowledged with its
``messageId`` (unacknowledged ones are pushed again).

We use the SDK's frame classes and dispatcher (``route_message``: parsing, acks, pings), but
open the connection ourselves: the SDK's ``start()`` opens it with blocking ``requests`` from
the event loop, sleeps a fixed 10 s after any error and, in 0.24.3, swallows cancellation,
so Ctrl-C would hang; ours reconnects with backoff and stops at once.

Unlike an HTTP callback, whose sign covers only a timestamp, a Stream message arrives on a
connection DingTalk opened for our key and secret: its body is authentic, so operator
commands run without the review queue's second factor.
"""

from __future__ import annotations

import json
import logging
from typing import Any, ClassVar
from urllib.parse import quote_plus

import httpx
from pydantic import Field, SecretStr

from connectors.base import Capabilities, DeliveryError
from connectors.platforms.dingtalk import DingtalkConnector, DingtalkSettings
from connectors.settings import PlatformSettings, platform_config
from connectors.streams import Deliver, Stream, StreamRefused

BOT_MESSAGES = "/v1.0/im/bot/messages/get"  # dingtalk_stream.ChatbotMessage.TOPIC
# The SDK logs whole frames (members' messages) at warning level, e.g. for every ping.
_sdk_log = logging.getLogger("connectors.outbound.dingtalk_sdk")
_sdk_log.setLevel(logging.ERROR)


class DingtalkStreamSettings(PlatformSettings):
    model_config = platform_config("dingtalk")
    _required: ClassVar[tuple[str, ...]] = ("app_key", "app_secret", "stream")
    stream: bool = Field(default=False, description="Receive over Stream mode.")
    app_key: str | None = Field(default=None, description="AppKey (Client ID) of the app.")
    app_secret: SecretStr | None = None
    api_url: str = "https://oapi.dingtalk.com"  # where sessionWebhook replies go
    stream_url: str = "https://api.dingtalk.com"  # the Stream gateway's HTTP half


class DingtalkStreamConnector(DingtalkConnector):
    """The robot connector, for messages that arrived on our authenticated connection."""

    capabilities = Capabilities(signs_body=True, replay_window_s=None)


class DingtalkStream(Stream):
    platform = "dingtalk"
    mode = "DingTalk Stream mode"

    def __init__(self, settings: DingtalkStreamSettings, http: httpx.AsyncClient) -> None:
        assert settings.app_key is not None and settings.app_secret is not None
        self._key, self._secret = settings.app_key, settings.app_secret.get_secret_value()
        self._open_url = f"{settings.stream_url.rstrip('/')}/v1.0/gateway/connections/open"
        self._http = http
        self.connector = DingtalkStreamConnector(
            DingtalkSettings(
                _env_file=None,  # type: ignore[call-arg]
                app_secret=settings.app_secret,
                api_url=settings.api_url,
            ),
            http,
        )

    async def run(self, deliver: Deliver) -> None:
        await self._reconnecting(lambda: self._session(deliver))

    async def _session(self, deliver: Deliver) -> None:
        from dingtalk_stream import (
            AckMessage,
            CallbackHandler,
            CallbackMessage,
            Credential,
            DingTalkStreamClient,
        )
        from websockets.asyncio.client import connect as ws_connect

        stream = self

        class BotMessages(CallbackHandler):
            async def process(self, message: CallbackMessage) -> tuple[int, str]:
                msg = stream._deliver_raw(message.data)
                if msg is not None:
                    await deliver(msg)  # recorded before the ack, as for a webhook
                return AckMessage.STATUS_OK, "OK"

        client = DingTalkStreamClient(Credential(self._key, self._secret), logger=_sdk_log)
        client.register_callback_handler(BOT_MESSAGES, BotMessages())
        client.pre_start()
        endpoint, ticket = await self._open()
        async with ws_connect(f"{endpoint}?ticket={quote_plus(ticket)}") as ws:
            client.websocket = ws  # where route_message sends its acks
            async for raw in ws:
                frame = json.loads(raw)
                if await client.route_message(frame) == client.TAG_DISCONNECT:
                    return  # the gateway moves us elsewhere: reconnect at once

    async def _open(self) -> tuple[str, str]:
        """A WebSocket endpoint and one-time ticket for our key, secret and topic."""
        body: dict[str, Any] = {
            "clientId": self._key,
            "clientSecret": self._secret,
            "subscriptions": [{"type": "CALLBACK", "topic": BOT_MESSAGES}],
            "ua": "community-copilot (dingtalk-stream)",
            "localIp": "",
        }
        try:
            resp = await self._http.post(self._open_url, json=body)
        except httpx.HTTPError as exc:
            raise DeliveryError(f"dingtalk stream: {type(exc).__name__}") from None
        data = resp.json() if resp.content else {}
        if resp.status_code in (400, 401, 403):
            raise StreamRefused(
                f"dingtalk stream: DingTalk refused the app credentials (HTTP "
                f"{resp.status_code} {data.get('message', '')}); check COPILOT_DINGTALK_APP_KEY "
                "and COPILOT_DINGTALK_APP_SECRET, and that the robot uses Stream mode"
            )
        if resp.status_code != 200 or not data.get("endpoint") or not data.get("ticket"):
            raise DeliveryError(f"dingtalk stream: connections/open HTTP {resp.status_code}")
        return str(data["endpoint"]), str(data["ticket"])
