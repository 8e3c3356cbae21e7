"""QQChatExporter (shuakami/qq-chat-exporter, a NapCat plugin for QQ NT) exports: JSON and TXT.

JSON::

    {"metadata": {"name": "QQChatExporter V5 / https://…", …},
     "chatInfo": {"name": "周末读书会", "type": "group", …},
     "messages": [{"id": "…", "seq": "…", "timestamp": 1709294475000, "time": "…",
                   "sender": {"uid": "u_…", "uin": "123456789", "name": "林薇", …},
                   "content": {"text": "…", "elements": [{"type": "reply", "data": {…}}, …]},
                   "recalled": false, "system": false}, …]}

TXT: a banner, "聊天名称: …", then per message "名字:", "时间: YYYY-MM-DD HH:MM:SS" (the
exporter's local time) and "内容: …" (continuing on the following lines), then optional
"资源:", "提及:" and "回复:" lines. The QQ number (`uin`) is never stored; `uid` is QQ NT's
opaque account id.
"""

from __future__ import annotations

import re
from typing import Any

from copilot.knowledge.chat_exports.common import (
    CHINA_TZ,
    NO_OPTIONS,
    ExportOptions,
    UniqueIds,
    author_id,
    from_epoch,
    parse_ts,
    stable_id,
    text_or_media,
)
from copilot.models import ChatMessage

MARKER = "QQChatExporter"
_REPLY_PREFIX = re.compile(r"^\[回复[^\]\n]*\]\n?")
_PLACEHOLDER = re.compile(r"^\[(?:(?P<word>\w+?)消息|无文本内容)\]$")
_MEDIA_KINDS = {"图片", "表情", "语音", "视频"}
_TXT_NAME = re.compile(r"^聊天名称:\s*(.+?)\s*$", re.MULTILINE)
_TXT_SENDER = re.compile(r"^(?P<name>.+):$")
_TXT_TIME = re.compile(r"^时间:\s*(?P<ts>\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})\s*$")
_TXT_EXTRA = re.compile(r"^(?:资源: \d+ 个文件|  - \w+: .*|提及: .*|回复: .*)$")
_TXT_FOOTER = "导出完成"


def is_qq_chat_exporter(data: Any) -> bool:
    return (
        isinstance(data, dict)
        and MARKER in str((data.get("metadata") or {}).get("name", ""))
        and isinstance(data.get("messages"), list)
    )


def parse_qq_chat_exporter(
    data: dict[str, Any], *, community: str, source: str, channel: str
) -> list[ChatMessage]:
    channel = str((data.get("chatInfo") or {}).get("name") or channel)
    ids = {str(m.get("id")) for m in data["messages"] if isinstance(m, dict) and m.get("id")}
    unique = UniqueIds()
    out: list[ChatMessage] = []
    for m in data["messages"]:
        if not isinstance(m, dict) or m.get("recalled"):
            continue
        content = m.get("content") or {}
        text = _clean(str(content.get("text") or ""))
        if not text:
            continue
        ts = from_epoch(m["timestamp"]) if m.get("timestamp") else parse_ts(m["time"], CHINA_TZ)
        sender = m.get("sender") or {}
        sender_id = str(sender.get("uid") or "") or author_id(sender.get("uin"), personal="qq")
        name = str(sender.get("name") or sender.get("nickname") or sender_id or "QQ用户")
        reply = _reply_target(content.get("elements") or [])
        msg_id = str(m.get("id") or "") or unique(channel, stable_id(ts.isoformat(), name, text))
        out.append(
            ChatMessage(
                id=msg_id,
                community=community,
                channel=channel,
                author="系统消息" if m.get("system") else name,
                author_id=None if m.get("system") else sender_id,
                ts=ts,
                text=text,
                reply_to=reply if reply in ids and reply != msg_id else None,
                is_service=bool(m.get("system")),
                source=source,
            )
        )
    return out


def _clean(text: str) -> str:
    text = text_or_media(_REPLY_PREFIX.sub("", text.strip()))
    if kind := _PLACEHOLDER.match(text):  # "[图片消息]": a media-only post still counts
        return f"[{kind['word']}]" if kind["word"] in _MEDIA_KINDS else ""
    return text


def _reply_target(elements: list[Any]) -> str | None:
    for element in elements:
        if isinstance(element, dict) and element.get("type") == "reply":
            data = element.get("data") or {}
            target = data.get("referencedMessageId") or data.get("messageId")
            return str(target) if target else None
    return None


# ---- TXT ------------------------------------------------------------------------------------


def looks_like_qq_chat_exporter_text(text: str) -> bool:
    return MARKER in text[:500] and "QQ聊天记录导出文件" in text[:1000]


def parse_qq_chat_exporter_text(
    text: str,
    *,
    community: str,
    source: str,
    channel: str,
    options: ExportOptions = NO_OPTIONS,
) -> list[ChatMessage]:
    if match := _TXT_NAME.search(text[:2000]):
        channel = match.group(1)
    zone = options.zone(CHINA_TZ)
    lines = text.split("\n")
    unique = UniqueIds()
    out: list[ChatMessage] = []
    i = 0
    while i < len(lines) - 1:
        sender, when = _TXT_SENDER.match(lines[i]), _TXT_TIME.match(lines[i + 1])
        if not (sender and when):
            i += 1
            continue
        body, i = _txt_body(lines, i + 2)
        text_ = _clean(body)
        if text_:
            ts = parse_ts(when["ts"], zone)
            name = sender["name"].strip()
            out.append(
                ChatMessage(
                    id=unique(channel, stable_id(ts.isoformat(), name, text_)),
                    community=community,
                    channel=channel,
                    author=name,
                    ts=ts,
                    text=text_,
                    source=source,
                )
            )
    return out


def _txt_body(lines: list[str], start: int) -> tuple[str, int]:
    """The "内容: …" text from `start` up to the next message, and where that message starts."""
    body: list[str] = []
    i = start
    while i < len(lines):
        line = lines[i]
        next_is_message = (
            i + 1 < len(lines) and _TXT_SENDER.match(line) and _TXT_TIME.match(lines[i + 1])
        )
        if next_is_message or line.strip().startswith("=====") or _TXT_FOOTER in line:
            break
        if not _TXT_EXTRA.match(line):
            body.append(line.removeprefix("内容: ") if i == start else line)
        i += 1
    return "\n".join(body).strip(), i
