"""Chat-export parsers, one module per format, all producing `ChatMessage`s.

Formats (the names used in `LoadedFile.format`): telegram, slack, discord, wechat,
generic-chat (JSONL / JSON list / CSV with a time, an author and a text per record).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from copilot.knowledge.chat_exports.discord import is_discord, parse_discord
from copilot.knowledge.chat_exports.generic import (
    is_chat_records,
    parse_chat_records,
    parse_jsonl_records,
)
from copilot.knowledge.chat_exports.slack import (
    is_slack_day,
    is_slack_export,
    open_slack_zip,
    parse_slack_export,
)
from copilot.knowledge.chat_exports.telegram import is_telegram, parse_telegram
from copilot.knowledge.chat_exports.wechat import looks_like_wechat, parse_wechat
from copilot.knowledge.records import read_csv
from copilot.knowledge.textio import DEFAULT_MAX_BYTES, read_json, read_text

CHAT_FORMATS = ("telegram", "slack", "discord", "wechat", "generic-chat")
CHAT_HINT = (
    "expected a Telegram result.json, a Slack export folder or .zip, a DiscordChatExporter "
    "JSON, a WeChat/WeCom .txt export, or JSONL/CSV records with ts, author and text"
)

__all__ = [
    "CHAT_FORMATS",
    "CHAT_HINT",
    "detect_chat_format",
    "is_slack_export",
    "parse_chat_records",
    "parse_discord",
    "parse_slack_export",
    "parse_telegram",
    "parse_wechat",
    "sniff_json",
]


def sniff_json(data: Any) -> str | None:
    """The chat format of already-parsed JSON, or None when it is other data."""
    if is_discord(data):
        return "discord"
    if is_telegram(data):
        return "telegram"
    if is_slack_day(data):
        return "slack"
    if isinstance(data, list) and is_chat_records(data):
        return "generic-chat"
    return None


def detect_chat_format(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> str | None:
    """Which chat export `path` is (one of CHAT_FORMATS), or None for anything else.

    Reads the file, so it raises the same `IngestError`s as loading it would.
    """
    label = str(path)
    if path.is_dir():
        return "slack" if is_slack_export(path) else None
    suffix = path.suffix.lower()
    if suffix == ".zip":
        with open_slack_zip(path, label) as root:
            return "slack" if root is not None else None
    if suffix == ".json":
        return sniff_json(read_json(path, label, max_bytes))
    if suffix not in (".jsonl", ".ndjson", ".csv", ".txt"):
        return None
    text = read_text(path, label, max_bytes)
    if suffix == ".txt":
        return "wechat" if looks_like_wechat(text) else None
    if suffix == ".csv":
        return "generic-chat" if is_chat_records([r for _, r in read_csv(text)[1]]) else None
    records, _ = parse_jsonl_records(text)
    return "generic-chat" if is_chat_records([r for _, r in records]) else None
