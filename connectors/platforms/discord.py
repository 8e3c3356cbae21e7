"""Discord interactions endpoint connector (POST /connectors/discord/interactions).

Ed25519 over ``X-Signature-Timestamp + raw body`` with the application's public key
(``cryptography``); failures are 401, which Discord probes for on purpose. Discord specifies
no freshness window; we bound the timestamp skew (default 5 min) since Discord never retries
an interaction. A slash command is acknowledged with a deferred response (type 5) and answered
by editing the original response, then follow-up messages, through the webhook API.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import httpx
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pydantic import Field, SecretStr

from connectors.base import (
    Capabilities,
    Challenge,
    Connector,
    DeliveryError,
    Ignored,
    InboundMessage,
    ParseResult,
    PayloadError,
    VerificationError,
    Webhook,
    WebhookResponse,
    check_fresh,
    load_json,
    lower_keys,
)
from connectors.http import call_json
from connectors.settings import PlatformSettings, platform_config, require
from connectors.text import compose, utf16_len

PING, APPLICATION_COMMAND = 1, 2
PONG, DEFERRED_CHANNEL_MESSAGE = 1, 5
EPHEMERAL = 1 << 6


def _option_values(options: list[dict[str, Any]]) -> list[str]:
    """Values of a command's options, flattening sub-commands and groups."""
    values: list[str] = []
    for opt in options:
        if "value" in opt:
            values.append(str(opt["value"]))
        values.extend(_option_values(opt.get("options") or []))
    return values


class DiscordSettings(PlatformSettings):
    model_config = platform_config("discord")
    _required: ClassVar[tuple[str, ...]] = ("public_key",)
    public_key: str | None = Field(default=None, description="Application public key (hex).")
    application_id: str | None = None
    bot_token: SecretStr | None = Field(default=None, description="Only for send() to channels.")
    api_url: str = "https://discord.com/api/v10"
    max_skew_seconds: int = 300


class DiscordConnector(Connector):
    platform = "discord"
    settings_model = DiscordSettings
    webhook = Webhook("interactions")
    capabilities = Capabilities(signs_body=True, replay_window_s=300)
    limit = 2000  # message content

    def __init__(self, settings: DiscordSettings, http: httpx.AsyncClient | None = None) -> None:
        super().__init__(settings, http)
        key_hex = require(settings.public_key, "COPILOT_DISCORD_PUBLIC_KEY")
        self._key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(key_hex))
        self._bot_token = settings.bot_token.get_secret_value() if settings.bot_token else None
        self.application_id = settings.application_id
        self.api_url = settings.api_url.rstrip("/")
        self.max_skew = settings.max_skew_seconds

    def verify(
        self,
        headers: Mapping[str, str],
        body: bytes,
        query: Mapping[str, str] | None = None,
        now: float | None = None,
    ) -> None:
        h = lower_keys(headers)
        signature, timestamp = h.get("x-signature-ed25519"), h.get("x-signature-timestamp")
        if not signature or not timestamp:
            raise VerificationError("missing Discord signature headers")
        try:
            self._key.verify(bytes.fromhex(signature), timestamp.encode() + body)
        except (InvalidSignature, ValueError):
            raise VerificationError("invalid Discord signature") from None
        check_fresh(timestamp, time.time() if now is None else now, self.max_skew)

    def parse(
        self, headers: Mapping[str, str], body: bytes, query: Mapping[str, str] | None = None
    ) -> ParseResult:
        data = load_json(body)
        kind = data.get("type")
        if kind == PING:
            return Challenge(json.dumps({"type": PONG}))
        if kind != APPLICATION_COMMAND:
            return Ignored(f"unsupported interaction type {kind!r}")
        if "id" not in data or "token" not in data:
            raise PayloadError("interaction without id or token")
        command: dict[str, Any] = data.get("data") or {}
        name = str(command.get("name", "")).lower()
        args = " ".join(_option_values(command.get("options") or [])).strip()
        user: dict[str, Any] = (data.get("member") or {}).get("user") or data.get("user") or {}
        channel = data.get("channel_id") or (data.get("channel") or {}).get("id") or ""
        app_id = str(data.get("application_id") or self.application_id or "")
        return InboundMessage(
            platform="discord",
            event_id=str(data["id"]),
            chat_id=str(channel),
            chat_type="group" if data.get("guild_id") else "private",
            message_id=str(data["id"]),
            user_id=str(user.get("id", "")),
            user_name=user.get("global_name") or user.get("username"),
            text=f"/{name} {args}".strip(),
            mentioned=True,  # a slash command is always addressed to the app
            command=name or None,
            args=args,
            reply_context={
                "application_id": app_id,
                "token": str(data["token"]),
                "interaction_id": str(data["id"]),
            },
        )

    def ack(self, result: ParseResult) -> WebhookResponse:
        if isinstance(result, InboundMessage):  # "thinking..." until reply() edits it (15 min)
            return WebhookResponse(
                200, json.dumps({"type": DEFERRED_CHANNEL_MESSAGE}), "application/json"
            )
        if isinstance(result, Ignored):  # every interaction needs a valid response
            body = {
                "type": 4,
                "data": {"content": "This interaction is not supported.", "flags": EPHEMERAL},
            }
            return WebhookResponse(200, json.dumps(body), "application/json")
        return super().ack(result)

    async def reply(self, msg: InboundMessage, text: str, *, mention: Sequence[str] = ()) -> None:
        app_id, token = msg.reply_context.get("application_id"), msg.reply_context.get("token")
        if not app_id or not token:
            raise DeliveryError("discord reply: interaction token or application id missing")
        base = f"{self.api_url}/webhooks/{app_id}/{token}"
        for i, chunk in enumerate(
            compose(text, self.limit, utf16_len, suffix=self.mention(mention))
        ):
            payload = self._message(chunk, mention)
            if i == 0:  # replaces the deferred "thinking..." message
                await call_json(
                    self.http,
                    "PATCH",
                    f"{base}/messages/@original",
                    json=payload,
                    what="discord edit",
                )
            else:
                await call_json(self.http, "POST", base, json=payload, what="discord follow-up")

    async def send(
        self, chat_id: str, text: str, *, thread_id: str | None = None, mention: Sequence[str] = ()
    ) -> None:
        if not self._bot_token:
            raise DeliveryError("discord send needs COPILOT_DISCORD_BOT_TOKEN")
        url = f"{self.api_url}/channels/{thread_id or chat_id}/messages"  # threads are channels
        for chunk in compose(text, self.limit, utf16_len, suffix=self.mention(mention)):
            await call_json(
                self.http,
                "POST",
                url,
                json=self._message(chunk, mention),
                headers={"Authorization": f"Bot {self._bot_token}"},
                what="discord send",
            )

    def mention(self, user_ids: Sequence[str]) -> str:
        return " ".join(f"<@{u}>" for u in user_ids)

    @staticmethod
    def _message(content: str, mention: Sequence[str]) -> dict[str, Any]:
        # Only the users we mean to mention are pinged: text that says @everyone stays inert.
        return {"content": content, "allowed_mentions": {"parse": [], "users": list(mention)[:100]}}
