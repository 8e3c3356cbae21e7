"""MemoTrace (留痕, LC044/WeChatMsg) exports of a WeChat chat: CSV and HTML. (Its TXT is the
common "time name / content" text layout, read by `wechat`.)

CSV (`<备注>_utf8.csv`, UTF-8 with BOM), one row per message, the WeChat database's columns::

    localId,TalkerId,Type,SubType,IsSender,CreateTime,Status,StrContent,StrTime,Remark,NickName,Sender

Type 1 is text, 3/34/43/47 are image/voice/video/sticker (their StrContent is XML: not
messages), 49 an app message (link, file, quote), 10000 a system notice. CreateTime is epoch
seconds; StrTime the exporter's local time. Sender is the sender's wxid: personal, so it
becomes a pseudonymous author id.

HTML: the page embeds the messages as a JavaScript array, `const chatMessages = [ { type:1,
text: '…', is_send:0, …, timestamp:1709294475, is_chatroom:1, displayname:'林薇'}, … ];`,
with text HTML-escaped and then JavaScript-escaped, emoji turned into <img id="微笑">.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any

from copilot.knowledge.chat_exports.common import (
    CHINA_TZ,
    NO_OPTIONS,
    WECHAT_MEDIA,
    ExportOptions,
    UniqueIds,
    author_id,
    from_epoch,
    parse_ts,
    stable_id,
    text_or_media,
)
from copilot.models import ChatMessage

CSV_COLUMNS = {"Type", "StrContent"}  # plus a time (CreateTime or StrTime) and a sender
_TEXT, _APP, _SYSTEM = 1, 49, 10000
_TITLE = re.compile(r"<title>(.*?)</title>", re.DOTALL)
_REFER = re.compile(r"<refermsg>(.*?)</refermsg>", re.DOTALL)
_REFER_FIELD = re.compile(r"<(chatusr|createtime|content)>(.*?)</\1>", re.DOTALL)
_REVOKE_LINK = re.compile(r"\s*<a href=\"weixin://revoke_edit_click\">重新编辑</a>")
_TAG = re.compile(r"<[^<>]+>")
# Each object is written on one line (newlines in text are escaped), so the array ends at
# the first line that starts with "];".
_ARRAY = re.compile(r"const\s+chatMessages\s*=\s*\[(.*?)\n\s*\];", re.DOTALL)
# Braces, or one `key: 'string'` / `key: number` pair (a string is consumed whole, so braces
# inside text are never taken for the end of an object).
_TOKEN = re.compile(r"(\{)|(\})|(\w+)\s*:\s*(?:'((?:\\.|[^'\\])*)'|(-?\d+(?:\.\d+)?))", re.DOTALL)
_EMOJI_IMG = re.compile(r"<img[^>]*\bid=\"([^\"]+)\"[^>]*>")
_JS_ESCAPE = re.compile(r"\\(.)", re.DOTALL)
_JS_CHARS = {"n": "\n", "r": "\r", "t": "\t"}


def is_memotrace_csv(header: list[str]) -> bool:
    return set(header) >= CSV_COLUMNS


def parse_memotrace_csv(
    rows: list[tuple[int, dict[str, str]]],
    *,
    community: str,
    source: str,
    channel: str,
    options: ExportOptions = NO_OPTIONS,
) -> list[ChatMessage]:
    channel = channel.removesuffix("_utf8")  # MemoTrace names the file "<备注>_utf8.csv"
    zone = options.zone(CHINA_TZ)
    unique = UniqueIds()
    # A quote (引用) names the quoted message by its sender and send time, and holds its text:
    # enough to find it among the messages before it (the CSV has no server message id).
    earlier: dict[tuple[str | None, str], str] = {}
    out: list[ChatMessage] = []
    for _, row in rows:
        kind = int(row.get("Type") or 0)
        content = row.get("StrContent", "")
        text = _text(kind, content)
        if not text:
            continue
        created = row.get("CreateTime", "")
        # CreateTime is exact; StrTime is the exporting computer's wall-clock time.
        ts = from_epoch(created) if created.isdigit() else parse_ts(row["StrTime"], zone)
        service = kind == _SYSTEM
        sender = None if service else author_id(row.get("Sender"), personal="wx")
        name = "系统消息" if service else (row.get("Remark") or row.get("NickName") or sender)
        msg_id = unique(channel, stable_id(ts.isoformat(), sender or name, text))
        reply_to = _quoted(content, earlier) if kind == _APP else None
        earlier.setdefault((sender, created), msg_id)
        earlier.setdefault((sender, text), msg_id)
        out.append(
            ChatMessage(
                id=msg_id,
                reply_to=reply_to,
                community=community,
                channel=channel,
                author=str(name or "未知"),
                author_id=sender,
                ts=ts,
                text=text,
                is_service=service,
                source=source,
            )
        )
    return out


def _quoted(content: str, earlier: dict[tuple[str | None, str], str]) -> str | None:
    """The id of the message a quote (<refermsg>) answers, when it is in the export."""
    refer = _REFER.search(content)
    if refer is None:
        return None
    fields = dict(_REFER_FIELD.findall(refer.group(1)))
    sender = author_id(fields.get("chatusr"), personal="wx")
    quoted = html.unescape(fields.get("content", "")).strip()
    return earlier.get((sender, fields.get("createtime", ""))) or earlier.get((sender, quoted))


def _text(kind: int, content: str) -> str:
    content = content.strip()
    if kind == _TEXT:
        return text_or_media(content)
    if kind in WECHAT_MEDIA:
        return WECHAT_MEDIA[kind]  # a media-only post still counts as a message
    if kind == _SYSTEM:
        content = content.replace("<![CDATA[", "").replace("]]>", "")
        return html.unescape(_TAG.sub("", _REVOKE_LINK.sub("", content))).strip()
    if kind == _APP and (title := re.search(r"<title>(.*?)</title>", content, re.DOTALL)):
        return html.unescape(title.group(1)).strip()  # links, files and quotes: their title
    return ""  # an app message without a title


# ---- HTML -----------------------------------------------------------------------------------


def is_memotrace_html(text: str) -> bool:
    return "const chatMessages" in text and bool(_ARRAY.search(text))


def parse_memotrace_html(
    text: str, *, community: str, source: str, channel: str
) -> list[ChatMessage]:
    if title := _TITLE.search(text):
        channel = html.unescape(title.group(1)).strip() or channel
    array = _ARRAY.search(text)
    unique = UniqueIds()
    out: list[ChatMessage] = []
    for fields in _objects(array.group(1) if array else ""):
        msg = _html_message(fields, community, source, channel, unique)
        if msg is not None:
            out.append(msg)
    return out


def _objects(body: str) -> Iterator[dict[str, Any]]:
    current: dict[str, Any] | None = None
    for match in _TOKEN.finditer(body):
        opening, closing, key, string, number = match.groups()
        if opening:
            current = {}
        elif closing:
            if current is not None:
                yield current
            current = None
        elif current is not None:
            current[key] = float(number) if number else _unescape(string)


def _unescape(js: str) -> str:
    text = _JS_ESCAPE.sub(lambda m: _JS_CHARS.get(m.group(1), m.group(1)), js)
    text = _EMOJI_IMG.sub(lambda m: f"[{m.group(1).replace(' ', '')}]", text)
    return html.unescape(_TAG.sub("", text))


def _html_message(
    fields: dict[str, Any], community: str, source: str, channel: str, unique: UniqueIds
) -> ChatMessage | None:
    kind, sub = int(fields.get("type", -1)), int(fields.get("sub_type", 0))
    if kind == 1:
        text = text_or_media(str(fields.get("text", "")))
    elif kind == 0 or (kind == _APP and sub == 57):  # system notice
        text = str(fields.get("text", "")).strip()
    elif kind == _APP and sub == 5:  # a shared link card
        parts = (fields.get(k) for k in ("title", "description", "url"))
        text = " ".join(str(p) for p in parts if p and p != "None")
    elif kind in WECHAT_MEDIA:
        text = WECHAT_MEDIA[kind]  # a media-only post still counts as a message
    else:
        return None  # files, transfers, calls
    if not text or "timestamp" not in fields:
        return None
    ts = from_epoch(fields["timestamp"])
    service = kind == 0
    name = "系统消息" if service else (str(fields.get("displayname") or "") or "未知")
    return ChatMessage(
        id=unique(channel, stable_id(ts.isoformat(), name, text)),
        community=community,
        channel=channel,
        author=name,
        ts=ts,
        text=text,
        is_service=service,
        source=source,
    )
