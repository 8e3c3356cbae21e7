"""QQ official bot API (QQ 开放平台, bot.q.qq.com), webhook mode: POST /connectors/qq/events.

Verification (docs: 开发准备 → 安全和授权): an Ed25519 key pair is derived from the bot secret
(the secret repeated until it has 32 bytes, cut to 32: the seed); every callback carries
``X-Signature-Ed25519`` over ``X-Signature-Timestamp + raw body``, checked with ``cryptography``.
The platform documents no freshness window; we bound the timestamp skew (default 5 min). The
one unsigned request is the callback-URL check (op 13), answered by signing
``event_ts + plain_token``: we answer it only for a token of letters and digits (the
platform's are 20 of them), so the answer can never be a signature over a JSON body, which
would let anyone forge events with it.

Events: ``GROUP_AT_MESSAGE_CREATE`` (a member @-mentions the bot in a group; the mention is
already removed from ``content``), ``C2C_MESSAGE_CREATE`` (one-to-one) and
``AT_MESSAGE_CREATE`` (a guild channel). Every delivery is acknowledged with op 12.

Replies are passive only (proactive messages ended on 2025-04-21): each answers the member's
``msg_id`` within 5 minutes in groups (60 in one-to-one chats), at most 5 times, each with
its own ``msg_seq``; a delivery after the window is refused here with a clear error. Calls
carry ``Authorization: QQBot <access token>`` from ``getAppAccessToken``.
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, ClassVar

import httpx
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
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
from connectors.http import CachedToken, call_json
from connectors.settings import PlatformSettings, platform_config, require
from connectors.text import compose, split_command, squash

DISPATCH, HTTP_ACK, VALIDATION = 0, 12, 13
_SAFE_TOKEN = re.compile(r"^[A-Za-z0-9]{1,64}$")
_MENTION = re.compile(r"<@!?\w+>")  # guild channel messages keep the bot mention in content
MAX_REPLIES = 5  # per msg_id
# Event type → (chat kind, reply path template, seconds a passive reply stays possible).
_KINDS = {
    "GROUP_AT_MESSAGE_CREATE": ("group", "/v2/groups/{chat}/messages", 300),
    "C2C_MESSAGE_CREATE": ("c2c", "/v2/users/{chat}/messages", 3600),
    "AT_MESSAGE_CREATE": ("channel", "/channels/{chat}/messages", 300),
}
_PATHS = {kind: path for kind, path, _ in _KINDS.values()}
_WINDOWS = {kind: window for kind, _, window in _KINDS.values()}


def signing_key(secret: str) -> Ed25519PrivateKey:
    """The bot's Ed25519 key: the secret repeated up to 32 bytes is the seed (as documented)."""
    seed = secret.encode()
    if not seed:
        raise ValueError("the QQ bot secret is empty")
    while len(seed) < 32:
        seed *= 2
    return Ed25519PrivateKey.from_private_bytes(seed[:32])


class QqSettings(PlatformSettings):
    model_config = platform_config("qq")
    _required: ClassVar[tuple[str, ...]] = ("app_id", "app_secret")
    app_id: str | None = Field(default=None, description="AppID (开发设置).")
    app_secret: SecretStr | None = Field(default=None, description="AppSecret (开发设置).")
    api_url: str = "https://api.sgroup.qq.com"
    token_url: str = "https://bots.qq.com/app/getAppAccessToken"
    max_skew_seconds: int = 300


class QqConnector(Connector):
    platform = "qq"
    settings_model = QqSettings
    webhook = Webhook("events")
    capabilities = Capabilities(signs_body=True, replay_window_s=300)
    limit = 2000  # characters per message we send; long answers become several replies

    def __init__(self, settings: QqSettings, http: httpx.AsyncClient | None = None) -> None:
        super().__init__(settings, http)
        self.app_id = require(settings.app_id, "COPILOT_QQ_APP_ID")
        self._secret = require(settings.app_secret, "COPILOT_QQ_APP_SECRET")
        self._key = signing_key(self._secret)
        self._public = self._key.public_key()
        self.api_url = settings.api_url.rstrip("/")
        self.token_url = settings.token_url
        self.max_skew = settings.max_skew_seconds
        self._token = CachedToken(self._fetch_token, margin=60)
        self._seq: Counter[str] = Counter()  # replies sent per msg_id (msg_seq)

    # -- verify → parse → ack ----------------------------------------------------------------
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
            if _validation(body) is not None:
                return  # the callback-URL check is the one request QQ does not sign
            raise VerificationError("missing QQ signature headers")
        try:
            raw = bytes.fromhex(signature)
            if len(raw) != 64 or raw[63] & 224:  # as the docs' reference check
                raise ValueError
            self._public.verify(raw, timestamp.encode() + body)
        except (InvalidSignature, ValueError):
            raise VerificationError("invalid QQ signature") from None
        check_fresh(timestamp, time.time() if now is None else now, self.max_skew)

    def parse(
        self, headers: Mapping[str, str], body: bytes, query: Mapping[str, str] | None = None
    ) -> ParseResult:
        data = load_json(body)
        op = data.get("op")
        if op == VALIDATION:
            check = _validation(body)
            if check is None:
                raise PayloadError("callback validation with an unexpected plain_token")
            token, event_ts = check
            return Challenge(
                json.dumps({"plain_token": token, "signature": self.sign(event_ts, token)})
            )
        if op != DISPATCH:
            return Ignored(f"op {op!r} is not an event")
        kind = _KINDS.get(str(data.get("t")))
        if kind is None:
            return Ignored(f"event {data.get('t')!r} is not a message for the bot")
        d: dict[str, Any] = data["d"]
        author: dict[str, Any] = d.get("author") or {}
        chat = {
            "group": d.get("group_openid"),
            "c2c": author.get("user_openid"),
            "channel": d.get("channel_id"),
        }[kind[0]]
        if not chat or not d.get("id"):
            raise PayloadError("QQ message event without its chat or message id")
        text = squash(_MENTION.sub("", str(d.get("content") or "")))
        command, args, _ = split_command(text)
        user = author.get("member_openid") or author.get("user_openid") or author.get("id")
        return InboundMessage(
            platform="qq",
            # QQ may push the same message again; its id is what a reply answers.
            event_id=str(d["id"]),
            chat_id=str(chat),
            chat_type="private" if kind[0] == "c2c" else "group",
            message_id=str(d["id"]),
            user_id=str(user or ""),
            user_name=author.get("username"),
            text=text,
            mentioned=True,  # QQ delivers only messages addressed to the bot
            command=command,
            args=args if command else "",
            reply_context={"kind": kind[0], "timestamp": str(d.get("timestamp") or "")},
        )

    def ack(self, result: ParseResult) -> WebhookResponse:
        if isinstance(result, Challenge):
            return super().ack(result)
        return WebhookResponse(200, json.dumps({"op": HTTP_ACK, "d": 0}), "application/json")

    def sign(self, event_ts: str, plain_token: str) -> str:
        """The callback-URL check's answer: hex Ed25519 signature of ``event_ts + plain_token``."""
        return self._key.sign((event_ts + plain_token).encode()).hex()

    # -- reply ---------------------------------------------------------------------------------
    async def reply(self, msg: InboundMessage, text: str, *, mention: Sequence[str] = ()) -> None:
        kind = msg.reply_context.get("kind", "group")
        window = _WINDOWS.get(kind, 300)
        sent_at = _epoch(msg.reply_context.get("timestamp", ""))
        if sent_at is not None and time.time() - sent_at > window:
            raise DeliveryError(
                f"qq reply: QQ accepts replies to a message only within {window // 60} minutes "
                "of it (and no unprompted posts); this one is older"
            )
        chunks = compose(text, self.limit, suffix=self.mention(mention))
        left = MAX_REPLIES - self._seq[msg.message_id]
        if left <= 0:
            raise DeliveryError(f"qq reply: this message was already answered {MAX_REPLIES} times")
        if len(chunks) > left:  # QQ refuses a 6th reply to one message: cut, and say so
            chunks = chunks[:left]
            chunks[-1] = chunks[-1].rstrip() + "…"
        url = self.api_url + _PATHS.get(kind, _PATHS["group"]).format(chat=msg.chat_id)
        for chunk in chunks:
            self._seq[msg.message_id] += 1
            body = {
                "content": chunk,
                "msg_type": 0,
                "msg_id": msg.message_id,
                "msg_seq": self._seq[msg.message_id],
            }
            await self._call(url, body)

    async def send(
        self, chat_id: str, text: str, *, thread_id: str | None = None, mention: Sequence[str] = ()
    ) -> None:
        raise DeliveryError(
            "qq send: QQ bots can no longer post unprompted (proactive messages ended on "
            "2025-04-21); answers go out only as replies to a member's message"
        )

    def mention(self, user_ids: Sequence[str]) -> str:
        # Plain text: the group API has no mention markup for openids, so nobody is pinged.
        return " ".join(f"@{u}" for u in user_ids)

    async def access_token(self) -> str:
        return await self._token.get()

    async def api(
        self, method: str, url: str, what: str, body: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """One OpenAPI call with the access token (fetched again once if it expired early)."""
        for attempt in (1, 2):
            headers = {"Authorization": f"QQBot {await self._token.get()}"}
            try:
                return await call_json(
                    self.http, method, url, json=body, headers=headers, what=what
                )
            except DeliveryError as err:
                if attempt == 2 or "HTTP 401" not in str(err):
                    raise
                self._token.invalidate()
        raise AssertionError("unreachable")

    async def _call(self, url: str, body: dict[str, Any]) -> None:
        await self.api("POST", url, "qq reply", body)

    async def _fetch_token(self) -> tuple[str, float]:
        data = await call_json(
            self.http,
            "POST",
            self.token_url,
            json={"appId": self.app_id, "clientSecret": self._secret},
            what="qq access token",
        )
        token = data.get("access_token")
        if not token:
            raise DeliveryError(f"qq access token: {data.get('message') or 'no token returned'}")
        return str(token), float(data.get("expires_in") or 7200)


def _validation(body: bytes) -> tuple[str, str] | None:
    """(plain_token, event_ts) of a well-formed callback-URL check, else None."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    d = data.get("d") if isinstance(data, dict) and data.get("op") == VALIDATION else None
    if not isinstance(d, dict):
        return None
    token, ts = str(d.get("plain_token", "")), str(d.get("event_ts", ""))
    return (token, ts) if _SAFE_TOKEN.match(token) and ts.isdigit() else None


def _epoch(rfc3339: str) -> float | None:
    try:
        return datetime.fromisoformat(rfc3339).timestamp()
    except ValueError:
        return None
