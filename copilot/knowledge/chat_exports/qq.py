"""QQ 消息管理器 text export (PC QQ: 消息管理器 → 导出消息记录 → .txt).

Layout, as the QQ client writes it (UTF-8 with BOM or UTF-16 LE, CRLF)::

    消息记录（此消息记录为文本格式，不支持重新导入）

    ================================================================
    消息分组:我的群聊
    ================================================================
    消息对象:周末读书会
    ================================================================

    2024-03-01 20:01:15 【管理员】林薇(123456789)
    大家好
                                                    (a blank line between messages)
    2024-03-01 8:05:00 PM 围观群众<someone@example.com>   (12-hour clock, English UI)

An "export all" file repeats the ==== block for every chat. Senders are "nickname(QQ number)"
or "nickname<e-mail>"; 系统消息(10000) / (1000000) lines are group notices. The QQ number or
e-mail becomes a pseudonymous author id, never text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, tzinfo

from copilot.knowledge.chat_exports.common import (
    CHINA_TZ,
    NO_OPTIONS,
    ExportOptions,
    UniqueIds,
    author_id,
    stable_id,
    text_or_media,
)
from copilot.models import ChatMessage

BANNER = "消息记录（此消息记录为文本格式，不支持重新导入）"
_HEADER = re.compile(
    r"^\s*(?P<y>\d{4})[-/](?P<mo>\d{1,2})[-/](?P<d>\d{1,2})\s+"
    r"(?:(?P<pre>上午|下午|AM|PM)\s*)?(?P<h>\d{1,2}):(?P<mi>\d{2}):(?P<s>\d{2})"
    r"(?:\s*(?P<post>AM|PM|上午|下午))?\s+"
    r"(?P<who>.*?)\s*(?:\((?P<qq>\d{4,12})\)|<(?P<email>[^<>\s]+@[^<>\s]+)>)\s*$",
    re.IGNORECASE,
)
_GROUP = re.compile(r"^\s*消息分组\s*[:：]\s*(.*?)\s*$")
_OBJECT = re.compile(r"^\s*消息对象\s*[:：]\s*(.*?)\s*$")
_RULE = re.compile(r"^\s*={10,}\s*$")
_TITLE = re.compile(r"^【[^】]*】")  # member titles: 【管理员】, 【群主】, 【活跃】...
_SYSTEM_NUMBERS = {"10000", "1000000"}
# Sections of an "export all" file that are groups; the others are one-to-one chats.
_GROUP_SECTION = re.compile(r"群|讨论组|group", re.IGNORECASE)


@dataclass
class _Message:
    ts: datetime
    who: str
    qq: str | None
    email: str | None
    channel: str
    lines: list[str] = field(default_factory=list)


@dataclass
class _Section:
    group: str | None
    channel: str
    messages: list[_Message] = field(default_factory=list)


def looks_like_qq(text: str) -> bool:
    """The export's banner or 消息对象 line, or a file mostly made of QQ sender headers."""
    head = text[:4000]
    lines = text.split("\n", 2000)[:2000]
    headers = sum(1 for line in lines if _HEADER.match(line))
    if BANNER in head or any(_OBJECT.match(line) for line in head.split("\n")):
        return headers >= 1
    non_blank = sum(1 for line in lines if line.strip())
    return headers >= 3 and headers >= 0.2 * non_blank


def parse_qq(
    text: str,
    *,
    community: str,
    source: str,
    channel: str,
    options: ExportOptions = NO_OPTIONS,
    warnings: list[str] | None = None,
) -> list[ChatMessage]:
    zone = options.zone(CHINA_TZ)
    sections = _sections(text.split("\n"), channel, zone)
    if len(sections) > 1:  # an "export all" file: keep the groups, skip one-to-one chats
        private = [s for s in sections if s.group and not _GROUP_SECTION.search(s.group)]
        if private and warnings is not None:
            warnings.append(
                f"{source}: skipped {len(private)} one-to-one chat(s) (friends' sections); "
                "export a chat on its own to ingest it"
            )
        sections = [s for s in sections if s not in private]
    unique = UniqueIds()
    out: list[ChatMessage] = []
    for section in sections:
        for m in section.messages:
            msg = _to_message(m, community, source, unique)
            if msg is not None:
                out.append(msg)
    return out


def _sections(lines: list[str], default_channel: str, zone: tzinfo) -> list[_Section]:
    sections: list[_Section] = []
    group: str | None = None
    current: _Message | None = None
    for line in lines:
        line = line.rstrip()
        if match := _GROUP.match(line):
            group, current = match.group(1) or None, None
            continue
        if match := _OBJECT.match(line):
            sections.append(_Section(group, match.group(1) or default_channel))
            current = None
            continue
        if _RULE.match(line) or line.strip() == BANNER:
            continue
        if (header := _HEADER.match(line)) and (ts := _time(header, zone)) is not None:
            if not sections:
                sections.append(_Section(group, default_channel))
            current = _Message(
                ts=ts,
                who=_TITLE.sub("", header["who"].strip()).strip(),
                qq=header["qq"],
                email=header["email"],
                channel=sections[-1].channel,
            )
            sections[-1].messages.append(current)
        elif current is not None:
            current.lines.append(line)
    return sections


def _time(match: re.Match[str], zone: tzinfo) -> datetime | None:
    hour = int(match["h"])
    marker = (match["pre"] or match["post"] or "").upper()
    if marker in ("PM", "下午") and hour < 12:
        hour += 12
    elif marker in ("AM", "上午") and hour == 12:
        hour = 0  # 12:12 AM is just after midnight
    try:
        return datetime(
            int(match["y"]),
            int(match["mo"]),
            int(match["d"]),
            hour,
            int(match["mi"]),
            int(match["s"]),
            tzinfo=zone,
        )
    except ValueError:
        return None


def _to_message(m: _Message, community: str, source: str, unique: UniqueIds) -> ChatMessage | None:
    text = text_or_media("\n".join(m.lines).strip())  # a picture-only post: '[图片]'
    if not text:
        return None
    service = m.qq in _SYSTEM_NUMBERS or m.who == "系统消息"
    if service:
        author, sender_id = "系统消息", None
    else:
        sender_id = author_id(m.qq, personal="qq") if m.qq else author_id(m.email, personal="mail")
        author = m.who or str(sender_id)  # a sender without a nickname: never show the number
    base = stable_id(m.ts.isoformat(), sender_id or author, text)
    return ChatMessage(
        id=unique(m.channel, base),
        community=community,
        channel=m.channel,
        author=author,
        author_id=sender_id,
        ts=m.ts,
        text=text,
        is_service=service,
        source=source,
    )
