"""OneBot v11 (the protocol NapCat, Lagrange.OneBot and LLOneBot speak for a QQ account):
HTTP POST events to /connectors/onebot/events, replies through the implementation's HTTP API.

Verification (OneBot v11 "HTTP POST" spec): with a ``secret`` configured, the implementation
sends ``X-Signature: sha1=<hex HMAC-SHA1(secret, raw body)>``; we refuse to run without one.
No timestamp header exists, but the body's ``time`` is covered by the signature, so it bounds
replays (default 5 min). HMAC-SHA1 comes from the standard library: it is the whole scheme,
and OneBot's own SDKs (aiocqhttp) do the same.

Events: ``post_type: message`` in a group (or private); ``message`` is an array of segments
(``{"type": "at", "data": {"qq": "<bot>"}}``, ``text``, ``reply``…) or a string with CQ codes,
both read. ``self_id`` is the bot's QQ number, ``user_id`` the sender's. Replies call
``send_group_msg`` / ``send_private_msg`` with a ``reply`` segment quoting the question and
``at`` segments for mentions, ``Authorization: Bearer <access_token>`` when one is set.

Reverse WebSocket (``/connectors/onebot/ws``): the implementation connects to us with
``Authorization: Bearer <access_token>`` (or ``?access_token=``), ``X-Self-ID`` and
``X-Client-Role: Universal``; events arrive as frames (unsigned: the connection is
authenticated), and replies go back on the same connection as ``{"action", "params",
"echo"}`` frames, answered by frames carrying the same ``echo``. Without a live connection
replies use the HTTP API.

Unofficial accounts can be banned: see connectors/README.md before using one.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import html
import itertools
import json
import re
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, ClassVar

import httpx
from pydantic import Field, SecretStr

from connectors.base import (
    Capabilities,
    Connector,
    DeliveryError,
    Ignored,
    InboundMessage,
    ParseResult,
    PayloadError,
    VerificationError,
    Webhook,
    check_fresh,
    load_json,
    lower_keys,
    secrets_equal,
)
from connectors.http import call_json
from connectors.settings import PlatformSettings, platform_config, require
from connectors.text import compose, split_command, squash

_CQ = re.compile(r"\[CQ:(?P<type>\w+)(?P<args>(?:,[^\]]*)?)\]")
Segment = dict[str, Any]


class OnebotSettings(PlatformSettings):
    model_config = platform_config("onebot")
    _required: ClassVar[tuple[str, ...]] = ("secret",)
    secret: SecretStr | None = Field(default=None, description="HTTP POST secret (X-Signature).")
    access_token: SecretStr | None = Field(default=None, description="HTTP API access token.")
    api_url: str = Field(default="http://127.0.0.1:3000", description="The HTTP API server.")
    max_skew_seconds: int = 300


class OnebotConnector(Connector):
    platform = "onebot"
    settings_model = OnebotSettings
    webhook = Webhook("events")
    socket = "ws"
    capabilities = Capabilities(signs_body=True, replay_window_s=300, personal_user_ids=True)
    call_timeout = 10.0  # seconds to wait for an API answer on the WebSocket
    limit = 3000  # characters per message

    def __init__(self, settings: OnebotSettings, http: httpx.AsyncClient | None = None) -> None:
        super().__init__(settings, http)
        self._secret = require(settings.secret, "COPILOT_ONEBOT_SECRET").encode()
        token = settings.access_token.get_secret_value() if settings.access_token else ""
        self._access_token = token
        self._headers = {"Authorization": f"Bearer {token}"} if token else {}
        self._sockets: dict[str, Callable[[str], Awaitable[None]]] = {}
        self._pending: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self._echo = itertools.count(1)
        self.api_url = settings.api_url.rstrip("/")
        self.max_skew = settings.max_skew_seconds

    def verify(
        self,
        headers: Mapping[str, str],
        body: bytes,
        query: Mapping[str, str] | None = None,
        now: float | None = None,
    ) -> None:
        given = lower_keys(headers).get("x-signature", "")
        if not given.startswith("sha1="):
            raise VerificationError("missing OneBot X-Signature")
        expected = "sha1=" + hmac.new(self._secret, body, hashlib.sha1).hexdigest()
        if not secrets_equal(given.lower(), expected):
            raise VerificationError("invalid OneBot signature")
        try:
            sent = json.loads(body).get("time")
        except (ValueError, UnicodeDecodeError, AttributeError):
            return  # authentic but not an event: parse() answers 400
        if sent is not None:  # inside the signed body, so it bounds replays
            check_fresh(str(sent), time.time() if now is None else now, self.max_skew)

    def parse(
        self, headers: Mapping[str, str], body: bytes, query: Mapping[str, str] | None = None
    ) -> ParseResult:
        data = load_json(body)
        if data.get("post_type") != "message":
            return Ignored(f"OneBot {data.get('post_type')!r} event")
        kind = data.get("message_type")
        if kind not in ("group", "private"):
            return Ignored(f"OneBot message of type {kind!r}")
        self_id, user = str(data["self_id"]), str(data["user_id"])
        if user == self_id:
            return Ignored("the bot's own message")
        segments = message_segments(data.get("message", data.get("raw_message", "")))
        text, at_bot = _text(segments, self_id)
        command, args, _ = split_command(text)
        sender: dict[str, Any] = data.get("sender") or {}
        chat = str(data["group_id"]) if kind == "group" else user
        return InboundMessage(
            platform="onebot",
            event_id=f"{self_id}:{data['message_id']}",  # unique per bot account
            chat_id=chat,
            chat_type="group" if kind == "group" else "private",
            message_id=str(data["message_id"]),
            user_id=user,
            user_name=sender.get("card") or sender.get("nickname") or None,
            text=text,
            mentioned=at_bot or kind == "private" or command is not None,
            command=command,
            args=args if command else "",
            reply_context={"message_type": kind, "self_id": self_id},
        )

    # -- reverse WebSocket ---------------------------------------------------------------------
    def socket_verify(self, headers: Mapping[str, str], query: Mapping[str, str]) -> str:
        if not self._access_token:
            raise VerificationError("set COPILOT_ONEBOT_ACCESS_TOKEN to accept reverse WebSockets")
        h = lower_keys(headers)
        given = h.get("authorization", "").removeprefix("Bearer ").removeprefix("Token ")
        given = given or query.get("access_token", "")
        if not secrets_equal(given, self._access_token):
            raise VerificationError("wrong OneBot access token", 403)
        if h.get("x-client-role", "Universal").lower() not in ("universal", "event"):
            raise VerificationError("OneBot client role must be Universal", 403)
        self_id = h.get("x-self-id", "")
        if not self_id.isdigit():
            raise VerificationError("OneBot reverse WebSocket without X-Self-ID", 403)
        return self_id

    def socket_attach(self, key: str, send: Callable[[str], Awaitable[None]]) -> None:
        self._sockets[key] = send

    def socket_detach(self, key: str) -> None:
        self._sockets.pop(key, None)

    def socket_frame(self, key: str, text: str) -> ParseResult | None:
        data = load_json(text.encode())
        echo = data.get("echo")
        if echo is not None and ("retcode" in data or "status" in data):  # an API answer
            future = self._pending.pop(str(echo), None)
            if future is not None and not future.done():
                future.set_result(data)
            return None
        if str(data.get("self_id", key)) != key:
            raise PayloadError("event for another account on this connection")
        return self.parse({}, json.dumps(data).encode(), {})

    async def reply(self, msg: InboundMessage, text: str, *, mention: Sequence[str] = ()) -> None:
        quote: Segment = {"type": "reply", "data": {"id": msg.message_id}}
        await self._post(
            msg.reply_context.get("message_type", "group"), msg.chat_id, text, mention, quote
        )

    async def send(
        self, chat_id: str, text: str, *, thread_id: str | None = None, mention: Sequence[str] = ()
    ) -> None:
        await self._post("group", chat_id, text, mention, None)

    def mention(self, user_ids: Sequence[str]) -> str:
        return "".join(f"[CQ:at,qq={u}]" for u in user_ids)

    async def _post(
        self, kind: str, chat: str, text: str, mention: Sequence[str], quote: Segment | None
    ) -> None:
        action = "send_group_msg" if kind == "group" else "send_private_msg"
        target = "group_id" if kind == "group" else "user_id"
        chunks = compose(text, self.limit)
        for i, chunk in enumerate(chunks):
            message: list[Segment] = [quote] if quote and i == 0 else []
            message.append({"type": "text", "data": {"text": chunk}})
            if i == len(chunks) - 1:  # structured mentions: text saying @全体成员 pings nobody
                message += [{"type": "at", "data": {"qq": str(u)}} for u in mention]
            params = {target: _number(chat), "message": message}
            await self.call(action, params)

    async def call(self, action: str, params: dict[str, Any]) -> dict[str, Any]:
        """One OneBot API call (over the reverse WebSocket when one is connected, else HTTP);
        a ``status: failed`` answer is a DeliveryError too."""
        if self._sockets:
            data = await self._socket_call(action, params)
        else:
            data = await call_json(
                self.http,
                "POST",
                f"{self.api_url}/{action}",
                json=params,
                headers=self._headers,
                what=f"onebot {action}",
            )
        if data.get("status") not in ("ok", "async") and data.get("retcode") not in (0, 1):
            reason = data.get("wording") or data.get("message") or data.get("msg") or ""
            raise DeliveryError(f"onebot {action}: retcode {data.get('retcode')} {reason}".strip())
        return data

    async def _socket_call(self, action: str, params: dict[str, Any]) -> dict[str, Any]:
        send = next(iter(self._sockets.values()))  # one account per server
        echo = f"copilot-{next(self._echo)}"
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._pending[echo] = future
        try:
            await send(json.dumps({"action": action, "params": params, "echo": echo}))
            return await asyncio.wait_for(future, self.call_timeout)
        except (TimeoutError, OSError, RuntimeError) as exc:
            raise DeliveryError(f"onebot {action}: no answer on the WebSocket ({exc!r})") from None
        finally:
            self._pending.pop(echo, None)


def message_segments(message: Any) -> list[Segment]:
    """A OneBot message as segments, from the array form or a CQ-code string."""
    if isinstance(message, list):
        return [s for s in message if isinstance(s, dict)]
    text, out, pos = str(message), [], 0
    for m in _CQ.finditer(text):
        if m.start() > pos:
            out.append({"type": "text", "data": {"text": _unescape(text[pos : m.start()])}})
        args = dict(part.split("=", 1) for part in m["args"].lstrip(",").split(",") if "=" in part)
        out.append({"type": m["type"], "data": {k: _unescape(v) for k, v in args.items()}})
        pos = m.end()
    if pos < len(text):
        out.append({"type": "text", "data": {"text": _unescape(text[pos:])}})
    return out


def _unescape(value: str) -> str:
    return html.unescape(value.replace("&#44;", ","))  # &amp; &#91; &#93; &#44;


def _text(segments: list[Segment], self_id: str) -> tuple[str, bool]:
    """The words of a message without the bot's mention (others' QQ numbers are left out
    too), and whether the bot was mentioned."""
    parts: list[str] = []
    at_bot = False
    for seg in segments:
        data = seg.get("data") or {}
        if seg.get("type") == "text":
            parts.append(str(data.get("text", "")))
        elif seg.get("type") == "at":
            at_bot = at_bot or str(data.get("qq")) == self_id
    return squash("".join(parts)), at_bot


def _number(value: str) -> int | str:
    return int(value) if value.isdigit() else value
