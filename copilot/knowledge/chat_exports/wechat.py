"""WeChat / WeCom plain-text chat exports (MemoTrace TXT, other export tools, PC WeChat copy).

A message is a header line — a date-time and the sender, in either order — then its content
on the following lines until the next header:

    2026-11-03 20:01:15 张三            (MemoTrace / 留痕 TXT, other export tools)
    张三 2026/11/3 20:01                (PC WeChat copy / export)
    张三(zhangsan) 2026-11-03 20:01:15  (WeCom, with the account id)

MemoTrace writes a system notice on one line, time then text, with no content under it
("2026-11-03 20:05:00 "赵六"通过扫描二维码加入群聊"); it is kept as a notice. Media lines
("[图片]", "[表情包]") are not messages. Times carry no zone; they are China time (+08:00)
unless the caller says otherwise.

A quoted reply (WeChat's 引用) is copied as the quote, a dashed rule and the reply, or the reply
with the quote under it:

    「张三：模考能带计算器吗？」
    - - - - - - - - - - - - - - -
    不能带，草稿纸现场发

It becomes a reply to the quoted message (the latest one by that member that begins the same
way) and says only the reply; a quote of nothing in the export stays part of the message.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import datetime, tzinfo

from copilot.knowledge.chat_exports.common import (
    CHINA_TZ,
    UniqueIds,
    author_id,
    stable_id,
    text_or_media,
)
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
_TIME_FIRST_NOTICE = re.compile(rf"^\s*{_DT}\s+(?P<notice>\S.*?)\s*$")
# What WeChat's grey notices say (joins, invites, recalls, pats, renames, owner changes...).
_NOTICE_CUE = re.compile(
    r"加入了?群聊|邀请|移出了?群聊|撤回了一条消息|拍了拍|修改群名为|成为新群主|群公告|"
    r"开启了|关闭了|以上是打招呼的内容|不是朋友关系|收到红包|领取了|已成为|与群里其他人"
)
# MemoTrace writes a shared link as an indented "[链接]:title:…/description:…/url:…" card.
_LINK_CARD = re.compile(
    r"^\[链接\]:title:(?P<title>.*?)\n\s*description:(?P<desc>.*?)\n\s*url:(?P<url>.*?)(?:\n.*)?$",
    re.DOTALL,
)
_QUOTE = re.compile(r"^\s*「(?P<who>[^「」：:\n]{1,30})[：:](?P<quoted>[^」]*)」\s*$")
_QUOTE_RULE = re.compile(r"^\s*(?:-\s*){3,}$")
QUOTE_MATCH_CHARS = 12  # a quote may be cut short: its opening words find the message
_SYSTEM_SENDERS = {"系统消息", "系统提示", "系统", "System", "SYSTEM", "system"}
# A whole line that is one of WeChat's grey notices, wherever an export puts it: on its own line
# under someone's message ('"王五"撤回了一条消息'), or as the content of a header of its own
# ('张三' then '张三拍了拍李四'). Such a line is a notice, not words of the message it follows.
_NAME = r"[\"“”「」]?[^\"“”「」\n]{1,30}?[\"“”「」]?"
_NOTICE_LINE = re.compile(
    rf"^\s*(?:{_NAME}\s*撤回了一条消息|{_NAME}\s*(?:邀请|通过).{{0,40}}加入(?:了)?群聊"
    rf"|{_NAME}\s*加入了群聊|{_NAME}\s*(?:被)?移出了?群聊|{_NAME}\s*修改群名为.{{0,40}}"
    r"|\S{1,30}?\s*(?:已)?成为新群主|.{0,30}与群里其他人都不是(?:微信)?朋友关系.{0,20})\s*$"
)
# "张三拍了拍李四" is a notice; "我昨天拍了拍他的肩膀" is not: the one who pats is a member of the
# chat (or 我/你, or a quoted name).
_PAT = re.compile(r"^\s*(?P<who>[\"“「]?[^\"“”「」\n]{1,30}?[\"”」]?)\s*拍了拍\s*\S.{0,40}$")


def _is_notice_line(line: str, names: set[str]) -> bool:
    if _NOTICE_LINE.match(line):
        return True
    pat = _PAT.match(line)
    if not pat:
        return False
    who = pat["who"]
    return who[:1] in '"“「' or who.strip() in names | {"我", "你"}


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
    notice: bool = False  # a one-line notice: `sender` holds its text


def _header(line: str, pattern: re.Pattern[str], tz: tzinfo) -> tuple[datetime, str] | None:
    match = pattern.match(line)
    if not match:
        return None
    sender = match["sender"].strip()
    if sender.endswith(_SENTENCE_END) or len(sender.split()) > 4:
        return None  # a sentence after a date is prose, not a sender's name
    ts = _when(match, tz)
    return (ts, html.unescape(sender)) if ts is not None else None


def _when(match: re.Match[str], tz: tzinfo) -> datetime | None:
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
    return ts


def _scan(lines: list[str], tz: tzinfo) -> list[_Header]:
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
    return _scan_time_first_notices(lines, tz, best)


def _scan_time_first_notices(lines: list[str], tz: tzinfo, headers: list[_Header]) -> list[_Header]:
    """Add one-line notices ("<time> <notice text>", nothing under it) among time-first
    headers; they may be too long or too sentence-like to pass as a sender's name."""
    if not headers or not _TIME_FIRST.match(lines[headers[0].line]):
        return headers
    starts = {h.line for h in headers}
    extra = []
    for i, line in enumerate(lines):
        if i in starts or not (match := _TIME_FIRST_NOTICE.match(line)):
            continue
        if _NOTICE_CUE.search(match["notice"]) and (ts := _when(match, tz)) is not None:
            extra.append(_Header(i, ts, match["notice"], notice=True))
    return sorted(headers + extra, key=lambda h: h.line) if extra else headers


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
    with_content = sum(1 for h in headers if h.notice)  # notices have no content under them
    for h in headers:
        if h.notice:
            continue
        nxt = next((i for i in non_blank if i > h.line), None)
        if nxt is not None and nxt not in starts and not _DATE_SEPARATOR.match(lines[nxt]):
            with_content += 1
    return len(headers) / len(non_blank) >= _MIN_HEADER_SHARE and with_content >= 0.8 * len(headers)


def parse_wechat(
    text: str, *, community: str, source: str, channel: str, tz: tzinfo = CHINA_TZ
) -> list[ChatMessage]:
    lines = text.split("\n")
    headers = _scan(lines, tz)
    if not headers:
        return []
    channel = _title(lines[: headers[0].line]) or channel
    senders = [h.sender for h in headers if not h.notice]
    names = set(senders)
    wecom = sum(1 for s in senders if _WECOM_ID.match(s)) >= 0.8 * max(len(senders), 1)
    ends = [h.line for h in headers[1:]] + [len(lines)]
    unique = UniqueIds()
    out: list[ChatMessage] = []
    for header, end in zip(headers, ends, strict=True):
        body = [ln for ln in lines[header.line + 1 : end] if not _DATE_SEPARATOR.match(ln)]
        said: list[str] = []
        notices: list[str] = []
        for ln in body:  # each line is either a grey notice or words of the message
            if _is_notice_line(ln, names):
                notices.append(ln.strip())
            else:
                said.append(ln)
        content = _link_card(text_or_media("\n".join(ln.rstrip() for ln in said).strip()))
        author, sender_id, service = header.sender, None, header.sender in _SYSTEM_SENDERS
        if not content and (header.notice or _NOTICE_CUE.search(header.sender)):
            author, content, service = "系统消息", header.sender, True  # a one-line notice
        elif not content and notices:  # the header's only line is a notice: "张三拍了拍李四"
            author, content, service = "系统消息", notices.pop(0), True
        if not content:
            continue  # an empty body
        if wecom and not service and (match := _WECOM_ID.match(author)):
            author, sender_id = match["name"], author_id(match["id"])
        reply, quoted = _unquoted(content) if not service else (content, None)
        reply_to = _quoted_message(out, *quoted) if quoted else None
        if reply_to is not None:  # a quote of nothing in the export is part of what was said
            content = reply
        base = stable_id(header.ts.isoformat(), author, content)
        out.append(
            ChatMessage(
                id=unique(channel, base),
                community=community,
                channel=channel,
                author=author,
                author_id=sender_id,
                ts=header.ts,
                text=content,
                is_service=service,
                source=source,
                reply_to=reply_to,
            )
        )
        for notice in notices:  # after the words they were written under
            base = stable_id(header.ts.isoformat(), "系统消息", notice)
            out.append(
                ChatMessage(
                    id=unique(channel, base),
                    community=community,
                    channel=channel,
                    author="系统消息",
                    ts=header.ts,
                    text=notice,
                    is_service=True,
                    source=source,
                )
            )
    return out


def _unquoted(content: str) -> tuple[str, tuple[str, str] | None]:
    """The reply without its quote, and the quote's (author, text) if it has one."""
    lines = content.split("\n")
    for at in (0, len(lines) - 1):
        found = _QUOTE.match(lines[at])
        if found is None or len(lines) < 2:
            continue
        rest = lines[1:] if at == 0 else lines[:-1]
        if rest and _QUOTE_RULE.match(rest[0 if at == 0 else -1]):
            rest = rest[1:] if at == 0 else rest[:-1]
        reply = "\n".join(rest).strip()
        if reply:
            return reply, (found["who"].strip(), found["quoted"].strip())
    return content, None


def _quoted_message(earlier: list[ChatMessage], who: str, quoted: str) -> str | None:
    opening = quoted[:QUOTE_MATCH_CHARS]
    for m in reversed(earlier):
        if m.author == who and not m.is_service and m.text.strip().startswith(opening):
            return m.id
    return None


def _link_card(content: str) -> str:
    if not (card := _LINK_CARD.match(content)):
        return content
    parts = (card[k].strip() for k in ("title", "desc", "url"))
    return " ".join(p for p in parts if p and p != "None")


def _title(preamble: list[str]) -> str | None:
    for line in preamble:
        for pattern in _TITLE:
            if match := pattern.match(line.strip()):
                return match.group(1).strip()
    return None
