"""Generic chat records: JSONL (one object per line), a JSON list, or a CSV with a header.

Required per record: a time, an author and a text, under any of a few common names
({"ts","author","text","thread"} is the documented form). Optional: id, reply_to, channel,
author_id, thread, is_service.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from copilot.knowledge.chat_exports.common import UniqueIds, parse_ts, stable_id
from copilot.knowledge.errors import UnreadableFileError
from copilot.models import ChatMessage

_TS = ("ts", "timestamp", "time", "datetime", "date", "sent_at", "created_at", "时间", "发送时间")
_AUTHOR = ("author", "sender", "user", "username", "from", "nickname", "发送者", "发送人", "昵称")
_TEXT = ("text", "content", "message", "body", "内容", "消息", "消息内容")
_OPTIONAL = {
    "id": ("id", "message_id", "msg_id"),
    "reply_to": ("reply_to", "reply_to_id", "parent_id"),
    "thread": ("thread", "thread_id", "thread_ts", "topic"),
    "channel": ("channel", "room", "chat", "群聊"),
    "author_id": ("author_id", "user_id", "sender_id"),
}
# Isolated broken lines (say a crash cut the last one) are skipped with a warning; more than
# this share means the file is not what we think it is.
_MAX_BAD_SHARE = 0.1


def _key(keys: Iterable[str], aliases: tuple[str, ...]) -> str | None:
    lowered = {k.strip().lower(): k for k in keys}
    return next((lowered[a] for a in aliases if a in lowered), None)


def has_chat_columns(keys: Iterable[str]) -> bool:
    keys = list(keys)
    return all(_key(keys, aliases) for aliases in (_TS, _AUTHOR, _TEXT))


def is_chat_records(records: list[Any]) -> bool:
    """Most records have a time, an author and a text, and the times have a time of day.

    The time-of-day test keeps a content calendar ("date, author, content") a document.
    Half, not all, must pass: a damaged chat file should still be read as chat so its bad
    lines can be named.
    """
    sample = records[:20]
    hits = sum(1 for r in sample if isinstance(r, dict) and _chat_like(r))
    return bool(sample) and hits >= 0.5 * len(sample)


def _chat_like(record: dict[str, Any]) -> bool:
    if not has_chat_columns(record):
        return False
    ts = record[_key(record, _TS) or ""]
    if isinstance(ts, int | float) and not isinstance(ts, bool):
        return True  # epoch seconds or milliseconds
    return ":" in str(ts) or str(ts).replace(".", "", 1).isdigit()


def parse_jsonl_records(text: str) -> tuple[list[tuple[int, Any]], list[tuple[int, str]]]:
    """(line number, object) for each parseable line, and (line number, reason) for the rest."""
    records: list[tuple[int, Any]] = []
    bad: list[tuple[int, str]] = []
    for n, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            records.append((n, json.loads(line)))
        except json.JSONDecodeError as exc:
            bad.append((n, f"invalid JSON ({exc.msg})"))
        except RecursionError:
            bad.append((n, "JSON nested too deeply"))
    return records, bad


def parse_chat_records(
    records: list[tuple[int, Any]],
    *,
    community: str,
    source: str,
    channel: str,
    bad: list[tuple[int, str]] | None = None,
    unit: str = "line",
    warnings: list[str] | None = None,
) -> list[ChatMessage]:
    """Records numbered by line/row → messages; too many bad ones raise UnreadableFileError."""
    bad = list(bad or [])
    total = len(records) + len(bad)
    unique = UniqueIds()
    out: list[ChatMessage] = []
    for n, record in records:
        try:
            out.append(_message(record, community, source, channel, unique))
        except (KeyError, TypeError, ValueError) as exc:
            bad.append((n, str(exc.args[0]) if exc.args else type(exc).__name__))
    report_bad(sorted(bad), total, source, unit, warnings)
    return out


def _message(
    record: Any, community: str, source: str, channel: str, unique: UniqueIds
) -> ChatMessage:
    if not isinstance(record, dict):
        raise TypeError("not a JSON object")
    fields = {}
    for role, aliases in (("ts", _TS), ("author", _AUTHOR), ("text", _TEXT)):
        key = _key(record, aliases)
        value = record.get(key) if key else None
        if value is None or (isinstance(value, str) and not value.strip()):
            raise KeyError(f"missing {role!r}")
        fields[role] = value
    try:
        ts = parse_ts(fields["ts"])
    except (ValueError, OverflowError, OSError):
        raise ValueError(f"unreadable time {fields['ts']!r}") from None
    author, text = str(fields["author"]).strip(), str(fields["text"]).strip()
    extra = {role: _optional(record, aliases) for role, aliases in _OPTIONAL.items()}
    chan = extra["channel"] or channel
    msg_id = extra["id"] or unique(chan, stable_id(ts.isoformat(), author, text))
    return ChatMessage(
        id=msg_id,
        community=community,
        channel=chan,
        author=author,
        author_id=extra["author_id"],
        ts=ts,
        text=text,
        reply_to=extra["reply_to"],
        thread=extra["thread"],
        is_service=bool(record.get("is_service", False)),
        source=source,
    )


def _optional(record: dict[str, Any], aliases: tuple[str, ...]) -> str | None:
    key = _key(record, aliases)
    value = record.get(key) if key else None
    return None if value is None or str(value).strip() == "" else str(value).strip()


def report_bad(
    bad: list[tuple[int, str]], total: int, source: str, unit: str, warnings: list[str] | None
) -> None:
    if not bad:
        return
    if len(bad) >= 2 and len(bad) > _MAX_BAD_SHARE * total:
        listed = "; ".join(f"{unit} {n}: {why}" for n, why in bad[:5])
        more = f"; and {len(bad) - 5} more" if len(bad) > 5 else ""
        raise UnreadableFileError(
            source, f"{len(bad)} of {total} {unit}s are not valid chat records ({listed}{more})"
        )
    if warnings is not None:
        warnings += [f"{source} {unit} {n}: {why}; skipped" for n, why in bad]
