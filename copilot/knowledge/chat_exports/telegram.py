"""Telegram Desktop "Machine-readable JSON" export (result.json): one chat or a whole account."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, tzinfo
from typing import Any

from copilot.knowledge.chat_exports.common import NO_OPTIONS, ExportOptions, aware, from_epoch
from copilot.models import ChatMessage

# In a whole-account export these are one-to-one conversations: members' private data, not
# community history. A single chat exported on its own is always taken as asked.
_PRIVATE_TYPES = {"personal_chat", "bot_chat", "saved_messages"}


def is_telegram(data: Any) -> bool:
    if not isinstance(data, dict):
        return False
    chats = data.get("chats")
    if isinstance(chats, dict) and isinstance(chats.get("list"), list):
        return True
    messages = data.get("messages")
    if not isinstance(messages, list) or not isinstance(data.get("type"), str) or "id" not in data:
        return False
    sample = messages[:20]
    return sum(1 for m in sample if isinstance(m, dict) and "date" in m) >= len(sample) / 2


def parse_telegram(
    data: dict[str, Any],
    *,
    community: str,
    source: str,
    options: ExportOptions = NO_OPTIONS,
    warnings: list[str] | None = None,
) -> list[ChatMessage]:
    """`date_unixtime` is exact; older exports have only `date`, the exporting computer's
    wall-clock time: read in `options.tz`, or as UTC with a warning when it is not given."""
    warnings = warnings if warnings is not None else []
    if "chats" in data:
        chats = list(data["chats"].get("list") or [])
        chats += list((data.get("left_chats") or {}).get("list") or [])
        private = [c for c in chats if c.get("type") in _PRIVATE_TYPES]
        chats = [c for c in chats if c.get("type") not in _PRIVATE_TYPES]
        if private:
            warnings.append(
                f"{source}: skipped {len(private)} private chat(s) (one-to-one, bots, Saved "
                "Messages); export a chat on its own to ingest it"
            )
    else:
        chats = [data]
    names = Counter(_chat_name(c) for c in chats)
    zone = options.zone(UTC)
    messages: list[ChatMessage] = []
    for chat in chats:
        name = _chat_name(chat)
        channel = name if names[name] == 1 else f"{name} ({chat.get('id')})"
        messages += _parse_chat(chat, channel, community, source, zone, warnings)
    local = sum(1 for c in chats for m in c.get("messages") or [] if _local_only(m))
    if local and options.tz is None:
        warnings.append(
            f"{source}: {local} message time(s) have no time zone (no date_unixtime: an older "
            "Telegram Desktop); read as UTC. Pass --tz with the exporting computer's zone "
            "(e.g. --tz Asia/Shanghai) to place them right"
        )
    return messages


def _local_only(m: Any) -> bool:
    return isinstance(m, dict) and bool(m.get("date")) and not m.get("date_unixtime")


def _chat_name(chat: dict[str, Any]) -> str:
    return str(chat.get("name") or f"{chat.get('type', 'chat')} {chat.get('id', '')}".strip())


def _parse_chat(
    chat: dict[str, Any],
    channel: str,
    community: str,
    source: str,
    zone: tzinfo,
    warnings: list[str],
) -> list[ChatMessage]:
    topics: set[int] = set()  # ids of "topic_created" notices: the topic ids of a forum
    thread_of: dict[int, str] = {}
    out: list[ChatMessage] = []
    broken = 0
    for m in chat.get("messages") or []:
        try:
            mid = int(m["id"])
            ts = (
                from_epoch(m["date_unixtime"])
                if m.get("date_unixtime")
                else aware(datetime.fromisoformat(m["date"]), zone)
            )
        except (KeyError, TypeError, ValueError):
            broken += 1
            continue
        service = m.get("type") == "service"
        if service and m.get("action") == "topic_created":
            topics.add(mid)
        reply = m.get("reply_to_message_id")
        thread, reply_to = _thread(mid, m.get("message_thread_id"), reply, topics, thread_of)
        if thread:
            thread_of[mid] = thread
        text = _describe(m) if service else (flatten_text(m.get("text")) or _poll(m) or _media(m))
        if not text:
            continue
        author = (m.get("actor") if service else m.get("from")) or "Deleted Account"
        author_id = m.get("actor_id") if service else m.get("from_id")
        out.append(
            ChatMessage(
                id=str(mid),
                community=community,
                channel=channel,
                author=str(author),
                author_id=str(author_id) if author_id else None,
                ts=ts,
                text=text,
                reply_to=reply_to,
                thread=thread,
                is_service=service,
                source=source,
            )
        )
    if broken:
        warnings.append(f"{source}: skipped {broken} malformed message(s) in {channel!r}")
    return out


def _thread(
    mid: int, explicit: Any, reply: Any, topics: set[int], thread_of: dict[int, str]
) -> tuple[str | None, str | None]:
    """(thread, reply_to). In a forum, a reply to the topic's creation notice only says
    "posted in this topic"; it is not a reply to anyone."""
    if explicit:
        thread: str | None = str(explicit)
    elif mid in topics:
        thread = str(mid)
    elif reply in topics:
        thread = str(reply)
    else:
        thread = thread_of.get(reply) if isinstance(reply, int) else None
    in_topic_only = reply in topics or (explicit and str(reply) == str(explicit))
    reply_to = str(reply) if reply is not None and not in_topic_only else None
    return thread, reply_to


def flatten_text(text: Any) -> str:
    """`text` is a string, or a list of strings and entities ({"type": "link", "text": ...})."""
    if isinstance(text, str):
        return text.strip()
    parts: list[str] = []
    for part in text or []:
        if isinstance(part, str):
            parts.append(part)
        elif isinstance(part, dict):
            label, href = str(part.get("text", "")), part.get("href")
            parts.append(f"{label} ({href})" if href and href != label else label)
    return "".join(parts).strip()


def _poll(m: dict[str, Any]) -> str:
    poll = m.get("poll")
    if not isinstance(poll, dict) or not poll.get("question"):
        return ""
    answers = " / ".join(str(a.get("text", "")) for a in poll.get("answers") or [])
    return f"Poll: {poll['question']}" + (f" ({answers})" if answers else "")


def _describe(m: dict[str, Any]) -> str:
    actor = str(m.get("actor") or "Someone")
    action = str(m.get("action") or "")
    members = [str(x) for x in m.get("members") or [] if x]
    who = ", ".join(members)
    title = m.get("title") or m.get("new_title") or ""
    if action == "invite_members":
        return f"{actor} joined the group" if members == [actor] else f"{actor} added {who}"
    if action == "remove_members":
        return f"{actor} left the group" if members == [actor] else f"{actor} removed {who}"
    texts = {
        "create_group": f"{actor} created the group «{title}»",
        "create_channel": f"{actor} created the channel «{title}»",
        "migrate_to_supergroup": f"{actor} converted the group to a supergroup",
        "migrate_from_group": f"{actor} converted the group to a supergroup",
        "join_group_by_link": f"{actor} joined the group via invite link",
        "join_group_by_request": f"{actor} joined the group (request approved)",
        "pin_message": f"{actor} pinned a message",
        "edit_group_title": f"{actor} renamed the group to «{title}»",
        "edit_group_photo": f"{actor} changed the group photo",
        "delete_group_photo": f"{actor} removed the group photo",
        "topic_created": f"{actor} created the topic «{title}»",
        "topic_edit": f"{actor} renamed the topic to «{title}»",
        "group_call": f"{actor} started a voice chat",
        "invite_to_group_call": f"{actor} invited {who} to the voice chat",
    }
    return texts.get(action) or f"{actor}: {action.replace('_', ' ') or 'service message'}"


_MEDIA_TYPES = {
    "sticker": "Sticker",
    "voice_message": "Voice",
    "video_message": "Video",
    "video_file": "Video",
    "animation": "GIF",
    "audio_file": "Voice",
}


def _media(m: dict[str, Any]) -> str:
    """A photo, sticker or file without a caption: its placeholder ('[Photo]'), so the post
    counts in activity numbers; it is never indexed, asked or answered."""
    if m.get("photo"):
        return "[Photo]"
    if kind := _MEDIA_TYPES.get(str(m.get("media_type") or "")):
        return f"[{kind}]"
    return "[File]" if m.get("file") else ""
