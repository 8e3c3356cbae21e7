"""Telegram Bot API webhook connector (POST /connectors/telegram/webhook).

Telegram signs nothing: the only proof is the ``secret_token`` given to ``setWebhook``, echoed
in ``X-Telegram-Bot-Api-Secret-Token``. Like python-telegram-bot we answer 403 when it (or the
JSON content type) is wrong. There is no timestamp; retries repeat the same ``update_id``.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Literal

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
    Posted,
    VerificationError,
    Webhook,
    load_json,
    lower_keys,
    secrets_equal,
)
from connectors.http import call_json, install_log_redaction
from connectors.settings import PlatformSettings, platform_config, require
from connectors.text import compose, split_command, squash, utf16_len

REACTIONS: dict[str, Literal["up", "down"]] = {"👍": "up", "👎": "down"}


def _emoji(reaction: object) -> str:
    """ReactionTypeEmoji's emoji; custom and paid reactions rate nothing."""
    if isinstance(reaction, dict) and reaction.get("type") == "emoji":
        return str(reaction.get("emoji", ""))
    return ""


def _u16(text: str) -> bytes:
    return text.encode("utf-16-le", "surrogatepass")


def _from_u16(raw: bytes) -> str:
    return raw.decode("utf-16-le", "surrogatepass")


class TelegramSettings(PlatformSettings):
    model_config = platform_config("telegram")
    _required: ClassVar[tuple[str, ...]] = ("bot_token", "secret_token")
    bot_token: SecretStr | None = None
    secret_token: SecretStr | None = Field(default=None, description="setWebhook secret_token.")
    bot_username: str | None = Field(default=None, description="Else learned from getMe.")
    api_url: str = "https://api.telegram.org"


class TelegramConnector(Connector):
    platform = "telegram"
    settings_model = TelegramSettings
    webhook = Webhook("webhook")
    capabilities = Capabilities(signs_body=False, replay_window_s=None)
    limit = 4096  # sendMessage text, counted after entity parsing

    def __init__(self, settings: TelegramSettings, http: httpx.AsyncClient | None = None) -> None:
        super().__init__(settings, http)
        install_log_redaction()  # the bot token is part of every API URL
        self._token = require(settings.bot_token, "COPILOT_TELEGRAM_BOT_TOKEN")
        self._secret = require(settings.secret_token, "COPILOT_TELEGRAM_SECRET_TOKEN")
        self.api_url = settings.api_url.rstrip("/")
        # A bot token is "<bot user id>:<secret>", so the bot's own id needs no API call.
        self.bot_id = self._token.split(":", 1)[0]
        self.bot_username = (settings.bot_username or "").lstrip("@").lower() or None

    def verify(
        self,
        headers: Mapping[str, str],
        body: bytes,
        query: Mapping[str, str] | None = None,
        now: float | None = None,
    ) -> None:
        h = lower_keys(headers)
        if h.get("content-type", "").split(";")[0].strip().lower() != "application/json":
            raise VerificationError("Telegram webhook requests are JSON", 403)
        token = h.get("x-telegram-bot-api-secret-token")
        if not token or not secrets_equal(token, self._secret):
            raise VerificationError("wrong or missing X-Telegram-Bot-Api-Secret-Token", 403)

    def parse(
        self, headers: Mapping[str, str], body: bytes, query: Mapping[str, str] | None = None
    ) -> ParseResult:
        update = load_json(body)
        msg = update.get("message")
        if "update_id" not in update:
            raise PayloadError("not a Telegram update")
        if isinstance(update.get("message_reaction"), dict):
            return self._reaction(update["update_id"], update["message_reaction"])
        if not isinstance(msg, dict):
            return Ignored("update carries no new message")  # edits, channel posts, ...
        text = str(msg.get("text") or msg.get("caption") or "")
        sender: dict[str, Any] = msg.get("from") or {}
        if not text or sender.get("is_bot") or "id" not in sender:
            return Ignored("not a text message from a person")
        chat: dict[str, Any] = msg.get("chat") or {}
        private = chat.get("type") == "private"
        entities = msg.get("entities") or msg.get("caption_entities") or []
        clean, mentioned, foreign = self._strip_entities(text, entities)
        if foreign:
            return Ignored("command addressed to another bot")
        reply_to: dict[str, Any] = msg.get("reply_to_message") or {}
        if str((reply_to.get("from") or {}).get("id")) == self.bot_id:
            mentioned = True  # replying to the bot addresses it
        command, args, _ = split_command(clean)
        thread = msg.get("message_thread_id")
        ctx = {"message_id": str(msg["message_id"])}
        if thread is not None and msg.get("is_topic_message"):
            ctx["message_thread_id"] = str(thread)  # only forum topics accept a thread id
        name = sender.get("username") or " ".join(
            p for p in (sender.get("first_name"), sender.get("last_name")) if p
        )
        return InboundMessage(
            platform="telegram",
            event_id=str(update["update_id"]),
            chat_id=str(chat.get("id")),
            chat_type="private" if private else "group",
            thread_id=str(thread) if thread is not None else None,
            message_id=str(msg["message_id"]),
            user_id=str(sender["id"]),
            user_name=name or None,
            user_handle=str(sender["username"]) if sender.get("username") else None,
            text=clean,
            mentioned=mentioned or private,
            command=command,
            args=args,
            quoted_text=reply_to.get("text") or reply_to.get("caption"),
            reply_to=str(reply_to["message_id"]) if "message_id" in reply_to else None,
            reply_context=ctx,
        )

    def _reaction(self, update_id: object, event: dict[str, Any]) -> ParseResult:
        """``message_reaction`` (the bot must be an admin and ask for it in allowed_updates):
        a newly added 👍/👎 on a message rates it; removing one rates nothing."""
        user: dict[str, Any] = event.get("user") or {}
        if "id" not in user or user.get("is_bot"):
            return Ignored("reaction without a person (anonymous admin or a bot)")
        old = {_emoji(r) for r in event.get("old_reaction") or []}
        added = [e for e in (_emoji(r) for r in event.get("new_reaction") or []) if e not in old]
        rating = next((REACTIONS[e] for e in added if e in REACTIONS), None)
        if rating is None:
            return Ignored("no thumbs up/down added")
        chat: dict[str, Any] = event.get("chat") or {}
        return InboundMessage(
            platform="telegram",
            event_id=str(update_id),
            chat_id=str(chat.get("id")),
            chat_type="private" if chat.get("type") == "private" else "group",
            message_id=str(event["message_id"]),
            user_id=str(user["id"]),
            user_handle=str(user["username"]) if user.get("username") else None,
            text="",
            mentioned=False,
            reaction=rating,
        )

    def _strip_entities(self, text: str, entities: list[dict[str, Any]]) -> tuple[str, bool, bool]:
        """Remove the bot's mention, normalise ``/cmd@bot`` to ``/cmd``. Offsets are UTF-16."""
        raw, mentioned, foreign = _u16(text), False, False
        for ent in sorted(entities, key=lambda e: -int(e.get("offset", 0))):  # back to front
            offset, length = int(ent.get("offset", 0)), int(ent.get("length", 0))
            start, end = 2 * offset, 2 * (offset + length)
            segment = _from_u16(raw[start:end])
            kind = ent.get("type")
            is_us = (kind == "mention" and segment[1:].lower() == self.bot_username) or (
                kind == "text_mention" and str((ent.get("user") or {}).get("id")) == self.bot_id
            )
            if is_us:
                raw, mentioned = raw[:start] + raw[end:], True
            elif kind == "bot_command" and start == 0:
                name, _, target = segment.partition("@")
                if target and self.bot_username and target.lower() != self.bot_username:
                    foreign = True
                # In groups a bare /cmd goes to every bot; treat it as ours like PTB does.
                raw, mentioned = _u16(name) + raw[end:], True
        return squash(_from_u16(raw)), mentioned, foreign

    async def setup(self) -> None:
        if not self.bot_username:
            me = await self._call("getMe", {})
            self.bot_username = str(me.get("username", "")).lower() or None

    async def reply(
        self, msg: InboundMessage, text: str, *, mention: Sequence[str] = ()
    ) -> Posted | None:
        return await self._post(
            msg.chat_id,
            text,
            mention,
            thread_id=msg.reply_context.get("message_thread_id"),
            reply_to=msg.reply_context.get("message_id"),
        )

    async def send(
        self, chat_id: str, text: str, *, thread_id: str | None = None, mention: Sequence[str] = ()
    ) -> Posted | None:
        return await self._post(chat_id, text, mention, thread_id=thread_id, reply_to=None)

    async def _post(
        self,
        chat_id: str,
        text: str,
        mention: Sequence[str],
        *,
        thread_id: str | None,
        reply_to: str | None,
    ) -> Posted:
        posted: Posted = []
        # Plain text unless we must render mentions; then HTML with everything else escaped.
        use_html = bool(mention)
        esc = (lambda s: html.escape(s, quote=False)) if use_html else (lambda s: s)
        for chunk in compose(text, self.limit, utf16_len, escape=esc, suffix=self.mention(mention)):
            payload: dict[str, Any] = {"chat_id": chat_id, "text": chunk}
            if use_html:
                payload["parse_mode"] = "HTML"
            if thread_id:
                payload["message_thread_id"] = int(thread_id)
            if reply_to:
                payload["reply_parameters"] = {
                    "message_id": int(reply_to),
                    "allow_sending_without_reply": True,  # question deleted meanwhile: still answer
                }
            sent = await self._call("sendMessage", payload)
            if "message_id" in sent:
                posted.append(str(sent["message_id"]))
        return posted

    def mention(self, user_ids: Sequence[str]) -> str:
        """Usernames render as ``@name``; numeric ids as an HTML ``tg://user`` link."""
        parts = []
        for u in user_ids:
            u = u.lstrip("@")
            parts.append(f'<a href="tg://user?id={u}">{u}</a>' if u.isdigit() else f"@{u}")
        return " ".join(parts)

    async def _call(self, method: str, payload: dict[str, Any]) -> dict[str, Any]:
        url = f"{self.api_url}/bot{self._token}/{method}"
        data = await call_json(self.http, "POST", url, json=payload, what=f"telegram {method}")
        if not data.get("ok"):
            retry = (data.get("parameters") or {}).get("retry_after")
            raise DeliveryError(f"telegram {method}: {data.get('description')}", retry_after=retry)
        result = data.get("result")
        return result if isinstance(result, dict) else {}
