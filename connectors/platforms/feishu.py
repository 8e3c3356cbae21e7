"""Feishu/Lark event subscription v2 connector (POST /connectors/feishu/events).

Order follows the official SDK dispatcher, made stricter: a signed delivery is checked
(``sha256(timestamp + nonce + encrypt_key + raw_body)``, timestamp within ``max_skew``) before
anything is decrypted; the verification token inside the decrypted payload must match; only
``url_verification`` may arrive unsigned. Plain-text bodies are refused because an encrypt key
is required by our settings.

We decrypt with ``cryptography`` rather than lark-oapi's ``AESCipher``: importing lark_oapi
costs ~4 s and pulls pycryptodome; the scheme is eight lines (tests cross-check it against
lark-oapi). Replies are two plain REST calls, so httpx is simpler than lark's client.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
import time
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Literal

import httpx
from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from pydantic import Field, SecretStr

from connectors.base import (
    Capabilities,
    Challenge,
    Connector,
    DeliveryError,
    Ignored,
    InboundMessage,
    ParseResult,
    Posted,
    VerificationError,
    Webhook,
    WebhookResponse,
    check_fresh,
    lower_keys,
    secrets_equal,
)
from connectors.http import CachedToken, call_json
from connectors.settings import PlatformSettings, platform_config, require
from connectors.text import compose, split_command, squash, utf8_len

_PLACEHOLDER = re.compile(r"@_user_\d+")
_TOKEN_EXPIRED = {99991661, 99991663, 99991668}  # invalid/expired tenant_access_token


REACTION_EVENT = "im.message.reaction.created_v1"
REACTIONS: dict[str, Literal["up", "down"]] = {"THUMBSUP": "up", "ThumbsDown": "down"}


def decrypt(encrypt: str, encrypt_key: str) -> bytes:
    """Feishu event decryption: AES-256-CBC, key = SHA256(encrypt_key), IV = first 16 bytes."""
    raw = base64.b64decode(encrypt, validate=True)
    if len(raw) < 32 or len(raw) % 16:
        raise ValueError("invalid ciphertext length")
    key = hashlib.sha256(encrypt_key.encode()).digest()
    dec = Cipher(algorithms.AES(key), modes.CBC(raw[:16])).decryptor()
    padded = dec.update(raw[16:]) + dec.finalize()
    unpadder = padding.PKCS7(128).unpadder()
    return unpadder.update(padded) + unpadder.finalize()


def signature(timestamp: str, nonce: str, encrypt_key: str, body: bytes) -> str:
    return hashlib.sha256((timestamp + nonce + encrypt_key).encode() + body).hexdigest()


def _neutralise(text: str) -> str:
    """An ``<at user_id="all">`` written by a member or the model must not ping the group."""
    return re.sub(r"<(?=\s*at\b)", "＜", text, flags=re.I)


class FeishuSettings(PlatformSettings):
    model_config = platform_config("feishu")
    # The encrypt key is required: without it Feishu signs nothing and the only check is a
    # verification token that travels in clear inside every body.
    _required: ClassVar[tuple[str, ...]] = (
        "app_id",
        "app_secret",
        "verification_token",
        "encrypt_key",
    )
    app_id: str | None = None
    app_secret: SecretStr | None = None
    verification_token: SecretStr | None = None
    encrypt_key: SecretStr | None = None
    bot_open_id: str | None = Field(default=None, description="Else learned from bot/v3/info.")
    api_url: str = Field(default="https://open.feishu.cn", description="Lark: open.larksuite.com")
    max_skew_seconds: int = 300


class FeishuConnector(Connector):
    platform = "feishu"
    settings_model = FeishuSettings
    webhook = Webhook("events")
    capabilities = Capabilities(signs_body=True, replay_window_s=300)
    limit = 30_000  # UTF-8 bytes; far below the 150 KB request cap even after JSON escaping

    def __init__(self, settings: FeishuSettings, http: httpx.AsyncClient | None = None) -> None:
        super().__init__(settings, http)
        self._app_id = require(settings.app_id, "COPILOT_FEISHU_APP_ID")
        self._app_secret = require(settings.app_secret, "COPILOT_FEISHU_APP_SECRET")
        self._vtoken = require(settings.verification_token, "COPILOT_FEISHU_VERIFICATION_TOKEN")
        self._key = require(settings.encrypt_key, "COPILOT_FEISHU_ENCRYPT_KEY")
        self.bot_open_id = settings.bot_open_id
        self.api_url = settings.api_url.rstrip("/")
        self.max_skew = settings.max_skew_seconds
        self._tenant_token = CachedToken(self._fetch_tenant_token)

    # -- inbound -------------------------------------------------------------------------
    def _open(self, body: bytes) -> dict[str, Any]:
        try:
            outer = json.loads(body)
            plain = decrypt(str(outer["encrypt"]), self._key)
            payload = json.loads(plain)
        except (ValueError, KeyError, TypeError, binascii.Error):
            raise VerificationError("body is not an event encrypted with our encrypt key") from None
        if not isinstance(payload, dict):
            raise VerificationError("decrypted event is not a JSON object")
        return payload

    def verify(
        self,
        headers: Mapping[str, str],
        body: bytes,
        query: Mapping[str, str] | None = None,
        now: float | None = None,
    ) -> None:
        h = lower_keys(headers)
        sig = h.get("x-lark-signature")
        if sig:
            ts, nonce = h.get("x-lark-request-timestamp", ""), h.get("x-lark-request-nonce", "")
            if not secrets_equal(sig, signature(ts, nonce, self._key, body)):
                raise VerificationError("invalid Feishu signature")
            check_fresh(ts, time.time() if now is None else now, self.max_skew)
        payload = self._open(body)
        if not sig and payload.get("type") != "url_verification":
            raise VerificationError("unsigned Feishu event")
        token = payload.get("token") or (payload.get("header") or {}).get("token") or ""
        if not secrets_equal(str(token), self._vtoken):
            raise VerificationError("wrong Feishu verification token", 403)

    def parse(
        self, headers: Mapping[str, str], body: bytes, query: Mapping[str, str] | None = None
    ) -> ParseResult:
        payload = self._open(body)
        if payload.get("type") == "url_verification":
            return Challenge(json.dumps({"challenge": str(payload.get("challenge", ""))}))
        header: dict[str, Any] = payload.get("header") or {}
        if payload.get("schema") == "2.0" and header.get("event_type") == REACTION_EVENT:
            return self._reaction(header, payload.get("event") or {})
        if payload.get("schema") != "2.0" or header.get("event_type") != "im.message.receive_v1":
            return Ignored(f"unsupported event {header.get('event_type') or payload.get('type')!r}")
        event: dict[str, Any] = payload.get("event") or {}
        sender, message = event.get("sender") or {}, event.get("message") or {}
        if sender.get("sender_type") != "user":
            return Ignored("not a message from a person")
        raw = _message_text(message)
        if raw is None:
            return Ignored(f"unsupported message type {message.get('message_type')!r}")
        text, bot_mentioned = self._resolve_mentions(raw, message.get("mentions") or [])
        private = message.get("chat_type") == "p2p"
        thread = message.get("thread_id") or message.get("root_id")
        command, args, _ = split_command(text)
        return InboundMessage(
            platform="feishu",
            event_id=str(header.get("event_id", "")),
            chat_id=str(message.get("chat_id", "")),
            chat_type="private" if private else "group",
            thread_id=thread,
            message_id=str(message.get("message_id", "")),
            user_id=str((sender.get("sender_id") or {}).get("open_id", "")),
            text=text,
            mentioned=bot_mentioned or private,
            command=command,
            args=args,
            reply_context={
                "message_id": str(message.get("message_id", "")),
                "in_thread": "1" if thread else "",
            },
        )

    def _reaction(self, header: dict[str, Any], event: dict[str, Any]) -> ParseResult:
        """A 👍/👎 added to a message in the bot's chats. The event names no chat: the app
        layer finds it from the copilot's own message (chat_id left empty)."""
        rating = REACTIONS.get(str((event.get("reaction_type") or {}).get("emoji_type", "")))
        user = str((event.get("user_id") or {}).get("open_id", ""))
        if rating is None or event.get("operator_type") != "user" or not user:
            return Ignored("not a person's thumbs up/down")
        return InboundMessage(
            platform="feishu",
            event_id=str(header.get("event_id", "")),
            chat_id="",
            chat_type="group",
            message_id=str(event.get("message_id", "")),
            user_id=user,
            text="",
            mentioned=False,
            reaction=rating,
        )

    def _resolve_mentions(self, text: str, mentions: list[dict[str, Any]]) -> tuple[str, bool]:
        """Drop the bot's ``@_user_N`` placeholder, spell out the others as ``@name``."""
        names, bot_keys = {}, set()
        for i, m in enumerate(mentions):
            key = str(m.get("key", ""))
            names[key] = f"@{m.get('name', '')}"
            open_id = (m.get("id") or {}).get("open_id")
            # Bot id unknown (setup() not run yet): take the first mention as the bot.
            is_bot = (open_id == self.bot_open_id) if self.bot_open_id else (i == 0)
            if is_bot:
                bot_keys.add(key)
        out = _PLACEHOLDER.sub(lambda p: "" if p[0] in bot_keys else names.get(p[0], p[0]), text)
        return squash(out), bool(bot_keys)

    def ack(self, result: ParseResult) -> WebhookResponse:
        if isinstance(result, Challenge):
            return super().ack(result)
        return WebhookResponse(200, json.dumps({"msg": "success"}), "application/json")

    # -- outbound ------------------------------------------------------------------------
    async def _fetch_tenant_token(self) -> tuple[str, float]:
        data = await call_json(
            self.http,
            "POST",
            f"{self.api_url}/open-apis/auth/v3/tenant_access_token/internal",
            json={"app_id": self._app_id, "app_secret": self._app_secret},
            what="feishu tenant_access_token",
            error_key="code",
        )
        if data.get("code") != 0 or not data.get("tenant_access_token"):
            raise DeliveryError(f"feishu tenant_access_token: {data.get('code')} {data.get('msg')}")
        return str(data["tenant_access_token"]), float(data.get("expire", 7200))

    async def _api(
        self, method: str, path: str, payload: Any = None, params: dict[str, str] | None = None
    ) -> dict[str, Any]:
        for attempt in (1, 2):  # a revoked/expired token is refreshed once
            token = await self._tenant_token.get()
            data = await call_json(
                self.http,
                method,
                f"{self.api_url}{path}",
                json=payload,
                params=params,
                headers={"Authorization": f"Bearer {token}"},
                what=f"feishu {path}",
                error_key="code",
            )
            if data.get("code") in _TOKEN_EXPIRED and attempt == 1:
                self._tenant_token.invalidate()
                continue
            if data.get("code") != 0:
                raise DeliveryError(f"feishu {path}: {data.get('code')} {data.get('msg')}")
            return data
        raise AssertionError("unreachable")

    async def setup(self) -> None:
        if not self.bot_open_id:
            data = await self._api("GET", "/open-apis/bot/v3/info")
            self.bot_open_id = (data.get("bot") or {}).get("open_id")

    async def reply(
        self, msg: InboundMessage, text: str, *, mention: Sequence[str] = ()
    ) -> Posted | None:
        message_id = msg.reply_context.get("message_id") or msg.message_id
        return await self._reply(
            message_id, text, mention, in_thread=bool(msg.reply_context.get("in_thread"))
        )

    async def _reply(
        self, message_id: str, text: str, mention: Sequence[str], *, in_thread: bool
    ) -> Posted:
        posted: Posted = []
        for i, chunk in enumerate(self._chunks(text, mention)):
            body = {
                "msg_type": "text",
                "content": json.dumps({"text": chunk}, ensure_ascii=False),
                "reply_in_thread": in_thread,
                # Idempotency key (Feishu dedupes it for 1 h): a retried reply is not doubled.
                "uuid": hashlib.sha256(f"{message_id}:{i}:{chunk}".encode()).hexdigest()[:32],
            }
            data = await self._api("POST", f"/open-apis/im/v1/messages/{message_id}/reply", body)
            if (data.get("data") or {}).get("message_id"):
                posted.append(str(data["data"]["message_id"]))
        return posted

    async def send(
        self, chat_id: str, text: str, *, thread_id: str | None = None, mention: Sequence[str] = ()
    ) -> None:
        """``thread_id`` is a message id (om_...) to answer under, in its thread."""
        if thread_id:
            await self._reply(thread_id, text, mention, in_thread=True)
            return
        for chunk in self._chunks(text, mention):
            body = {
                "receive_id": chat_id,
                "msg_type": "text",
                "content": json.dumps({"text": chunk}, ensure_ascii=False),
            }
            await self._api(
                "POST", "/open-apis/im/v1/messages", body, params={"receive_id_type": "chat_id"}
            )

    def _chunks(self, text: str, mention: Sequence[str]) -> list[str]:
        return compose(text, self.limit, utf8_len, escape=_neutralise, suffix=self.mention(mention))

    def mention(self, user_ids: Sequence[str]) -> str:
        return " ".join(f'<at user_id="{u}"></at>' for u in user_ids)


def _message_text(message: dict[str, Any]) -> str | None:
    """Plain text of a ``text`` or rich-text ``post`` message; None for other types."""
    try:
        content = json.loads(message.get("content") or "{}")
    except ValueError:
        return None
    kind = message.get("message_type")
    if kind == "text":
        return str(content.get("text", ""))
    if kind == "post":
        lines = []
        for para in content.get("content") or []:
            parts = [
                el.get("text") or (el.get("user_id") if el.get("tag") == "at" else "") or ""
                for el in para
            ]
            lines.append("".join(str(p) for p in parts))
        return "\n".join([content.get("title") or "", *lines]).strip()
    return None
