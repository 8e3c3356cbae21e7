"""DiscordChatExporter JSON (one file per channel or thread)."""

from __future__ import annotations

import re
from typing import Any

from copilot.knowledge.chat_exports.common import parse_ts
from copilot.models import ChatMessage

_CONVERSATION = {
    "Default",
    "Reply",
    "ChatInputCommand",
    "ContextMenuCommand",
    "ThreadStarterMessage",
}
_THREAD_TYPES = {"GuildPublicThread", "GuildPrivateThread", "GuildNewsThread"}
_USER_MENTION = re.compile(r"<@!?(\d+)>")
_CHANNEL_MENTION = re.compile(r"<#(\d+)>")
_ROLE_MENTION = re.compile(r"<@&(\d+)>")
_CUSTOM_EMOJI = re.compile(r"<a?:(\w+):\d+>")
_SERVICE_TEXT = {
    "GuildMemberJoin": "{} joined the server",
    "ChannelPinnedMessage": "{} pinned a message",
    "ThreadCreated": "{} started a thread",
    "RecipientAdd": "{} added a member",
    "RecipientRemove": "{} removed a member",
    "ChannelNameChange": "{} renamed the channel",
    "Call": "{} started a call",
}


def is_discord(data: Any) -> bool:
    return (
        isinstance(data, dict)
        and isinstance(data.get("guild"), dict)
        and isinstance(data.get("channel"), dict)
        and isinstance(data.get("messages"), list)
    )


def parse_discord(data: dict[str, Any], *, community: str, source: str) -> list[ChatMessage]:
    meta = data["channel"]
    # A thread is exported as its own "channel" whose category is the parent channel.
    is_thread = meta.get("type") in _THREAD_TYPES
    channel = str((meta.get("category") if is_thread else None) or meta.get("name") or meta["id"])
    thread = str(meta["id"]) if is_thread else None
    out: list[ChatMessage] = []
    for m in data["messages"]:
        author = m.get("author") or {}
        name = str(author.get("nickname") or author.get("name") or "unknown")
        kind = m.get("type", "Default")
        service = kind not in _CONVERSATION
        text = _content(m) or (
            _SERVICE_TEXT.get(kind, "{}: " + str(kind)).format(name) if service else ""
        )
        if not text and not service:  # attachments or stickers only: a post all the same
            text = "[Sticker]" if m.get("stickers") else "[File]" if m.get("attachments") else ""
        if not text:
            continue
        # Older DiscordChatExporter versions write replies as "Default" with a reference;
        # a reference to another channel is a crosspost or forward, not a reply.
        reference = m.get("reference") or {}
        ref_channel = reference.get("channelId")
        reply_to = (
            reference.get("messageId")
            if kind in ("Reply", "Default")
            and (not ref_channel or str(ref_channel) == str(meta.get("id")))
            else None
        )
        out.append(
            ChatMessage(
                id=str(m["id"]),
                community=community,
                channel=channel,
                author=name,
                author_id=str(author["id"]) if author.get("id") else None,
                ts=parse_ts(m["timestamp"]),
                text=text,
                reply_to=str(reply_to) if reply_to else None,
                thread=thread,
                is_service=service,
                is_bot=bool(author.get("isBot")),
                source=source,
            )
        )
    return out


def _content(m: dict[str, Any]) -> str:
    """Message text with raw mention markup resolved; falls back to embed text for bots."""
    names = {
        str(u.get("id")): str(u.get("nickname") or u.get("name"))
        for u in m.get("mentions") or []
        if isinstance(u, dict)
    }
    text = str(m.get("content") or "")
    text = _USER_MENTION.sub(lambda x: "@" + names.get(x.group(1), "user"), text)
    text = _ROLE_MENTION.sub("@role", text)
    text = _CHANNEL_MENTION.sub("#channel", text)
    text = _CUSTOM_EMOJI.sub(r":\1:", text).strip()
    if text:
        return text
    parts = []
    for embed in m.get("embeds") or []:
        parts += [str(embed[k]) for k in ("title", "description") if embed.get(k)]
    return "\n".join(parts).strip()
