"""Slack Events API connector (POST /connectors/slack/events).

Verification is slack_sdk's ``SignatureVerifier`` (v0 HMAC-SHA256 over ``v0:ts:body``, 5-minute
window). Replies go through ``chat.postMessage`` into the message's thread. Slack retries an
event it did not get a 2xx for within 3 s; retries carry the same ``event_id``.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Literal

import httpx
from pydantic import Field, SecretStr
from slack_sdk.signature import Clock, SignatureVerifier

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
    check_fresh,
    load_json,
    lower_keys,
)
from connectors.http import call_json
from connectors.settings import PlatformSettings, platform_config, require
from connectors.text import compose, split_command, squash

# Subtypes that are still a person talking; everything else (edits, joins, bots) is ignored.
_HUMAN_SUBTYPES = {None, "thread_broadcast", "file_share"}
_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
# Reaction names (skin tones come as "+1::skin-tone-2") that rate an answer.
REACTIONS: dict[str, Literal["up", "down"]] = {
    "+1": "up",
    "thumbsup": "up",
    "-1": "down",
    "thumbsdown": "down",
}


class _FixedClock(Clock):
    def __init__(self, now: float) -> None:
        self._now = now

    def now(self) -> float:
        return self._now


def escape(text: str) -> str:
    """Slack's three control characters; escaping them also defuses <!channel>/<!here>."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class SlackSettings(PlatformSettings):
    model_config = platform_config("slack")
    _required: ClassVar[tuple[str, ...]] = ("signing_secret", "bot_token")
    signing_secret: SecretStr | None = None
    bot_token: SecretStr | None = None
    bot_user_id: str | None = Field(default=None, description="Else learned from auth.test.")
    api_url: str = "https://slack.com/api/"


class SlackConnector(Connector):
    platform = "slack"
    settings_model = SlackSettings
    webhook = Webhook("events")
    capabilities = Capabilities(signs_body=True, replay_window_s=300)
    limit = 4000  # Slack truncates text past 40k and recommends <= 4,000 characters

    def __init__(self, settings: SlackSettings, http: httpx.AsyncClient | None = None) -> None:
        super().__init__(settings, http)
        self._secret = require(settings.signing_secret, "COPILOT_SLACK_SIGNING_SECRET")
        self._token = require(settings.bot_token, "COPILOT_SLACK_BOT_TOKEN")
        self.api_url = settings.api_url.rstrip("/") + "/"
        self.bot_user_id = settings.bot_user_id

    def verify(
        self,
        headers: Mapping[str, str],
        body: bytes,
        query: Mapping[str, str] | None = None,
        now: float | None = None,
    ) -> None:
        now = time.time() if now is None else now
        h = lower_keys(headers)
        # Checked here too (slack_sdk checks it as well) to say *why* a request failed.
        check_fresh(h.get("x-slack-request-timestamp"), now, 60 * 5)
        verifier = SignatureVerifier(self._secret, clock=_FixedClock(now))
        try:
            valid = verifier.is_valid_request(body, h)
        except (ValueError, UnicodeDecodeError):
            valid = False
        if not valid:
            raise VerificationError("invalid Slack signature")

    def parse(
        self, headers: Mapping[str, str], body: bytes, query: Mapping[str, str] | None = None
    ) -> ParseResult:
        data = load_json(body)
        kind = data.get("type")
        if kind == "url_verification":
            return Challenge(json.dumps({"challenge": str(data.get("challenge", ""))}))
        if kind != "event_callback":
            return Ignored(f"unsupported payload type {kind!r}")
        ev: dict[str, Any] = data.get("event") or {}
        if ev.get("type") == "reaction_added":
            return self._reaction(data, ev)
        if ev.get("bot_id") or ev.get("subtype") not in _HUMAN_SUBTYPES or not ev.get("user"):
            return Ignored("not a message from a person")
        bot = self.bot_user_id or _bot_from_authorizations(data)
        raw = str(ev.get("text") or "")
        if ev.get("type") == "app_mention":
            mentioned = True
        elif ev.get("type") == "message":
            if bot and f"<@{bot}" in raw and ev.get("channel_type") != "im":
                return Ignored("bot mention is delivered again as app_mention")
            mentioned = ev.get("channel_type") == "im"
        else:
            return Ignored(f"unsupported event {ev.get('type')!r}")
        text = _strip_mention(raw, bot, leading_only=ev.get("type") == "app_mention")
        command, args, _ = split_command(text)
        channel, ts = str(ev.get("channel", "")), str(ev.get("ts", ""))
        private = ev.get("channel_type") == "im" or channel.startswith("D")
        thread_ts = ev.get("thread_ts")
        return InboundMessage(
            platform="slack",
            event_id=str(data.get("event_id") or f"{channel}:{ts}"),
            chat_id=channel,
            chat_type="private" if private else "group",
            thread_id=thread_ts,
            message_id=ts,
            user_id=str(ev["user"]),
            text=text,
            mentioned=mentioned,
            command=command,
            args=args,
            reply_to=str(thread_ts) if thread_ts and thread_ts != ts else None,
            # Reply under the thread's parent: Slack asks for the parent ts, never a reply's.
            reply_context={
                "thread_ts": str(thread_ts or ts),
                "team_id": str(data.get("team_id", "")),
            },
        )

    def _reaction(self, data: dict[str, Any], ev: dict[str, Any]) -> ParseResult:
        """A thumbs up/down on a message (the copilot's answers are the ones that count)."""
        item: dict[str, Any] = ev.get("item") or {}
        rating = REACTIONS.get(str(ev.get("reaction", "")).split("::")[0])
        if rating is None or item.get("type") != "message" or not ev.get("user"):
            return Ignored("not a thumbs up/down on a message")
        channel, ts = str(item.get("channel", "")), str(item.get("ts", ""))
        return InboundMessage(
            platform="slack",
            event_id=str(data.get("event_id") or f"{channel}:{ts}:{ev['user']}"),
            chat_id=channel,
            chat_type="private" if channel.startswith("D") else "group",
            message_id=ts,
            user_id=str(ev["user"]),
            text="",
            mentioned=False,
            reaction=rating,
        )

    def reply_thread(self, msg: InboundMessage) -> str | None:
        return msg.reply_context.get("thread_ts")

    async def setup(self) -> None:
        if not self.bot_user_id:
            data = await self._call("auth.test", {})
            self.bot_user_id = data.get("user_id")

    async def reply(
        self, msg: InboundMessage, text: str, *, mention: Sequence[str] = ()
    ) -> Posted | None:
        return await self.send(
            msg.chat_id, text, thread_id=msg.reply_context.get("thread_ts"), mention=mention
        )

    async def send(
        self, chat_id: str, text: str, *, thread_id: str | None = None, mention: Sequence[str] = ()
    ) -> Posted | None:
        posted: Posted = []
        for chunk in compose(text, self.limit, escape=escape, suffix=self.mention(mention)):
            payload: dict[str, Any] = {"channel": chat_id, "text": chunk}
            if thread_id:
                payload["thread_ts"] = thread_id
            data = await self._call("chat.postMessage", payload)
            if data.get("ts"):
                posted.append(str(data["ts"]))
        return posted

    def mention(self, user_ids: Sequence[str]) -> str:
        return " ".join(f"<@{u}>" for u in user_ids)

    async def _call(self, method: str, payload: dict[str, Any]) -> dict[str, Any]:
        data = await call_json(
            self.http,
            "POST",
            self.api_url + method,
            json=payload,
            headers={"Authorization": f"Bearer {self._token}"},
            what=f"slack {method}",
        )
        if not data.get("ok"):  # Slack reports errors with HTTP 200 and ok=false
            raise DeliveryError(f"slack {method}: {data.get('error', 'unknown error')}")
        return data


def _bot_from_authorizations(data: dict[str, Any]) -> str | None:
    for auth in data.get("authorizations") or []:
        if auth.get("is_bot") and auth.get("user_id"):
            return str(auth["user_id"])
    return None


def _strip_mention(text: str, bot: str | None, *, leading_only: bool) -> str:
    if bot:
        return squash(_MENTION.sub(lambda m: "" if m[1] == bot else m[0], text))
    if leading_only:  # bot id unknown: an app_mention's leading mention is the bot
        return squash(re.sub(r"^\s*<@[UW][A-Z0-9]+(?:\|[^>]*)?>", "", text))
    return squash(text)
