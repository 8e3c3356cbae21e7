"""PyWxDump (xaoyaoo/PyWxDump) exports of a WeChat chat: CSV or JSON, written to
`export/<chat id>/<chat id>_<from>_<to>.csv|.json` with a `users.json` beside them.

Each record (CSV row or JSON object) has::

    id, MsgSvrID, type_name, is_sender, talker, room_name, msg, src, CreateTime

`type_name` is PyWxDump's Chinese name of the message type (文本, 图片, 引用回复, 系统通知, …);
`talker` is the sender's wxid ("我" for your own messages in older versions), `room_name` the
chat's id (`…@chatroom` for a group); `CreateTime` is the exporter's local time. users.json
maps wxids to {"nickname", "remark", …}. Wxids are personal: they become pseudonymous author
ids, and names come from users.json.
"""

from __future__ import annotations

import re
from datetime import tzinfo
from typing import Any

from copilot.knowledge.chat_exports.common import (
    CHINA_TZ,
    NO_OPTIONS,
    ExportOptions,
    UniqueIds,
    author_id,
    parse_ts,
    stable_id,
    text_or_media,
)
from copilot.models import ChatMessage

FIELDS = {"MsgSvrID", "type_name", "talker", "room_name", "msg", "CreateTime"}
Users = dict[str, dict[str, Any]]
# type_name values whose `msg` is readable text; notices are flagged as service messages.
_MEDIA_TYPES = {"图片": "[图片]", "语音": "[语音]", "视频": "[视频]", "动画表情": "[表情]"}
_TEXT_TYPES = {"文本", "粘贴的文本", "位置", "(分享)卡片式链接", "合并转发的聊天记录", "接龙"}
_NOTICE = re.compile(r"^(?:系统通知|拍一拍|邀请加群|消息撤回\d*)$")
_QUOTE = re.compile(r"\n\n\[引用\]\((?P<ts>[^)]*)\)(?P<name>[^:\n]*):.*$", re.DOTALL)
_NOT_PEOPLE = {"我", "未知", "系统", ""}


def is_pywxdump(records: list[Any]) -> bool:
    sample = [r for r in records[:20] if isinstance(r, dict)]
    return bool(sample) and all(set(r) >= FIELDS for r in sample)


def parse_pywxdump(
    records: list[dict[str, Any]],
    *,
    community: str,
    source: str,
    users: Users | None = None,
    options: ExportOptions = NO_OPTIONS,
) -> list[ChatMessage]:
    users = users or {}
    zone: tzinfo = options.zone(CHINA_TZ)
    unique = UniqueIds()
    by_time: dict[tuple[str, str], str] = {}  # (chat, CreateTime text) → id, to link quotes
    out: list[ChatMessage] = []
    for r in records:
        kind = str(r.get("type_name") or "")
        text = _text(kind, str(r.get("msg") or ""))
        quote = _QUOTE.search(str(r.get("msg") or "")) if kind == "引用回复" else None
        if not text:
            continue
        ts = parse_ts(r["CreateTime"], zone)
        channel = _chat_name(str(r.get("room_name") or ""), users)
        service = bool(_NOTICE.match(kind)) or r.get("talker") == "系统"
        talker = str(r.get("talker") or "")
        sender = None if service or talker in _NOT_PEOPLE else author_id(talker, personal="wx")
        name = "系统消息" if service else _name(talker, sender, users)
        msg_id = unique(
            channel, str(r.get("MsgSvrID") or "") or stable_id(ts.isoformat(), sender or name, text)
        )
        reply_to = by_time.get((channel, quote["ts"])) if quote else None
        by_time.setdefault((channel, str(r["CreateTime"])), msg_id)
        out.append(
            ChatMessage(
                id=msg_id,
                reply_to=reply_to,
                community=community,
                channel=channel,
                author=name,
                author_id=sender,
                ts=ts,
                text=text,
                is_service=service,
                source=source,
            )
        )
    return out


def _text(kind: str, msg: str) -> str:
    if kind == "引用回复":
        return _QUOTE.sub("", msg).strip()  # the reply itself; the quoted text follows it
    if kind in _TEXT_TYPES or _NOTICE.match(kind):
        return text_or_media(msg.replace('<a href="', "").replace('">点击查看详情</a>', "")).strip()
    if kind in _MEDIA_TYPES:
        return _MEDIA_TYPES[kind]  # a media-only post still counts as a message
    return ""  # 文件, calls and app cards without text


def _name(talker: str, sender: str | None, users: Users) -> str:
    info = users.get(talker) or {}
    for key in ("remark", "nickname"):
        if info.get(key):
            return str(info[key])
    return talker if talker in _NOT_PEOPLE or sender is None else sender


def _chat_name(room: str, users: Users) -> str:
    if room.endswith("@chatroom") or not room:
        info = users.get(room) or {}
        return str(info.get("remark") or info.get("nickname") or room or "wechat")
    # A one-to-one chat is named after the friend, never by their wxid.
    return _name(room, author_id(room, personal="wx"), users)
