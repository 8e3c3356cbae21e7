"""The Discord **Gateway** (API v10, JSON): the bot connects out and sees messages, so members
@-mention it like a person instead of typing a slash command.

Protocol (discord.dev "Gateway"): ``GET /gateway/bot`` with the bot token gives the URL;
connect with ``?v=10&encoding=json``; op 10 Hello gives the heartbeat interval; op 2
Identify (token, intents) → dispatch ``READY`` (session id, ``resume_gateway_url``, the
bot's user id). Heartbeats (op 1 with the last sequence) go out every interval, the first
after a random fraction of it; a heartbeat not acked (op 11) by the next one means a zombie
link: we close with a non-1000 code and Resume (op 6: token, session id, last sequence) on
the resume URL, as we do after a drop, op 7 Reconnect or op 9 Invalid Session (resumable);
op 9 not resumable means Identify afresh. Close codes 4004 and 4010-4014 (bad token,
sharding, intents) cannot be fixed by retrying: ``copilot connect`` stops and says why.

Intents: guild messages and direct messages. The content of a message that @-mentions the
bot (or is a DM) reaches it without the privileged Message Content intent; set
``COPILOT_DISCORD_MESSAGE_CONTENT=true`` (and enable it in the Developer Portal) for routes in
mode ``all`` or with capture. Replies are REST posts that reference the member's message.
Written on ``websockets`` like the QQ gateway: discord.py would bring its own client, cache
and event loop handling for the four opcodes we need.
"""

from __future__ import annotations

import asyncio
import json
import random
import re
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from pydantic import Field, SecretStr

from connectors.base import (
    Capabilities,
    DeliveryError,
    Ignored,
    InboundMessage,
    ParseResult,
    load_json,
)
from connectors.http import call_json
from connectors.platforms.discord import DiscordConnector, DiscordSettings
from connectors.settings import PlatformSettings, platform_config
from connectors.streams import Deliver, Stream, StreamRefused, log
from connectors.text import compose, split_command, squash, utf16_len

DISPATCH, HEARTBEAT, IDENTIFY, RESUME, RECONNECT, INVALID_SESSION, HELLO, HEARTBEAT_ACK = (
    0, 1, 2, 6, 7, 9, 10, 11,
)  # fmt: skip
GUILDS, GUILD_MESSAGES, DIRECT_MESSAGES, MESSAGE_CONTENT = 1 << 0, 1 << 9, 1 << 12, 1 << 15
FATAL_CLOSE = {
    4004: "Discord refused the bot token; check COPILOT_DISCORD_BOT_TOKEN",
    4010: "invalid shard",
    4011: "this bot is in too many guilds for one connection (sharding required)",
    4012: "invalid API version",
    4013: "invalid intents",
    4014: "the Message Content intent is not enabled for this bot in the Developer Portal; "
    "enable it or unset COPILOT_DISCORD_MESSAGE_CONTENT",
}
RESTART_SESSION_CLOSE = {4007, 4009}  # invalid sequence, session timed out: identify afresh
_MESSAGE_TYPES = {0, 19}  # a default message and a reply


class DiscordGatewaySettings(PlatformSettings):
    model_config = platform_config("discord")
    _required: ClassVar[tuple[str, ...]] = ("bot_token", "gateway")
    gateway: bool = Field(default=False, description="Receive over the Gateway.")
    bot_token: SecretStr | None = None
    message_content: bool = Field(default=False, description="Ask for the privileged intent.")
    api_url: str = "https://discord.com/api/v10"


class DiscordGatewayConnector(DiscordConnector):
    """Messages from the Gateway (not interactions): @-mentions and DMs, replied to by
    referencing the member's message. Authentic as a whole: they come on our connection."""

    capabilities = Capabilities(signs_body=True, replay_window_s=None)
    bot_id: str | None = None

    def parse(
        self, headers: Mapping[str, str], body: bytes, query: Mapping[str, str] | None = None
    ) -> ParseResult:
        data = load_json(body)
        author: dict[str, Any] = data.get("author") or {}
        if author.get("bot") or str(author.get("id")) == self.bot_id:
            return Ignored("a bot's message")
        if data.get("type", 0) not in _MESSAGE_TYPES:
            return Ignored(f"message type {data.get('type')!r}")
        mentions = {str(u.get("id")) for u in data.get("mentions") or []}
        private = not data.get("guild_id")
        mark = re.compile(rf"<@!?{re.escape(self.bot_id or '-')}>")
        text = squash(mark.sub("", str(data.get("content", ""))))
        command, args, _ = split_command(text)
        quoted = (data.get("referenced_message") or {}).get("content")
        return InboundMessage(
            platform="discord",
            event_id=f"msg:{data['id']}",  # apart from interaction ids
            chat_id=str(data.get("channel_id", "")),
            chat_type="private" if private else "group",
            message_id=str(data["id"]),
            user_id=str(author.get("id", "")),
            user_name=author.get("global_name") or author.get("username"),
            user_handle=author.get("username"),
            text=text,
            mentioned=private or (self.bot_id in mentions),
            command=command,
            args=args,
            quoted_text=str(quoted) if quoted else None,
            reply_context={
                "channel_id": str(data.get("channel_id", "")),
                "message_id": str(data["id"]),
            },
        )

    async def reply(self, msg: InboundMessage, text: str, *, mention: Sequence[str] = ()) -> None:
        if not self._bot_token:
            raise DeliveryError("discord reply needs COPILOT_DISCORD_BOT_TOKEN")
        channel = msg.reply_context.get("channel_id") or msg.chat_id
        for i, chunk in enumerate(
            compose(text, self.limit, utf16_len, suffix=self.mention(mention))
        ):
            payload = self._message(chunk, mention)
            if i == 0:  # the answer hangs under the question; no ping for its author
                payload["message_reference"] = {
                    "message_id": msg.reply_context.get("message_id") or msg.message_id,
                    "fail_if_not_exists": False,
                }
            await call_json(
                self.http,
                "POST",
                f"{self.api_url}/channels/{channel}/messages",
                json=payload,
                headers={"Authorization": f"Bot {self._bot_token}"},
                what="discord reply",
            )


class DiscordGateway(Stream):
    platform = "discord"
    mode = "Discord Gateway"

    def __init__(self, settings: DiscordGatewaySettings, http: httpx.AsyncClient) -> None:
        assert settings.bot_token is not None
        self._token = settings.bot_token.get_secret_value()
        self._api_url = settings.api_url.rstrip("/")
        self._http = http
        self.intents = GUILDS | GUILD_MESSAGES | DIRECT_MESSAGES
        if settings.message_content:
            self.intents |= MESSAGE_CONTENT
        # No interactions are served here: a fresh key no request could be signed with.
        unused = Ed25519PrivateKey.generate().public_key()
        self.connector: DiscordGatewayConnector = DiscordGatewayConnector(
            DiscordSettings(
                _env_file=None,  # type: ignore[call-arg]
                public_key=unused.public_bytes(Encoding.Raw, PublicFormat.Raw).hex(),
                bot_token=settings.bot_token,
                api_url=settings.api_url,
            ),
            http,
        )
        self.session_id: str | None = None
        self.resume_url: str | None = None
        self.seq: int | None = None
        self._acked = True

    async def run(self, deliver: Deliver) -> None:
        await self._reconnecting(lambda: self._session(deliver))

    async def _session(self, deliver: Deliver) -> None:
        from websockets.asyncio.client import connect as ws_connect
        from websockets.exceptions import ConnectionClosed

        resuming = bool(self.session_id and self.resume_url)
        base = self.resume_url if resuming else await self._gateway_url()
        async with ws_connect(f"{str(base).rstrip('/')}/?v=10&encoding=json") as ws:
            hello = json.loads(await ws.recv())
            if hello.get("op") != HELLO:
                raise ValueError(f"expected Hello, got op {hello.get('op')!r}")
            await ws.send(json.dumps(self._login() if resuming else self._identify()))
            self._acked = True
            interval = float(hello["d"]["heartbeat_interval"]) / 1000
            beat = asyncio.create_task(self._heartbeat(ws, interval))
            try:
                async for raw in ws:
                    if not await self._frame(ws, json.loads(raw), deliver):
                        await ws.close(code=4000, reason="reconnecting")  # keeps the session
                        return
            except ConnectionClosed as closed:
                code = closed.rcvd.code if closed.rcvd else None
                if code in FATAL_CLOSE:
                    raise StreamRefused(f"discord gateway: {FATAL_CLOSE[code]} ({code})") from None
                if code in RESTART_SESSION_CLOSE:
                    self.session_id = None
                raise OSError(f"connection closed ({code})") from None
            finally:
                beat.cancel()

    async def _gateway_url(self) -> str:
        try:
            data = await call_json(
                self._http,
                "GET",
                f"{self._api_url}/gateway/bot",
                headers={"Authorization": f"Bot {self._token}"},
                what="discord gateway",
            )
        except DeliveryError as err:
            if "HTTP 401" in str(err):
                raise StreamRefused(
                    "discord gateway: Discord refused the bot token (HTTP 401); check "
                    "COPILOT_DISCORD_BOT_TOKEN"
                ) from None
            raise
        return str(data["url"])

    def _identify(self) -> dict[str, Any]:
        self.session_id = self.seq = None
        props = {"os": "linux", "browser": "community-copilot", "device": "community-copilot"}
        identify = {"token": self._token, "intents": self.intents, "properties": props}
        return {"op": IDENTIFY, "d": identify}

    def _login(self) -> dict[str, Any]:
        resume = {"token": self._token, "session_id": self.session_id, "seq": self.seq}
        return {"op": RESUME, "d": resume}

    async def _frame(self, ws: Any, frame: dict[str, Any], deliver: Deliver) -> bool:
        """Handle one payload; False when the gateway wants us to reconnect."""
        op, data = frame.get("op"), frame.get("d") or {}
        if frame.get("s") is not None:
            self.seq = int(frame["s"])
        if op == HEARTBEAT_ACK:
            self._acked = True
        elif op == HEARTBEAT:  # the gateway asks for one now
            await ws.send(json.dumps({"op": HEARTBEAT, "d": self.seq}))
        elif op == RECONNECT:
            return False
        elif op == INVALID_SESSION:
            if not data:
                self.session_id = None
                await asyncio.sleep(random.uniform(1, 5))  # as the docs ask before Identify
            return False
        elif op == DISPATCH and frame.get("t") == "READY":
            self.session_id = str(data["session_id"])
            self.resume_url = str(data.get("resume_gateway_url") or "") or None
            self.connector.bot_id = str((data.get("user") or {}).get("id") or "") or None
        elif op == DISPATCH and frame.get("t") == "MESSAGE_CREATE":
            msg = self._deliver_raw(data)
            if msg is not None:
                await deliver(msg)
        return True

    async def _heartbeat(self, ws: Any, interval: float) -> None:
        await asyncio.sleep(interval * random.random())  # jitter, as the docs ask
        while True:
            if not self._acked:
                log.warning("discord gateway: heartbeat not acknowledged; resuming")
                await ws.close(code=4000, reason="zombied connection")
                return
            self._acked = False
            await ws.send(json.dumps({"op": HEARTBEAT, "d": self.seq}))
            await asyncio.sleep(interval)
