"""DingTalk enterprise robot connector (POST /connectors/dingtalk/callback).

Headers ``timestamp`` (ms) and ``sign`` = Base64(HMAC-SHA256(key=appSecret,
msg=timestamp + "\\n" + appSecret)); both the signature and the 1-hour window must hold.
The sign does not cover the body, so a captured one could carry any body for an hour: the app
layer accepts each sign once (``replay_key``) and holds operator commands
(``capabilities.signs_body``).
Replies go to the message's ``sessionWebhook`` (no token, ~90 min). That URL arrives inside
the payload, so it is only used when it is on the configured API host (SSRF guard), and the
app layer keeps one per conversation until it expires (``reply_target``).
``send()`` posts to a custom group robot (自定义机器人) for digests.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import httpx
from pydantic import Field, SecretStr

from connectors.base import (
    Capabilities,
    Connector,
    DeliveryError,
    Expiring,
    Ignored,
    InboundMessage,
    ParseResult,
    VerificationError,
    Webhook,
    check_fresh,
    load_json,
    lower_keys,
    secrets_equal,
)
from connectors.http import call_json, install_log_redaction, same_origin
from connectors.settings import PlatformSettings, platform_config, require
from connectors.text import compose, split_command, squash, utf8_len

WINDOW_SECONDS = 3600


def sign(timestamp: str, secret: str) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256)
    return base64.b64encode(mac.digest()).decode()


class DingtalkSettings(PlatformSettings):
    model_config = platform_config("dingtalk")
    _required: ClassVar[tuple[str, ...]] = ("app_secret",)
    app_secret: SecretStr | None = None
    webhook_secret: SecretStr | None = Field(default=None, description="Custom robot 加签 secret.")
    api_url: str = "https://oapi.dingtalk.com"


class DingtalkConnector(Connector):
    platform = "dingtalk"
    settings_model = DingtalkSettings
    webhook = Webhook("callback")
    capabilities = Capabilities(signs_body=False, replay_window_s=WINDOW_SECONDS)
    limit = 16_000  # UTF-8 bytes of content; DingTalk caps the whole body at 20,000 bytes

    def __init__(self, settings: DingtalkSettings, http: httpx.AsyncClient | None = None) -> None:
        super().__init__(settings, http)
        install_log_redaction()  # session and access_token travel in query strings
        self._secret = require(settings.app_secret, "COPILOT_DINGTALK_APP_SECRET")
        self._webhook_secret = (
            settings.webhook_secret.get_secret_value() if settings.webhook_secret else ""
        )
        self.api_url = settings.api_url.rstrip("/")

    def verify(
        self,
        headers: Mapping[str, str],
        body: bytes,
        query: Mapping[str, str] | None = None,
        now: float | None = None,
    ) -> None:
        h = lower_keys(headers)
        ts, given = h.get("timestamp", ""), h.get("sign", "")
        if not given or not secrets_equal(given, sign(ts, self._secret)):
            raise VerificationError("invalid DingTalk sign")
        check_fresh(ts, time.time() if now is None else now, WINDOW_SECONDS, unit=1000)

    def replay_key(self, headers: Mapping[str, str]) -> Expiring | None:
        h = lower_keys(headers)
        ts = h.get("timestamp", "")
        # verify() passed, so ts is a number within the window; remember it past the window.
        return Expiring(f"{ts}:{h.get('sign', '')}", float(ts) / 1000 + WINDOW_SECONDS)

    def parse(
        self, headers: Mapping[str, str], body: bytes, query: Mapping[str, str] | None = None
    ) -> ParseResult:
        data = load_json(body)
        if data.get("msgtype") != "text":
            return Ignored(f"unsupported msgtype {data.get('msgtype')!r}")
        private = str(data.get("conversationType")) == "1"
        # DingTalk already removed the "@robot" text; content keeps a leading space.
        text = squash(str((data.get("text") or {}).get("content", "")))
        command, args, _ = split_command(text)
        staff_id = str(data.get("senderStaffId") or "")
        return InboundMessage(
            platform="dingtalk",
            event_id=str(data.get("msgId", "")),
            chat_id=str(data.get("conversationId", "")),
            chat_type="private" if private else "group",
            message_id=str(data.get("msgId", "")),
            user_id=staff_id or str(data.get("senderId", "")),
            user_name=data.get("senderNick"),
            text=text,
            mentioned=bool(data.get("isInAtList")) or private,
            command=command,
            args=args,
            reply_context={
                "session_webhook": str(data.get("sessionWebhook", "")),
                "session_webhook_expires_ms": str(data.get("sessionWebhookExpiredTime", "")),
                "sender_staff_id": staff_id,
            },
        )

    def reply_target(self, msg: InboundMessage) -> Expiring | None:
        url = msg.reply_context.get("session_webhook", "")
        expires = msg.reply_context.get("session_webhook_expires_ms", "")
        if not same_origin(url, self.api_url) or not expires.isdigit():
            return None  # reply() refuses it anyway; never keep it for the conversation
        return Expiring(url, int(expires) / 1000)

    def with_reply_target(self, msg: InboundMessage, target: Expiring) -> InboundMessage:
        context = msg.reply_context | {
            "session_webhook": target.value,
            "session_webhook_expires_ms": str(int(target.expires * 1000)),
        }
        return msg.model_copy(update={"reply_context": context})

    async def reply(self, msg: InboundMessage, text: str, *, mention: Sequence[str] = ()) -> None:
        url = msg.reply_context.get("session_webhook", "")
        if not same_origin(url, self.api_url):
            raise DeliveryError("dingtalk reply: sessionWebhook is not on the DingTalk API host")
        expires = msg.reply_context.get("session_webhook_expires_ms", "")
        if expires.isdigit() and int(expires) <= time.time() * 1000:
            raise DeliveryError("dingtalk reply: sessionWebhook expired; use send()")
        await self._post(url, text, mention, params=None)

    async def send(
        self, chat_id: str, text: str, *, thread_id: str | None = None, mention: Sequence[str] = ()
    ) -> None:
        """Post through a custom group robot; ``chat_id`` is its ``access_token``. Signed
        (加签) with ``COPILOT_DINGTALK_WEBHOOK_SECRET`` when set. No threads in DingTalk."""
        params = {"access_token": chat_id}
        if self._webhook_secret:
            ts = str(int(time.time() * 1000))
            params |= {"timestamp": ts, "sign": sign(ts, self._webhook_secret)}  # httpx url-encodes
        await self._post(f"{self.api_url}/robot/send", text, mention, params=params)

    async def _post(
        self, url: str, text: str, mention: Sequence[str], params: dict[str, str] | None
    ) -> None:
        for chunk in compose(text, self.limit, utf8_len, suffix=self.mention(mention)):
            payload: dict[str, Any] = {
                "msgtype": "text",
                "text": {"content": chunk},
                # Only atUserIds ping; "@all" typed in the text stays plain text.
                "at": {"atUserIds": list(mention), "isAtAll": False},
            }
            data = await call_json(
                self.http, "POST", url, json=payload, params=params, what="dingtalk send"
            )
            if data.get("errcode", 0) != 0:
                raise DeliveryError(f"dingtalk send: {data.get('errcode')} {data.get('errmsg')}")

    def mention(self, user_ids: Sequence[str]) -> str:
        return " ".join(f"@{u}" for u in user_ids)
