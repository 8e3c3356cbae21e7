"""Chat-export parsers, one module per tool, all producing `ChatMessage`s; and the detection
that says which tool wrote a file.

Formats (the names used in `LoadedFile.format`):

- telegram (Telegram Desktop result.json), slack (workspace export folder / .zip / day file),
  discord (DiscordChatExporter JSON);
- qq (QQ 消息管理器 .txt), qq-chat-exporter (QQChatExporter JSON/TXT, QQ NT);
- wechat (WeChat text: MemoTrace TXT, PC copy, other tools), chatlog (sjzar/chatlog text,
  JSON, CSV), memotrace (MemoTrace CSV/HTML), pywxdump (PyWxDump CSV/JSON);
- wecom-archive (WeCom 会话内容存档, decrypted JSON lines);
- generic-chat (JSONL / JSON list / CSV with a time, an author and a text per record).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from copilot.knowledge.chat_exports import chatlog, memotrace, pywxdump, qq, wecom_archive
from copilot.knowledge.chat_exports import qq_chat_exporter as qce
from copilot.knowledge.chat_exports.common import CHINA_TZ, NO_OPTIONS, ExportOptions, parse_tz
from copilot.knowledge.chat_exports.discord import is_discord, parse_discord
from copilot.knowledge.chat_exports.generic import (
    is_chat_records,
    parse_chat_records,
    parse_jsonl_records,
)
from copilot.knowledge.chat_exports.slack import (
    is_slack_day,
    is_slack_export,
    load_users,
    open_slack_zip,
    parse_slack_day,
    parse_slack_export,
)
from copilot.knowledge.chat_exports.telegram import is_telegram, parse_telegram
from copilot.knowledge.chat_exports.wechat import looks_like_wechat, parse_wechat
from copilot.knowledge.records import read_csv
from copilot.knowledge.textio import DEFAULT_MAX_BYTES, read_json, read_text
from copilot.models import ChatMessage

CHAT_FORMATS = (
    "telegram",
    "slack",
    "discord",
    "qq",
    "qq-chat-exporter",
    "wechat",
    "chatlog",
    "memotrace",
    "pywxdump",
    "wecom-archive",
    "generic-chat",
)
CHAT_HINT = (
    "expected a Telegram result.json, a Slack export folder or .zip, a DiscordChatExporter "
    "JSON, a QQ 消息管理器 .txt or QQChatExporter export, a WeChat export (MemoTrace/留痕 "
    "TXT/CSV/HTML, PyWxDump CSV/JSON, chatlog text/JSON/CSV), WeCom 会话内容存档 JSON lines, "
    "or JSONL/CSV records with ts, author and text"
)
TOOL_NAMES = {
    "telegram": "Telegram",
    "discord": "DiscordChatExporter",
    "slack": "Slack",
    "qq": "QQ 消息管理器",
    "qq-chat-exporter": "QQChatExporter",
    "wechat": "WeChat text",
    "chatlog": "chatlog",
    "memotrace": "MemoTrace",
    "pywxdump": "PyWxDump",
    "wecom-archive": "WeCom 会话内容存档",
    "generic-chat": "chat records",
}

__all__ = [
    "CHAT_FORMATS",
    "CHAT_HINT",
    "TOOL_NAMES",
    "ExportOptions",
    "detect_chat_format",
    "is_slack_export",
    "parse_chat_records",
    "parse_discord",
    "parse_json_export",
    "parse_records_export",
    "parse_slack_export",
    "parse_telegram",
    "parse_text_export",
    "parse_tz",
    "parse_wechat",
    "sniff_html",
    "sniff_json",
    "sniff_records",
    "sniff_text",
]


def sniff_text(text: str) -> str | None:
    """The chat format of a .txt file's text, or None when it is prose."""
    if qce.looks_like_qq_chat_exporter_text(text):
        return "qq-chat-exporter"
    if qq.looks_like_qq(text):
        return "qq"
    if chatlog.sniff_chatlog_text(text):
        return "chatlog"
    return "wechat" if looks_like_wechat(text) else None


def sniff_json(data: Any) -> str | None:
    """The chat format of already-parsed JSON, or None when it is other data."""
    if is_discord(data):
        return "discord"
    if is_telegram(data):
        return "telegram"
    if qce.is_qq_chat_exporter(data):
        return "qq-chat-exporter"
    if is_slack_day(data):
        return "slack"
    if chatlog.is_chatlog_json(data):
        return "chatlog"
    return sniff_records(data) if isinstance(data, list) else None


def sniff_records(records: list[Any], header: list[str] | None = None) -> str | None:
    """The chat format of a CSV (its `header`) or of JSON records, or None."""
    if header is not None and memotrace.is_memotrace_csv(header):
        return "memotrace"
    if header is not None and chatlog.is_chatlog_csv(header):
        return "chatlog"
    if pywxdump.is_pywxdump(records):
        return "pywxdump"
    if wecom_archive.is_wecom_archive(records):
        return "wecom-archive"
    return "generic-chat" if is_chat_records(records) else None


def sniff_html(text: str) -> str | None:
    return "memotrace" if memotrace.is_memotrace_html(text) else None


def parse_text_export(
    fmt: str,
    text: str,
    *,
    community: str,
    source: str,
    channel: str,
    options: ExportOptions = NO_OPTIONS,
    warnings: list[str] | None = None,
) -> list[ChatMessage]:
    """Messages of a text (or, for MemoTrace, HTML) export in format `fmt`."""
    common = {"community": community, "source": source, "channel": channel}
    if fmt == "qq":
        return qq.parse_qq(text, **common, options=options, warnings=warnings)
    if fmt == "qq-chat-exporter":
        return qce.parse_qq_chat_exporter_text(text, **common, options=options)
    if fmt == "chatlog":
        return chatlog.parse_chatlog_text(text, **common, options=options)
    if fmt == "memotrace":
        return memotrace.parse_memotrace_html(text, **common)
    return parse_wechat(text, **common, tz=options.zone(CHINA_TZ))


def parse_json_export(
    fmt: str,
    data: Any,
    *,
    path: Path,
    community: str,
    source: str,
    channel: str,
    options: ExportOptions = NO_OPTIONS,
    warnings: list[str] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> list[ChatMessage]:
    """Messages of a JSON export; `path` finds the files some tools write beside it."""
    if fmt == "telegram":
        return parse_telegram(
            data, community=community, source=source, options=options, warnings=warnings
        )
    if fmt == "discord":
        return parse_discord(data, community=community, source=source)
    if fmt == "qq-chat-exporter":
        return qce.parse_qq_chat_exporter(data, community=community, source=source, channel=channel)
    if fmt == "slack":  # one day file of an export: the channel is its folder
        users = load_users(path.parent.parent, source, max_bytes)
        folder = path.parent.name or channel
        return parse_slack_day(
            data, channel=folder, users=users, community=community, source=source
        )
    if fmt == "chatlog":
        return chatlog.parse_chatlog_json(data, community=community, source=source, channel=channel)
    numbered = list(enumerate(data, 1))
    return parse_records_export(
        fmt,
        numbered,
        path=path,
        community=community,
        source=source,
        channel=channel,
        options=options,
        warnings=warnings,
        max_bytes=max_bytes,
        unit="record",
    )


def parse_records_export(
    fmt: str,
    records: list[tuple[int, Any]],
    *,
    path: Path,
    community: str,
    source: str,
    channel: str,
    options: ExportOptions = NO_OPTIONS,
    warnings: list[str] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    bad: list[tuple[int, str]] | None = None,
    unit: str = "line",
) -> list[ChatMessage]:
    """Messages of numbered records (CSV rows, JSON lines or JSON list items)."""
    common = {"community": community, "source": source, "channel": channel}
    if fmt == "memotrace":
        return memotrace.parse_memotrace_csv(records, **common, options=options)
    if fmt == "chatlog":
        return chatlog.parse_chatlog_csv(records, **common, options=options)
    objects = [r for _, r in records]
    if fmt == "pywxdump":
        users = _pywxdump_users(path, source, max_bytes)
        return pywxdump.parse_pywxdump(
            objects, community=community, source=source, users=users, options=options
        )
    if fmt == "wecom-archive":
        return wecom_archive.parse_wecom_archive(
            objects, community=community, source=source, warnings=warnings
        )
    return parse_chat_records(records, **common, bad=bad, unit=unit, warnings=warnings)


def _pywxdump_users(path: Path, source: str, max_bytes: int) -> pywxdump.Users:
    beside = path.parent / "users.json"
    if not beside.is_file():
        return {}
    data = read_json(beside, f"{Path(source).parent / 'users.json'}", max_bytes)
    return (
        {str(k): v for k, v in data.items() if isinstance(v, dict)}
        if isinstance(data, dict)
        else {}
    )


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
    if suffix not in (".jsonl", ".ndjson", ".csv", ".txt", ".html", ".htm"):
        return None
    text = read_text(path, label, max_bytes)
    if suffix == ".txt":
        return sniff_text(text)
    if suffix in (".html", ".htm"):
        return sniff_html(text)
    if suffix == ".csv":
        header, rows = read_csv(text, label)
        return sniff_records([r for _, r in rows], header)
    records, _ = parse_jsonl_records(text)
    return sniff_records([r for _, r in records])
