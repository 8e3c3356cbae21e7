"""chatlog (sjzar/chatlog) exports of WeChat history: its plain-text API output, its JSON
(API `format=json` or `chatlog export`) and its CSV (`chatlog export --format csv`).

Text (one message per block, a blank line between blocks; the time format depends on the
range asked for: "2006-01-02 15:04:05" across years, "01-02 15:04:05" within one year,
"15:04:05" within one day)::

    林薇(wxid_lw2024abc) 03-01 20:01:15
    周六的共读会改到线上
    <blank>
    系统消息 03-01 20:05:00
    "王磊"邀请"Sofia"加入了群聊

A reply quotes its parent as "> " lines (whose header always has month and day). Media are
placeholders ("![图片](http://127.0.0.1:5030/image/…)", "[语音]", "[动画表情]"): not messages.
Sender ids are WeChat accounts (personal), so they become pseudonymous author ids.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any

from copilot.knowledge.chat_exports.common import (
    CHINA_TZ,
    NO_OPTIONS,
    WECHAT_MEDIA,
    ExportOptions,
    UniqueIds,
    author_id,
    parse_ts,
    stable_id,
    text_or_media,
)
from copilot.knowledge.errors import UnreadableFileError
from copilot.models import ChatMessage

_TIME = (
    r"(?:(?:(?P<y>\d{4})-)?(?P<mo>\d{2})-(?P<d>\d{2})\s+)?(?P<h>\d{2}):(?P<mi>\d{2}):(?P<s>\d{2})"
)
_HEADER = re.compile(
    r"^(?P<name>\S.*?)(?:\((?P<id>[^()\s]{1,64})\))?(?:\s+\[(?P<room>[^\[\]]+)\])?\s+" + _TIME + "$"
)
_ROOM = re.compile(r"^(?P<name>.*?)\((?P<id>[^()\s]+)\)$")
_QUOTE_HEADER = re.compile(r"^>\s*(?P<name>.*?)(?:\((?P<id>[^()\s]+)\))?\s+" + _TIME + r"\s*$")
_APP = re.compile(r"\[(?P<kind>链接|分享|小程序|视频号)\|(?P<title>[^\]]*)\]\((?P<url>[^)\s]*)\)")
_FILE = re.compile(r"\[文件\|(?P<title>[^\]]*)\]\([^)]*\)")
_PLACEHOLDER = re.compile(
    r"^\[(?:名片|语音通话|合并转发|群公告|红包|红包封面|分享|小程序|视频号|引用)\]$"
)
SYSTEM = "系统消息"
_NOT_PEOPLE = ("@chatroom", "@openim")


@dataclass
class _Record:
    ts: datetime
    sender: str
    sender_name: str
    text: str
    talker_name: str | None = None
    seq: str | None = None
    msg_type: int = 1
    quote: tuple[str, str] | None = None  # (sender, "MM-DD HH:MM:SS") of the quoted message
    lines: list[str] = field(default_factory=list)


def sniff_chatlog_text(text: str) -> bool:
    """Sender-first headers ending in chatlog's time formats, blank-line separated or without
    a year (what chatlog writes; other tools that put the sender first use '/' dates)."""
    lines = text.split("\n", 3000)[:3000]
    headers = _header_lines(lines)
    non_blank = sum(1 for line in lines if line.strip())
    if len(headers) < 3 or len(headers) < 0.25 * non_blank:
        return False
    yearless = any(not m["y"] for m in headers.values())
    separated = sum(1 for i in headers if i == 0 or not lines[i - 1].strip())
    return yearless or separated >= 0.8 * len(headers)


def _header_lines(lines: list[str]) -> dict[int, re.Match[str]]:
    """Header lines by index. When nearly all candidates follow a blank line (chatlog's own
    layout), a candidate inside a message ("集合 08:30:00") is content, not a header."""
    found = {
        i: m for i, line in enumerate(lines) if (m := _HEADER.match(line.strip())) and _plausible(m)
    }
    after_blank = {i: m for i, m in found.items() if i == 0 or not lines[i - 1].strip()}
    return after_blank if len(after_blank) >= 0.8 * len(found) else found


def _plausible(match: re.Match[str]) -> bool:
    name = match["name"].strip()
    return len(name) <= 60 and not name.startswith(">") and len(name.split()) <= 5


def parse_chatlog_text(
    text: str,
    *,
    community: str,
    source: str,
    channel: str,
    options: ExportOptions = NO_OPTIONS,
) -> list[ChatMessage]:
    zone = options.zone(CHINA_TZ)
    lines = text.split("\n")
    headers = _header_lines(lines)
    records: list[_Record] = []
    for i, line in enumerate(lines):
        if i in headers:
            records.append(_header_record(headers[i], zone, options, source))
        elif records:
            records[-1].lines.append(line.rstrip())
    for record in records:
        record.text, record.quote = _content(record.lines)
    return _messages(records, community, source, channel)


def _header_record(
    match: re.Match[str], zone: tzinfo, options: ExportOptions, source: str
) -> _Record:
    room = _ROOM.match(match["room"] or "")
    return _Record(
        ts=_clock(match, zone, options, source),
        sender=match["id"] or match["name"].strip(),
        sender_name=match["name"].strip() if match["id"] else "",
        text="",
        talker_name=(room["name"] or room["id"]) if room else match["room"],
    )


def _clock(match: re.Match[str], zone: tzinfo, options: ExportOptions, source: str) -> datetime:
    if not match["mo"]:
        raise UnreadableFileError(
            source,
            "the times have no date (a chatlog export of a single day, e.g. '20:01:15'); "
            "export again with a time range of more than one day, so each message has a date",
        )
    year = int(match["y"]) if match["y"] else options.year
    if year is None:
        raise UnreadableFileError(
            source,
            f"the dates have no year (a chatlog text export, e.g. "
            f"'{match['mo']}-{match['d']} {match['h']}:{match['mi']}:{match['s']}'); "
            "say which year the messages are from with --year YYYY "
            "(the `year` field when uploading)",
        )
    try:
        return datetime(
            year,
            int(match["mo"]),
            int(match["d"]),
            int(match["h"]),
            int(match["mi"]),
            int(match["s"]),
            tzinfo=zone,
        )
    except ValueError:
        raise UnreadableFileError(
            source, f"{year}-{match['mo']}-{match['d']} is not a date (check --year)"
        ) from None


def _content(lines: list[str]) -> tuple[str, tuple[str, str] | None]:
    """The message text with quote headers reduced to names (no account ids) and media
    placeholders removed; and who/when it quotes, to link the reply."""
    out: list[str] = []
    quote: tuple[str, str] | None = None
    for line in lines:
        if match := _QUOTE_HEADER.match(line.strip()):
            if quote is None and match["mo"]:
                when = f"{match['mo']}-{match['d']} {match['h']}:{match['mi']}:{match['s']}"
                quote = (match["id"] or match["name"], when)
            out.append(f"> {match['name'] or '…'}:")
            continue
        out.append(line)
    return _clean("\n".join(out)), quote


def _clean(text: str) -> str:
    text = _APP.sub(lambda m: " ".join(filter(None, [*m["title"].split("|"), m["url"]])), text)
    text = _FILE.sub(lambda m: f"[文件] {m['title']}", text)
    text = text_or_media(text)
    text = "\n".join(ln for ln in text.split("\n") if ln.strip() != ">").strip()
    return "" if _PLACEHOLDER.match(text) else text


# ---- JSON and CSV -------------------------------------------------------------------------


def is_chatlog_json(data: Any) -> bool:
    if not isinstance(data, list) or not data:
        return False
    sample = [m for m in data[:20] if isinstance(m, dict)]
    keys = {"seq", "time", "talker", "sender", "type", "content"}
    return len(sample) == min(len(data), 20) and all(keys <= set(m) for m in sample)


def is_chatlog_csv(header: list[str]) -> bool:
    return {"Time", "Talker", "Sender", "SenderName", "Type", "Content"} <= set(header)


def parse_chatlog_json(
    data: list[dict[str, Any]], *, community: str, source: str, channel: str
) -> list[ChatMessage]:
    records = []
    for m in data:
        contents = m.get("contents") or {}
        refer = contents.get("refer") if isinstance(contents, dict) else None
        quote = None
        if isinstance(refer, dict) and refer.get("sender") and refer.get("time"):
            quote = (str(refer["sender"]), parse_ts(refer["time"]).strftime("%m-%d %H:%M:%S"))
        records.append(
            _Record(
                ts=parse_ts(m["time"]),
                sender=str(m.get("sender") or ""),
                sender_name=str(m.get("senderName") or ""),
                text=_json_text(m, contents if isinstance(contents, dict) else {}),
                talker_name=str(m.get("talkerName") or m.get("talker") or "") or None,
                seq=str(m["seq"]) if m.get("seq") else None,
                msg_type=int(m.get("type") or 0),
                quote=quote,
            )
        )
    return _messages(records, community, source, channel)


def parse_chatlog_csv(
    rows: list[tuple[int, dict[str, str]]],
    *,
    community: str,
    source: str,
    channel: str,
    options: ExportOptions = NO_OPTIONS,
) -> list[ChatMessage]:
    zone = options.zone(CHINA_TZ)  # chatlog writes the exporting machine's local time
    records = [
        _Record(
            ts=parse_ts(row["Time"], zone),
            sender=row.get("Sender", ""),
            sender_name=row.get("SenderName", ""),
            text=_clean(row.get("Content", "")),
            talker_name=row.get("TalkerName") or row.get("Talker") or None,
            msg_type=int(row.get("Type") or 0),
        )
        for _, row in rows
    ]
    return _messages(records, community, source, channel)


def _json_text(m: dict[str, Any], contents: dict[str, Any]) -> str:
    kind, sub = int(m.get("type") or 0), int(m.get("subType") or 0)
    if kind in WECHAT_MEDIA:
        return WECHAT_MEDIA[kind]  # a media-only post still counts as a message
    if kind == 49 and sub in (4, 5, 33, 36, 51):
        return " ".join(str(contents[k]) for k in ("title", "desc", "url") if contents.get(k))
    if kind == 49 and sub == 6:
        return f"[文件] {contents.get('title', '')}".strip()
    if kind == 49 and sub == 19:
        return "\n".join(str(contents[k]) for k in ("title", "desc") if contents.get(k))
    return _clean(str(m.get("content") or ""))


def _messages(
    records: list[_Record], community: str, source: str, channel: str
) -> list[ChatMessage]:
    unique = UniqueIds()
    seen: dict[tuple[str, str, str], str] = {}  # (channel, sender, "MM-DD HH:MM:SS") → id
    out: list[ChatMessage] = []
    for r in records:
        chan = r.talker_name or channel
        key = (chan, r.sender, r.ts.strftime("%m-%d %H:%M:%S"))
        if not r.text:
            continue
        service = r.sender == SYSTEM or r.msg_type == 10000
        sender_id = None if service or r.sender in ("", "我") else _account(r.sender)
        author = SYSTEM if service else (r.sender_name or _name_of(r.sender, sender_id))
        msg_id = r.seq or unique(chan, stable_id(r.ts.isoformat(), sender_id or author, r.text))
        seen.setdefault(key, msg_id)
        reply_to = seen.get((chan, *r.quote)) if r.quote else None
        out.append(
            ChatMessage(
                id=msg_id,
                community=community,
                channel=chan,
                author=author,
                author_id=sender_id,
                ts=r.ts,
                text=r.text,
                reply_to=reply_to if reply_to != msg_id else None,
                is_service=service,
                source=source,
            )
        )
    return out


def _account(sender: str) -> str | None:
    if sender.endswith(_NOT_PEOPLE):
        return sender
    return author_id(sender, personal="wx")


def _name_of(sender: str, sender_id: str | None) -> str:
    """A sender shown without a name: '我' stays; an account id is never shown."""
    if sender == "我" or sender_id is None:
        return sender or "未知"
    return sender_id
