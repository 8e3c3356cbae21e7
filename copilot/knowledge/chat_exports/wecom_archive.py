"""WeCom 会话内容存档 (chat archive): the decrypted messages the Finance SDK returns
(`GetChatData` → `DecryptData`), one JSON object per line, or a JSON list of them::

    {"msgid":"…","action":"send","from":"lixiaoyu","tolist":["wmAbc…"],"roomid":"wrXyz…",
     "msgtime":1709294475123,"msgtype":"text","text":{"content":"…"}}

`msgtime` is UTC milliseconds; `roomid` is empty for one-to-one chats (skipped: they are
private); `from` is a WeCom userid or an external_userid (an opaque per-company id, kept as
the author id: the archive has no display names). `action` "recall" withdraws an earlier
message (`revoke.pre_msgid`), which is then left out too; "switch" records are not messages.
"""

from __future__ import annotations

import json
from typing import Any

from copilot.knowledge.chat_exports.common import from_epoch
from copilot.knowledge.errors import UnreadableFileError
from copilot.models import ChatMessage

_REQUIRED = {"msgid", "action", "from", "msgtime"}
_ENCRYPTED = {"encrypt_random_key", "encrypt_chat_msg"}
_MEDIA = {
    "image": "[图片]",
    "voice": "[语音]",
    "video": "[视频]",
    "emotion": "[表情]",
    "meeting_voice_call": "",
    "voip_doc_share": "",
}


def is_wecom_archive(records: list[Any]) -> bool:
    sample = [r for r in records[:20] if isinstance(r, dict)]
    if not sample:
        return False
    archived = sum(1 for r in sample if set(r) >= _REQUIRED or set(r) >= _ENCRYPTED)
    switches = sum(1 for r in sample if r.get("action") == "switch")
    return archived + switches >= 0.8 * len(sample) and archived > 0


def parse_wecom_archive(
    records: list[dict[str, Any]],
    *,
    community: str,
    source: str,
    warnings: list[str] | None = None,
) -> list[ChatMessage]:
    if any(set(r) >= _ENCRYPTED for r in records[:20]):
        raise UnreadableFileError(
            source,
            "holds encrypted 会话内容存档 records (encrypt_chat_msg); decrypt them first with "
            "the WeCom Finance SDK (DecryptData, with your archive private key) and ingest "
            "the decrypted JSON lines",
        )
    recalled = {
        str((r.get("revoke") or {}).get("pre_msgid"))
        for r in records
        if r.get("action") == "recall" or r.get("msgtype") == "revoke"
    }
    private = 0
    out: list[ChatMessage] = []
    for r in records:
        if r.get("action") != "send" or str(r.get("msgid")) in recalled:
            continue
        if not r.get("roomid"):
            private += 1
            continue
        text = _text(r)
        if not text:
            continue
        out.append(
            ChatMessage(
                id=str(r["msgid"]),
                community=community,
                channel=str(r["roomid"]),
                author=str(r["from"]),
                author_id=str(r["from"]),
                ts=from_epoch(r["msgtime"]),
                text=text,
                source=source,
            )
        )
    if private and warnings is not None:
        warnings.append(f"{source}: skipped {private} one-to-one message(s) (no roomid)")
    return out


def _text(r: dict[str, Any]) -> str:
    kind = str(r.get("msgtype") or "")
    # Most types carry their payload under their own name; markdown and news under "info".
    payload = r.get(kind) if isinstance(r.get(kind), dict) else r.get("info")
    body: dict[str, Any] = payload if isinstance(payload, dict) else {}
    if kind in _MEDIA:
        return _MEDIA[kind]  # a media-only post still counts as a message (calls do not)
    if kind in ("text", "markdown"):
        return str(body.get("content") or "").strip()
    if kind == "mixed":
        return "\n".join(filter(None, (_mixed_item(i) for i in body.get("item") or []))).strip()
    if kind == "file":
        return f"[文件] {body.get('filename', '')}".strip()
    if kind == "news":
        items = body.get("item") or []
        return "\n".join(f"{i.get('title', '')} {i.get('url', '')}".strip() for i in items)
    keys = ("title", "topic", "votetitle", "description", "content", "address", "wish")
    parts = [str(body[k]) for k in keys if body.get(k)]
    link = body.get("link_url") or body.get("url")
    return " ".join(parts + ([str(link)] if link else [])).strip()


def _mixed_item(item: dict[str, Any]) -> str:
    """A mixed message's part: its content is itself JSON text ('{"content":"…"}')."""
    if item.get("type") != "text":
        return ""
    try:
        return str(json.loads(item.get("content") or "{}").get("content") or "")
    except (json.JSONDecodeError, AttributeError):
        return str(item.get("content") or "")
