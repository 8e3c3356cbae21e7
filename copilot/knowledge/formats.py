"""One loader per file format; `load()` picks it. Chat detection happens here, per format."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal, TypeVar

import yaml

from copilot.knowledge.chat_exports import CHAT_FORMATS, CHAT_HINT, sniff_json
from copilot.knowledge.chat_exports.discord import parse_discord
from copilot.knowledge.chat_exports.generic import (
    has_chat_columns,
    is_chat_records,
    parse_chat_records,
    parse_jsonl_records,
    report_bad,
)
from copilot.knowledge.chat_exports.slack import load_users, parse_slack_day
from copilot.knowledge.chat_exports.telegram import parse_telegram
from copilot.knowledge.chat_exports.wechat import looks_like_wechat, parse_wechat
from copilot.knowledge.documents import Document, LoadedFile
from copilot.knowledge.errors import IngestError, NotAChatExportError, UnreadableFileError
from copilot.knowledge.html_text import html_to_text, looks_like_telegram_html
from copilot.knowledge.records import read_csv, render_json, render_records
from copilot.knowledge.textio import parse_json, read_bytes, read_text

__all__ = ["CHAT_FORMATS", "guarded", "load"]

Kind = Literal["playbook", "chat"] | None
T = TypeVar("T")
_FIRST_HEADING = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.MULTILINE)
_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n(?:---|\.\.\.)\n", re.DOTALL)


def load(
    fmt: str, path: Path, label: str, *, community: str, kind: Kind, max_bytes: int
) -> LoadedFile:
    if fmt == "pdf":
        _no_chat(label, kind)
        return _doc(label, "pdf", *_pdf(read_bytes(path, label, max_bytes), label))
    text = read_text(path, label, max_bytes)
    stem = Path(label).stem
    if fmt == "markdown":
        _no_chat(label, kind)
        return _doc(label, fmt, *_markdown(text, stem))
    if fmt == "html":
        if looks_like_telegram_html(text) and kind != "playbook":
            raise NotAChatExportError(
                label,
                "is a Telegram HTML export; export the chat again "
                "with format 'Machine-readable JSON' and ingest result.json",
            )
        _no_chat(label, kind)
        title, body = html_to_text(text)
        return _doc(label, fmt, title or stem, body)
    if fmt == "text":
        if kind == "chat" or (kind is None and looks_like_wechat(text)):
            messages = parse_wechat(text, community=community, source=label, channel=stem)
            if not messages and kind == "chat":
                raise NotAChatExportError(label, f"not a recognised chat export ({CHAT_HINT})")
            return LoadedFile(source=label, format="wechat", messages=messages)
        return _doc(label, fmt, stem, text)
    if fmt == "json":
        return _json(parse_json(text, label), path, label, stem, community, kind, max_bytes)
    if fmt == "jsonl":
        return _jsonl(text, label, stem, community, kind)
    return _csv(text, label, stem, community, kind)


def guarded(label: str, name: str, parse: Callable[[], T]) -> T:
    """Turn a parser's KeyError/TypeError on a malformed export into a message for a person."""
    try:
        return parse()
    except IngestError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        detail = f"missing field {exc}" if isinstance(exc, KeyError) else str(exc).split("\n")[0]
        raise UnreadableFileError(
            label, f"looks like a {name} export but could not be read ({detail})"
        ) from None


def _no_chat(label: str, kind: Kind) -> None:
    if kind == "chat":
        raise NotAChatExportError(label, f"not a recognised chat export ({CHAT_HINT})")


def _doc(label: str, fmt: str, title: str, text: str) -> LoadedFile:
    return LoadedFile(
        source=label, format=fmt, documents=[Document(source=label, title=title, text=text.strip())]
    )


def _markdown(text: str, stem: str) -> tuple[str, str]:
    """(title, body): front-matter title, else the first '# ' heading, else the file name."""
    title = ""
    if match := _FRONT_MATTER.match(text):
        try:
            meta = yaml.safe_load(match.group(1))
        except yaml.YAMLError:
            meta = None
        if isinstance(meta, dict):  # only strip what really is front matter
            title, text = str(meta.get("title") or ""), text[match.end() :]
    if not title and (heading := _FIRST_HEADING.search(text)):
        title = heading.group(1)
    return title or stem, text


def _pdf(data: bytes, label: str) -> tuple[str, str]:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableFileError(label, "the PDF is password-protected")
        pages = [page.extract_text() or "" for page in reader.pages]
        title = str((reader.metadata.title if reader.metadata else None) or "").strip()
    except IngestError:
        raise
    except Exception:  # pypdf raises many types on damaged input; all mean the same to a user
        raise UnreadableFileError(
            label, "not a readable PDF (damaged, or not really a PDF)"
        ) from None
    text = "\n\n".join(p.replace("\x00", "").strip() for p in pages if p.strip())
    return title or Path(label).stem, text


def _json(
    data: Any, path: Path, label: str, stem: str, community: str, kind: Kind, max_bytes: int
) -> LoadedFile:
    fmt = sniff_json(data) if kind != "playbook" else None
    if fmt is None:
        if kind == "chat":
            raise NotAChatExportError(label, f"not a recognised chat export ({CHAT_HINT})")
        return _doc(label, "json", stem, render_json(data))
    warnings: list[str] = []
    names = {
        "telegram": "Telegram",
        "discord": "DiscordChatExporter",
        "slack": "Slack",
        "generic-chat": "chat records",
    }

    def parse() -> list[Any]:
        if fmt == "telegram":
            return parse_telegram(data, community=community, source=label, warnings=warnings)
        if fmt == "discord":
            return parse_discord(data, community=community, source=label)
        if fmt == "slack":  # one day file of an export: channel is its folder
            users = load_users(path.parent.parent, label, max_bytes)
            return parse_slack_day(
                data,
                channel=path.parent.name or stem,
                users=users,
                community=community,
                source=label,
            )
        return parse_chat_records(
            list(enumerate(data, 1)),
            community=community,
            source=label,
            channel=stem,
            unit="record",
            warnings=warnings,
        )

    messages = guarded(label, names[fmt], parse)
    return LoadedFile(source=label, format=fmt, messages=messages, warnings=warnings)


def _jsonl(text: str, label: str, stem: str, community: str, kind: Kind) -> LoadedFile:
    records, bad = parse_jsonl_records(text)
    warnings: list[str] = []
    objects = [r for _, r in records]
    forced = kind == "chat" and any(isinstance(r, dict) and has_chat_columns(r) for r in objects)
    if forced or (kind is None and is_chat_records(objects)):
        messages = parse_chat_records(
            records, community=community, source=label, channel=stem, bad=bad, warnings=warnings
        )
        return LoadedFile(source=label, format="generic-chat", messages=messages, warnings=warnings)
    if kind == "chat":
        raise NotAChatExportError(label, f"not a recognised chat export ({CHAT_HINT})")
    report_bad(bad, len(records) + len(bad), label, "line", warnings)
    loaded = _doc(
        label,
        "jsonl",
        stem,
        render_records([r if isinstance(r, dict) else {"value": r} for r in objects]),
    )
    return loaded.model_copy(update={"warnings": warnings})


def _csv(text: str, label: str, stem: str, community: str, kind: Kind) -> LoadedFile:
    header, rows = read_csv(text)
    forced = kind == "chat" and has_chat_columns(header)
    if forced or (kind is None and is_chat_records([r for _, r in rows])):
        warnings: list[str] = []
        messages = parse_chat_records(
            rows, community=community, source=label, channel=stem, unit="row", warnings=warnings
        )
        return LoadedFile(source=label, format="generic-chat", messages=messages, warnings=warnings)
    if kind == "chat":
        raise NotAChatExportError(label, f"not a recognised chat export ({CHAT_HINT})")
    return _doc(label, "csv", stem, render_records([r for _, r in rows]))
