"""WeChat / WeCom plain-text chat exports (export tools, PC WeChat copy, WeCom archives).

A message is a header line — a date-time and the sender, in either order — then its content
on the following lines until the next header:

    2026-11-03 20:01:15 张三            (export tools)
    张三 2026/11/3 20:01                (PC WeChat copy / export)
    张三(zhangsan) 2026-11-03 20:01:15  (WeCom, with the account id)

Times carry no zone; they are China time (+08:00) unless the caller says otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone

from copilot.knowledge.chat_exports.common import CHINA_TZ, UniqueIds, stable_id
from copilot.models import ChatMessage

_DT = (
    r"(?P<y>\d{4})[-/.年](?P<mo>\d{1,2})[-/.月](?P<d>\d{1,2})日?\s+"
    r"(?P<ampm>上午|下午|凌晨|中午|晚上)?\s*(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2}))?"
)
_SENDER = r"(?P<sender>\S.{0,40}?)"
_TIME_FIRST = re.compile(rf"^\s*{_DT}\s+{_SENDER}\s*[:：]?\s*$")
_SENDER_FIRST = re.compile(rf"^\s*{_SENDER}\s+{_DT}\s*$")
_WECOM_ID = re.compile(r"^(?P<name>.+?)\s*[(（](?P<id>[A-Za-z0-9][\w.@-]{0,63})[)）]$", re.ASCII)
_DATE_SEPARATOR = re.compile(r"^[\s\-—=─·]*\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?[\s\-—=─·]*$")
_TITLE = (
    re.compile(r"^(?:群聊名称|群聊|群名称|群名|聊天对象|会话名称|会话|Chat)\s*[:：]\s*(.+)$"),
    re.compile(r"^(?:与|和)\s*[「“\"]?(.+?)[」”\"]?\s*的聊天记录"),
)
_MEDIA_ONLY = re.compile(
    r"^\[(?:图片|表情|动画表情|语音|视频|文件|Photo|Image|Sticker|Video|Voice|Emoji)\]$"
)
_SYSTEM_SENDERS = {"系统消息", "系统提示", "系统", "System", "SYSTEM", "system"}
# Real exports are mostly one- or two-line messages, so headers are a third or more of the
# non-blank lines; prose with a few dated lines stays well below a quarter.
_MIN_HEADERS = 3
_MIN_HEADER_SHARE = 0.25
_SENTENCE_END = ("。", "！", "？", "!", "?", "；", ";", "，", ",")


@dataclass(frozen=True)
class _Header:
    line: int
    ts: datetime
    sender: str


def _header(line: str, pattern: re.Pattern[str], tz: timezone) -> tuple[datetime, str] | None:
    match = pattern.match(line)
    if not match:
        return None
    sender = match["sender"].strip()
    if sender.endswith(_SENTENCE_END) or len(sender.split()) > 4:
        return None  # a sentence after a date is prose, not a sender's name
    hour = int(match["h"])
    if match["ampm"] in ("下午", "晚上") and hour < 12:
        hour += 12
    try:
        ts = datetime(
            int(match["y"]),
            int(match["mo"]),
            int(match["d"]),
            hour,
            int(match["mi"]),
            int(match["s"] or 0),
            tzinfo=tz,
        )
    except ValueError:
        return None
    return ts, sender


def _scan(lines: list[str], tz: timezone) -> list[_Header]:
    """Headers of the variant (time first / sender first) that matches most lines."""
    best: list[_Header] = []
    for pattern in (_TIME_FIRST, _SENDER_FIRST):
        found = [
            _Header(i, *parsed)
            for i, line in enumerate(lines)
            if (parsed := _header(line, pattern, tz))
        ]
        if len(found) > len(best):
            best = found
    return best


def looks_like_wechat(text: str) -> bool:
    """True only when the text is mostly header + content blocks.

    A playbook with a few dated lines, or a schedule ("2026-11-03 20:00 分享会" on every
    line, no content under each), does not pass.
    """
    lines = text.split("\n")
    headers = _scan(lines, CHINA_TZ)
    non_blank = [i for i, line in enumerate(lines) if line.strip()]
    if len(headers) < _MIN_HEADERS or not non_blank:
        return False
    if sum(1 for i in non_blank if i < headers[0].line) > 5:
        return False  # a chat export starts with its messages (after at most a short title)
    starts = {h.line for h in headers}
    with_content = 0
    for h in headers:
        nxt = next((i for i in non_blank if i > h.line), None)
        if nxt is not None and nxt not in starts and not _DATE_SEPARATOR.match(lines[nxt]):
            with_content += 1
    return len(headers) / len(non_blank) >= _MIN_HEADER_SHARE and with_content >= 0.8 * len(headers)


def parse_wechat(
    text: str, *, community: str, source: str, channel: str, tz: timezone = CHINA_TZ
) -> list[ChatMessage]:
    lines = text.split("\n")
    headers = _scan(lines, tz)
    if not headers:
        return []
    channel = _title(lines[: headers[0].line]) or channel
    senders = [h.sender for h in headers]
    wecom = sum(1 for s in senders if _WECOM_ID.match(s)) >= 0.8 * len(senders)
    ends = [h.line for h in headers[1:]] + [len(lines)]
    unique = UniqueIds()
    out: list[ChatMessage] = []
    for header, end in zip(headers, ends, strict=True):
        body = [ln for ln in lines[header.line + 1 : end] if not _DATE_SEPARATOR.match(ln)]
        content = "\n".join(ln.rstrip() for ln in body).strip()
        if not content or _MEDIA_ONLY.match(content):
            continue
        author, author_id = header.sender, None
        if wecom and (match := _WECOM_ID.match(author)):
            author, author_id = match["name"], match["id"]
        base = stable_id(header.ts.isoformat(), author, content)
        out.append(
            ChatMessage(
                id=unique(channel, base),
                community=community,
                channel=channel,
                author=author,
                author_id=author_id,
                ts=header.ts,
                text=content,
                is_service=author in _SYSTEM_SENDERS,
                source=source,
            )
        )
    return out


def _title(preamble: list[str]) -> str | None:
    for line in preamble:
        for pattern in _TITLE:
            if match := pattern.match(line.strip()):
                return match.group(1).strip()
    return None
