"""File → content: read one ingest unit (a file, or a Slack export folder) into documents or
chat messages. Chunking, redaction and indexing happen later, elsewhere.

Typical use (what `copilot ingest` does):

    for unit in discover(paths):            # one progress step per unit
        try:
            loaded = load_unit(unit, community="c1")
        except IngestError as error:        # str(error) names the file and says what is wrong
            report(error)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from copilot.knowledge import formats
from copilot.knowledge.chat_exports import ExportOptions, is_slack_export, parse_slack_export
from copilot.knowledge.chat_exports.common import NO_OPTIONS, keep_file_order
from copilot.knowledge.chat_exports.slack import Tree, open_slack_zip
from copilot.knowledge.documents import Document, LoadedFile
from copilot.knowledge.errors import (
    EmptyFileError,
    FileTooLargeError,
    IngestError,
    NotAChatExportError,
    UnreadableFileError,
    UnsupportedFormatError,
)
from copilot.knowledge.textio import DEFAULT_MAX_BYTES, check_archive
from copilot.text import is_media_only

__all__ = [
    "DEFAULT_MAX_BYTES",
    "SUFFIXES",
    "Document",
    "EmptyFileError",
    "ExportOptions",
    "FileTooLargeError",
    "IngestError",
    "IngestUnit",
    "LoadedFile",
    "NotAChatExportError",
    "SlackExportDir",
    "UnreadableFileError",
    "UnsupportedFormatError",
    "discover",
    "iter_files",
    "load_file",
    "load_path",
    "load_unit",
]

KindArg = Literal["playbook", "chat"] | None

SUFFIXES = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "text",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".zip": "zip",
}
SUPPORTED = ".md, .markdown, .txt, .html, .htm, .pdf, .json, .jsonl, .csv, Slack export .zip"
# Folders that hold tool or OS clutter, never knowledge.
_SKIP_DIRS = {"__MACOSX", "__pycache__", "node_modules"}
# A folder's README describes the folder for its editors; it is not community knowledge.
_SKIP_FILES = frozenset({"readme.md", "readme.txt", "readme"})
_PYWXDUMP_PAGE = re.compile(r"_\d+_\d+\.(?:csv|json)$")
# Sub-folders of a Telegram Desktop export: attachments members shared, not our playbooks.
_TELEGRAM_MEDIA = {
    "photos",
    "files",
    "video_files",
    "voice_messages",
    "stickers",
    "round_video_messages",
    "chats",
    "images",
    "css",
    "js",
}


@dataclass(frozen=True)
class SlackExportDir:
    """A Slack export folder: many JSON files that only make sense together."""

    path: Path

    def __str__(self) -> str:
        return str(self.path)


IngestUnit = Path | SlackExportDir


def discover(paths: Iterable[Path], *, skipped: list[Path] | None = None) -> list[IngestUnit]:
    """Expand files and folders into ingest units, in a stable order.

    Paths given explicitly are always kept (loading them reports any problem). Inside folders,
    hidden entries are skipped, and so are files of unsupported types (appended to `skipped`
    when given). A Slack export folder is one unit; a Telegram export folder yields only its
    result.json, not the photos and files members shared.
    """
    units: list[IngestUnit] = []
    for path in paths:
        units += _walk(path, skipped) if path.is_dir() else [path]
    return units


iter_files = discover


def _walk(folder: Path, skipped: list[Path] | None) -> list[IngestUnit]:
    if is_slack_export(folder):
        return [SlackExportDir(folder)]
    result = folder / "result.json"
    if result.is_file() and any((folder / d).is_dir() for d in _TELEGRAM_MEDIA):
        return [result]
    units: list[IngestUnit] = []
    entries = sorted(folder.iterdir(), key=lambda p: p.name)
    # PyWxDump writes users.json (contacts: nicknames, avatars, phone numbers) beside its
    # pages of messages; it is read with them, never indexed as knowledge.
    contacts = any(_PYWXDUMP_PAGE.search(e.name) for e in entries)
    for entry in entries:
        if entry.name.startswith(".") or entry.name in _SKIP_DIRS:
            continue
        if entry.name.lower() in _SKIP_FILES or (contacts and entry.name == "users.json"):
            continue
        if entry.is_dir():
            if not entry.is_symlink():  # a linked folder can loop back on itself
                units += _walk(entry, skipped)
        elif entry.suffix.lower() in SUFFIXES:
            units.append(entry)
        elif skipped is not None:
            skipped.append(entry)
    return units


def load_unit(
    unit: IngestUnit,
    *,
    community: str,
    kind: KindArg = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    options: ExportOptions = NO_OPTIONS,
) -> LoadedFile:
    path = unit.path if isinstance(unit, SlackExportDir) else unit
    return load_file(path, community=community, kind=kind, max_bytes=max_bytes, options=options)


def load_path(
    path: Path,
    *,
    community: str,
    kind: KindArg = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    options: ExportOptions = NO_OPTIONS,
) -> Iterator[LoadedFile]:
    """Every unit under `path`. Raises on the first bad file: to report and go on, loop over
    `discover()` and call `load_unit()` yourself."""
    for unit in discover([path]):
        yield load_unit(unit, community=community, kind=kind, max_bytes=max_bytes, options=options)


def load_file(
    path: Path,
    *,
    community: str,
    kind: KindArg = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    source: str | None = None,
    options: ExportOptions = NO_OPTIONS,
) -> LoadedFile:
    """Load one file (or a Slack export folder / .zip).

    `kind="chat"` insists on a chat export, `kind="playbook"` on documents; None detects.
    `source` names the content in results and errors (say, an upload's original file name
    while `path` is a temporary file); its extension then decides the format. `options`
    says what an export cannot (the zone of local times, a missing year).
    """
    label = source or str(path)
    if path.is_dir():
        return _load_folder(path, label, community, kind, max_bytes)
    suffix = Path(label).suffix.lower()
    fmt = SUFFIXES.get(suffix)
    if fmt is None:
        what = f"unsupported format '{suffix}'"
        if not suffix:
            what = "the file has no extension, so its format is unknown"
        raise UnsupportedFormatError(label, f"{what} (supported: {SUPPORTED})")
    if fmt == "zip":
        return _load_zip(path, label, community, kind, max_bytes)
    loaded = formats.load(
        fmt, path, label, community=community, kind=kind, max_bytes=max_bytes, options=options
    )
    return _checked(loaded)


def _load_folder(
    path: Path, label: str, community: str, kind: KindArg, max_bytes: int
) -> LoadedFile:
    if not is_slack_export(path):
        raise UnsupportedFormatError(
            label, "is a folder; pass it to `copilot ingest` (or discover()) to load its files"
        )
    if kind == "playbook":
        raise UnsupportedFormatError(label, "is a Slack export (chat history), not a playbook")
    return _load_slack(path, label, community, max_bytes)


def _load_zip(path: Path, label: str, community: str, kind: KindArg, max_bytes: int) -> LoadedFile:
    check_archive(path, label, max_bytes)
    with open_slack_zip(path, label) as root:
        if root is None or kind == "playbook":
            raise UnsupportedFormatError(
                label,
                "a .zip is read only when it is a Slack export; unzip it and ingest "
                "the folder instead",
            )
        return _load_slack(root, label, community, max_bytes)


def _load_slack(root: Tree, label: str, community: str, max_bytes: int) -> LoadedFile:
    warnings: list[str] = []
    messages = formats.guarded(
        label,
        "Slack",
        lambda: parse_slack_export(
            root, community=community, source=label, max_bytes=max_bytes, warnings=warnings
        ),
    )
    return _checked(LoadedFile(source=label, format="slack", messages=messages, warnings=warnings))


def _checked(loaded: LoadedFile) -> LoadedFile:
    """A unit that yields nothing is an error the user should see, not a silent no-op."""
    if loaded.format in formats.CHAT_FORMATS:
        if all(is_media_only(m.text) for m in loaded.messages):  # pictures only: nothing to read
            raise EmptyFileError(loaded.source, "no chat messages with text found")
        loaded = loaded.model_copy(update={"messages": keep_file_order(loaded.messages)})
    elif not any(d.text.strip() for d in loaded.documents):
        hint = " (a scanned PDF? run OCR on it first)" if loaded.format == "pdf" else ""
        raise EmptyFileError(loaded.source, f"no text found{hint}")
    return loaded
