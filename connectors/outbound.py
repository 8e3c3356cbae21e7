"""Outbound connections: the bot connects to the platform, so no public URL is needed (a
machine behind NAT or inside a company network works). ``copilot connect`` runs them.

Each stream turns what the platform pushes into the same ``InboundMessage`` a webhook would
(through the platform connector's own ``parse``) and hands it to the same worker: routing,
dedupe on ``event_id``, rate limits, the review queue and replies are shared with webhooks.
Authenticity comes from the connection itself (TLS to the platform, opened with our token),
so there is no per-message signature to check.

- Slack **Socket Mode** with ``slack_sdk`` (``COPILOT_SLACK_APP_TOKEN``, an ``xapp-`` token
  with ``connections:write``, plus the bot token): envelopes are acknowledged at once, as
  Slack requires within 3 s, and the answer follows through the Web API.
- Telegram **long polling** (``getUpdates``; ``COPILOT_TELEGRAM_POLLING=true`` plus the bot
  token): the offset is advanced past every update, so a restart does not answer twice.
- QQ official bot **WebSocket gateway** (``COPILOT_QQ_GATEWAY=true`` plus app id and secret):
  the documented protocol (Hello → Identify with ``QQBot <token>`` and the group/C2C and
  guild @ intents → Ready, heartbeats with the last sequence, Resume after a drop), spoken
  with ``websockets`` since qq-botpy would add an older aiohttp pin; QQ says this link is
  being retired in favour of webhooks, so it is the fallback for machines without one.
- DingTalk **Stream mode**, the Feishu/Lark **long connection** and the Discord **Gateway**:
  one module each in ``connectors/streams/``.
"""

from __future__ import annotations

import asyncio
import json
import secrets
from typing import Any, ClassVar

import httpx
from pydantic import Field, SecretStr

from connectors.base import Capabilities, DeliveryError
from connectors.platforms.qq import QqConnector, QqSettings
from connectors.platforms.slack import SlackConnector, SlackSettings
from connectors.platforms.telegram import TelegramConnector, TelegramSettings
from connectors.settings import PlatformSettings, platform_config
from connectors.streams import Deliver, Stream, log
from connectors.streams.dingtalk import DingtalkStream, DingtalkStreamSettings
from connectors.streams.discord import DiscordGateway, DiscordGatewaySettings
from connectors.streams.feishu import FeishuLongConnection, FeishuLongConnectionSettings


# -- Slack Socket Mode --------------------------------------------------------------------------
class SlackSocketSettings(PlatformSettings):
    model_config = platform_config("slack")
    _required: ClassVar[tuple[str, ...]] = ("app_token", "bot_token")
    app_token: SecretStr | None = Field(default=None, description="xapp- token (Socket Mode).")
    bot_token: SecretStr | None = None
    signing_secret: SecretStr | None = None
    bot_user_id: str | None = None
    api_url: str = "https://slack.com/api/"


class SlackSocketMode(Stream):
    platform = "slack"
    mode = "Slack Socket Mode"

    def __init__(self, settings: SlackSocketSettings, http: httpx.AsyncClient) -> None:
        assert settings.app_token is not None and settings.bot_token is not None
        self._app_token = settings.app_token.get_secret_value()
        self._api_url = settings.api_url
        # `copilot connect` serves no webhooks: without a signing secret of its own the
        # connector gets an unguessable one, so nothing could pass its verify() anyway.
        signing = settings.signing_secret or SecretStr(secrets.token_hex(32))
        self.connector = SlackConnector(
            SlackSettings(
                _env_file=None,  # type: ignore[call-arg]
                signing_secret=signing,
                bot_token=settings.bot_token,
                bot_user_id=settings.bot_user_id,
                api_url=settings.api_url,
            ),
            http,
        )

    async def run(self, deliver: Deliver) -> None:
        from slack_sdk.socket_mode.aiohttp import SocketModeClient
        from slack_sdk.socket_mode.request import SocketModeRequest
        from slack_sdk.socket_mode.response import SocketModeResponse
        from slack_sdk.web.async_client import AsyncWebClient

        client = SocketModeClient(
            app_token=self._app_token,
            web_client=AsyncWebClient(base_url=self._api_url),
            logger=log,
        )

        async def on_request(c: SocketModeClient, req: SocketModeRequest) -> None:
            await c.send_socket_mode_response(SocketModeResponse(envelope_id=req.envelope_id))
            if req.type == "events_api":
                msg = self._deliver_raw(req.payload)
                if msg is not None:
                    await deliver(msg)

        client.socket_mode_request_listeners.append(on_request)  # type: ignore[arg-type]
        await self.connector.setup()
        await client.connect()
        try:
            await asyncio.Event().wait()  # slack_sdk reconnects by itself; run until cancelled
        finally:
            await client.close()


# -- Telegram long polling --------------------------------------------------------------------
class TelegramPollingSettings(PlatformSettings):
    model_config = platform_config("telegram")
    _required: ClassVar[tuple[str, ...]] = ("bot_token", "polling")
    polling: bool = Field(default=False, description="Use getUpdates instead of a webhook.")
    bot_token: SecretStr | None = None
    bot_username: str | None = None
    api_url: str = "https://api.telegram.org"
    poll_timeout: int = 25  # seconds Telegram holds a getUpdates call open


class TelegramPollingConnector(TelegramConnector):
    """Updates fetched with our bot token over TLS are Telegram's own: unlike a webhook
    (a static secret header), the body is authentic, so operator commands are not held."""

    capabilities = Capabilities(signs_body=True, replay_window_s=None)


class TelegramPolling(Stream):
    platform = "telegram"
    mode = "Telegram long polling"

    def __init__(self, settings: TelegramPollingSettings, http: httpx.AsyncClient) -> None:
        assert settings.bot_token is not None
        self._token = settings.bot_token.get_secret_value()
        self._api_url = settings.api_url.rstrip("/")
        self._timeout = settings.poll_timeout
        self._http = http
        self.connector = TelegramPollingConnector(
            TelegramSettings(
                _env_file=None,  # type: ignore[call-arg]
                bot_token=settings.bot_token,
                # No webhook is served while polling: an unguessable secret refuses them all.
                secret_token=SecretStr(secrets.token_urlsafe(32)),
                bot_username=settings.bot_username,
                api_url=settings.api_url,
            ),
            http,
        )
        self.offset: int | None = None

    async def run(self, deliver: Deliver) -> None:
        await self.connector.setup()
        backoff = 1.0
        while True:
            try:
                updates = await self._get_updates()
                backoff = 1.0
            except DeliveryError as err:
                if "409" in str(err):  # a webhook is set: Telegram refuses getUpdates
                    raise DeliveryError(
                        "telegram getUpdates: the bot has a webhook set; remove it "
                        "(deleteWebhook) or run the webhook instead of polling"
                    ) from None
                log.warning("%s; retrying in %.0f s", err, backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 60)
                continue
            for update in updates:
                self.offset = int(update["update_id"]) + 1
                msg = self._deliver_raw(update)
                if msg is not None:
                    await deliver(msg)

    async def _get_updates(self) -> list[dict[str, Any]]:
        body: dict[str, Any] = {
            "timeout": self._timeout,
            "allowed_updates": ["message", "message_reaction"],
        }
        if self.offset is not None:
            body["offset"] = self.offset
        url = f"{self._api_url}/bot{self._token}/getUpdates"
        try:
            resp = await self._http.post(url, json=body, timeout=self._timeout + 10)
        except httpx.HTTPError as exc:
            raise DeliveryError(f"telegram getUpdates: {type(exc).__name__}") from None
        data = resp.json() if resp.content else {}
        if resp.status_code != 200 or not data.get("ok"):
            raise DeliveryError(
                f"telegram getUpdates: HTTP {resp.status_code} {data.get('description', '')}"
            )
        return [u for u in data.get("result") or [] if isinstance(u, dict)]


# -- QQ official bot gateway --------------------------------------------------------------------
HELLO, HEARTBEAT, IDENTIFY, RESUME, RECONNECT, INVALID_SESSION, HEARTBEAT_ACK = (
    10,
    1,
    2,
    6,
    7,
    9,
    11,
)
GROUP_AND_C2C, PUBLIC_GUILD_MESSAGES = 1 << 25, 1 << 30


class QqGatewaySettings(PlatformSettings):
    model_config = platform_config("qq")
    _required: ClassVar[tuple[str, ...]] = ("app_id", "app_secret", "gateway")
    gateway: bool = Field(default=False, description="Receive over the WebSocket gateway.")
    app_id: str | None = None
    app_secret: SecretStr | None = None
    api_url: str = "https://api.sgroup.qq.com"
    token_url: str = "https://bots.qq.com/app/getAppAccessToken"
    intents: int = GROUP_AND_C2C | PUBLIC_GUILD_MESSAGES


class QqGateway(Stream):
    platform = "qq"
    mode = "QQ WebSocket gateway"

    def __init__(self, settings: QqGatewaySettings, http: httpx.AsyncClient) -> None:
        self.connector: QqConnector = QqConnector(
            QqSettings(
                _env_file=None,  # type: ignore[call-arg]
                app_id=settings.app_id,
                app_secret=settings.app_secret,
                api_url=settings.api_url,
                token_url=settings.token_url,
            ),
            http,
        )
        self._api_url = settings.api_url.rstrip("/")
        self._intents = settings.intents
        self.session_id: str | None = None
        self.seq: int | None = None

    async def run(self, deliver: Deliver) -> None:
        await self._reconnecting(lambda: self._session(deliver))

    async def _session(self, deliver: Deliver) -> None:
        from websockets.asyncio.client import connect as ws_connect
        from websockets.exceptions import ConnectionClosed

        token = await self.connector.access_token()
        url = (await self.connector.api("GET", f"{self._api_url}/gateway", "qq gateway"))["url"]
        async with ws_connect(str(url)) as ws:
            hello = json.loads(await ws.recv())
            if hello.get("op") != HELLO:
                raise ValueError(f"expected Hello, got op {hello.get('op')!r}")
            interval = float(hello["d"]["heartbeat_interval"]) / 1000
            await ws.send(json.dumps(self._login(token)))
            beat = asyncio.create_task(self._heartbeat(ws, interval))
            try:
                async for raw in ws:
                    if not await self._frame(json.loads(raw), deliver):
                        return  # Reconnect / Invalid Session: start a new session
            except ConnectionClosed as closed:
                raise OSError(f"connection closed ({closed.code})") from None
            finally:
                beat.cancel()

    def _login(self, token: str) -> dict[str, Any]:
        if self.session_id and self.seq is not None:  # pick up where the drop left off
            resume = {"token": f"QQBot {token}", "session_id": self.session_id, "seq": self.seq}
            return {"op": RESUME, "d": resume}
        identify = {"token": f"QQBot {token}", "intents": self._intents, "shard": [0, 1],
                    "properties": {"$os": "linux", "$browser": "community-copilot",
                                   "$device": "community-copilot"}}  # fmt: skip
        return {"op": IDENTIFY, "d": identify}

    async def _frame(self, frame: dict[str, Any], deliver: Deliver) -> bool:
        op = frame.get("op")
        if frame.get("s") is not None:
            self.seq = int(frame["s"])
        if op == RECONNECT:
            return False
        if op == INVALID_SESSION:
            self.session_id = self.seq = None  # identify afresh
            return False
        if op == 0 and frame.get("t") == "READY":
            self.session_id = str((frame.get("d") or {}).get("session_id") or "") or None
        elif op == 0:
            msg = self._deliver_raw(frame)  # the same payload a webhook carries
            if msg is not None:
                await deliver(msg)
        return True

    async def _heartbeat(self, ws: Any, interval: float) -> None:
        while True:
            await asyncio.sleep(interval)
            await ws.send(json.dumps({"op": HEARTBEAT, "d": self.seq}))


# Platform → (settings, stream, the setting that asks for this outbound mode).
STREAMS: dict[str, tuple[type[PlatformSettings], type[Stream], str]] = {
    "slack": (SlackSocketSettings, SlackSocketMode, "app_token"),
    "telegram": (TelegramPollingSettings, TelegramPolling, "polling"),
    "qq": (QqGatewaySettings, QqGateway, "gateway"),
    "dingtalk": (DingtalkStreamSettings, DingtalkStream, "stream"),
    "feishu": (FeishuLongConnectionSettings, FeishuLongConnection, "long_connection"),
    "discord": (DiscordGatewaySettings, DiscordGateway, "gateway"),
}


def build_streams(http: httpx.AsyncClient) -> list[Stream]:
    """The outbound connections whose settings are complete; one asked for but half
    configured is an error naming what is missing (as for webhooks)."""
    streams: list[Stream] = []
    for name, (settings_cls, stream_cls, switch) in STREAMS.items():
        settings = settings_cls()  # type: ignore[call-arg]  # read from COPILOT_<PLATFORM>_*
        if settings.enabled:
            streams.append(stream_cls(settings, http))  # type: ignore[call-arg]
        elif getattr(settings, switch):
            raise ValueError(
                f"the {name} outbound connection is partly configured; "
                f"missing: {', '.join(settings.missing())}"
            )
    return streams
