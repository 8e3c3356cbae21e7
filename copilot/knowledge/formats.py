"""One loader per file format; `load()` picks it. Chat detection happens here, per format."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar

import yaml

from copilot.knowledge.chat_exports import (
    CHAT_FORMATS,
    CHAT_HINT,
    TOOL_NAMES,
    ExportOptions,
    parse_json_export,
    parse_records_export,
    parse_text_export,
    sniff_html,
    sniff_json,
    sniff_records,
    sniff_text,
)
from copilot.knowledge.chat_exports.common import NO_OPTIONS
from copilot.knowledge.chat_exports.generic import has_chat_columns, parse_jsonl_records, report_bad
from copilot.knowledge.documents import Document, LoadedFile
from copilot.knowledge.errors import IngestError, NotAChatExportError, UnreadableFileError
from copilot.knowledge.html_text import html_to_text, looks_like_telegram_html
from copilot.knowledge.records import read_csv, render_json, render_records
from copilot.knowledge.textio import parse_json, read_bytes, read_text
from copilot.models import ChatMessage

__all__ = ["CHAT_FORMATS", "guarded", "load"]

Kind = Literal["playbook", "chat"] | None
T = TypeVar("T")
_FIRST_HEADING = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.MULTILINE)
_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n(?:---|\.\.\.)\n", re.DOTALL)


def load(
    fmt: str,
    path: Path,
    label: str,
    *,
    community: str,
    kind: Kind,
    max_bytes: int,
    options: ExportOptions = NO_OPTIONS,
) -> LoadedFile:
    if fmt == "pdf":
        _no_chat(label, kind)
        return _doc(label, "pdf", *_pdf(read_bytes(path, label, max_bytes), label))
    text = read_text(path, label, max_bytes)
    source = _Source(path, label, Path(label).stem, community, options, max_bytes)
    if fmt == "markdown":
        _no_chat(label, kind)
        return _doc(label, fmt, *_markdown(text, source.stem))
    if fmt == "html":
        return _html(text, source, kind)
    if fmt == "text":
        chat = sniff_text(text) if kind != "playbook" else None
        if chat is None and kind != "chat":
            return _doc(label, fmt, source.stem, text)
        loaded = _chat(
            source,
            chat or "wechat",
            lambda w: parse_text_export(chat or "wechat", text, **source.args(w)),
        )
        if not loaded.messages and chat is None:  # insisted on, but no layout we know
            raise NotAChatExportError(label, f"not a recognised chat export ({CHAT_HINT})")
        return loaded
    if fmt == "json":
        return _json(parse_json(text, label), source, kind)
    if fmt == "jsonl":
        return _jsonl(text, source, kind)
    return _csv(text, source, kind)


@dataclass(frozen=True)
class _Source:
    """Where a file came from and how to read it: what every chat parser needs."""

    path: Path
    label: str
    stem: str
    community: str
    options: ExportOptions
    max_bytes: int

    def args(self, warnings: list[str]) -> dict[str, Any]:
        return {
            "community": self.community,
            "source": self.label,
            "channel": self.stem,
            "options": self.options,
            "warnings": warnings,
        }

    def file_args(self, warnings: list[str]) -> dict[str, Any]:
        return {**self.args(warnings), "path": self.path, "max_bytes": self.max_bytes}


def _chat(source: _Source, fmt: str, parse: Callable[[list[str]], list[ChatMessage]]) -> LoadedFile:
    """Run a chat parser; a file that turns out to hold no messages is not a chat export."""
    warnings: list[str] = []
    messages = guarded(source.label, TOOL_NAMES[fmt], lambda: parse(warnings))
    return LoadedFile(source=source.label, format=fmt, messages=messages, warnings=warnings)


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


def _html(text: str, source: _Source, kind: Kind) -> LoadedFile:
    chat = sniff_html(text) if kind != "playbook" else None
    if chat is not None:
        return _chat(source, chat, lambda w: parse_text_export(chat, text, **source.args(w)))
    if looks_like_telegram_html(text) and kind != "playbook":
        raise NotAChatExportError(
            source.label,
            "is a Telegram HTML export; export the chat again "
            "with format 'Machine-readable JSON' and ingest result.json",
        )
    _no_chat(source.label, kind)
    title, body = html_to_text(text)
    return _doc(source.label, "html", title or source.stem, body)


def _json(data: Any, source: _Source, kind: Kind) -> LoadedFile:
    fmt = sniff_json(data) if kind != "playbook" else None
    if fmt is None:
        _no_chat(source.label, kind)
        return _doc(source.label, "json", source.stem, render_json(data))
    return _chat(source, fmt, lambda w: parse_json_export(fmt, data, **source.file_args(w)))


def _jsonl(text: str, source: _Source, kind: Kind) -> LoadedFile:
    records, bad = parse_jsonl_records(text)
    objects = [r for _, r in records]
    fmt = sniff_records(objects) if kind != "playbook" else None
    if (
        fmt is None
        and kind == "chat"
        and any(isinstance(r, dict) and has_chat_columns(r) for r in objects)
    ):
        fmt = "generic-chat"  # insisted on, and the records do carry time, author and text
    if fmt is not None:
        return _chat(
            source,
            fmt,
            lambda w: parse_records_export(fmt, records, bad=bad, **source.file_args(w)),
        )
    _no_chat(source.label, kind)
    warnings: list[str] = []
    report_bad(bad, len(records) + len(bad), source.label, "line", warnings)
    loaded = _doc(
        source.label,
        "jsonl",
        source.stem,
        render_records([r if isinstance(r, dict) else {"value": r} for r in objects]),
    )
    return loaded.model_copy(update={"warnings": warnings})


def _csv(text: str, source: _Source, kind: Kind) -> LoadedFile:
    header, rows = read_csv(text, source.label)
    fmt = sniff_records([r for _, r in rows], header) if kind != "playbook" else None
    if fmt is None and kind == "chat" and has_chat_columns(header):
        fmt = "generic-chat"
    if fmt is not None:
        return _chat(
            source,
            fmt,
            lambda w: parse_records_export(fmt, rows, unit="row", **source.file_args(w)),
        )
    _no_chat(source.label, kind)
    return _doc(source.label, "csv", source.stem, render_records([r for _, r in rows]))
