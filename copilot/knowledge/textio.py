"""Read files safely: size limit first, then decode text the way real exports are encoded."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any, Protocol

from copilot.knowledge.errors import (
    EmptyFileError,
    FileTooLargeError,
    UnreadableFileError,
)

MIB = 1024 * 1024
DEFAULT_MAX_BYTES = 50 * MIB

# Control characters that never occur in real text; a few of them mean "binary".
_CONTROL = {c for c in range(32) if chr(c) not in "\t\n\r\f\v"} | {0x7F}


class Readable(Protocol):
    """A pathlib.Path or a zipfile.Path (a Slack export can be read straight from its zip)."""

    @property
    def name(self) -> str: ...

    def read_bytes(self) -> bytes: ...


def human_size(n: float) -> str:
    if n < 1024:
        return f"{int(n)} bytes"
    if n < MIB:
        return f"{n / 1024:.1f} KB"
    return f"{n / MIB:.1f} MB"


def _limit(max_bytes: int) -> str:
    text = human_size(max_bytes)
    return text.replace(".0 ", " ")


def check_size(size: int, label: str, max_bytes: int) -> None:
    if size > max_bytes:
        raise FileTooLargeError(
            label,
            f"{human_size(size)} is over the {_limit(max_bytes)} limit per file "
            "(COPILOT_MAX_FILE_MB)",
        )


# An archive is unpacked in memory entry by entry: bound what one upload can make us do.
MAX_ARCHIVE_ENTRIES = 10_000
ARCHIVE_UNPACKED_FACTOR = 4  # total unpacked size: at most 4 × the per-file limit


def check_archive(path: Path, label: str, max_bytes: int) -> None:
    """Refuse a zip with too many entries or too much unpacked data, from its directory alone
    (before any entry is read): a small zip can name 20,000 files or unpack to gigabytes."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        raise UnreadableFileError(label, "not a valid .zip archive") from None
    if len(infos) > MAX_ARCHIVE_ENTRIES:
        raise FileTooLargeError(
            label,
            f"the archive holds {len(infos):,} entries; the limit is {MAX_ARCHIVE_ENTRIES:,} "
            "(unzip it and ingest the folder with `copilot ingest`)",
        )
    unpacked, limit = sum(i.file_size for i in infos), max_bytes * ARCHIVE_UNPACKED_FACTOR
    if unpacked > limit:
        raise FileTooLargeError(
            label,
            f"the archive unpacks to {human_size(unpacked)}; the limit is {human_size(limit)} "
            f"({ARCHIVE_UNPACKED_FACTOR} × COPILOT_MAX_FILE_MB)",
        )


def read_bytes(path: Path, label: str, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """File bytes, after checking it exists, is a file and is within the size limit."""
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise UnreadableFileError(label, "not a file")
        check_size(size, label, max_bytes)
        data = path.read_bytes()
    except FileNotFoundError:
        raise UnreadableFileError(label, "no such file or directory") from None
    except PermissionError:
        raise UnreadableFileError(label, "cannot read the file (permission denied)") from None
    except IsADirectoryError:
        raise UnreadableFileError(label, "is a folder, not a file") from None
    except OSError as exc:
        raise UnreadableFileError(label, f"cannot read the file ({exc.strerror or exc})") from None
    if not data:
        raise EmptyFileError(label, "the file is empty")
    return data


def decode_text(data: bytes, label: str) -> str:
    """Decode UTF-8/UTF-16 (with or without BOM) or GB18030 (Chinese Windows tools); refuse
    binary content."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = _try(data, "utf-16")
    elif data.startswith(b"\xef\xbb\xbf"):
        text = _try(data, "utf-8-sig")
    elif b"\x00" in data[:8192]:
        text = _try(data, _utf16_without_bom(data))
    else:
        text = _try(data, "utf-8") or _try(data, "gb18030")
    if text is None or _looks_binary(text):
        raise UnreadableFileError(label, "not a text file (looks binary)")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise EmptyFileError(label, "the file is empty")
    return text


def _utf16_without_bom(head: bytes) -> str | None:
    """'utf-16-le'/'-be' when the zero bytes fall mostly on one side of the 2-byte units, as
    the ASCII part of UTF-16 text puts them (dates, digits, spaces; a few CJK characters such
    as 一 U+4E00 have one on the other side); binary data has them anywhere."""
    head = head[:8192]
    even, odd = head[0::2].count(0), head[1::2].count(0)
    units = len(head) // 2
    if units and odd >= 0.1 * units and odd >= 8 * even:
        return "utf-16-le"
    if units and even >= 0.1 * units and even >= 8 * odd:
        return "utf-16-be"
    return None


def _try(data: bytes, encoding: str | None) -> str | None:
    if encoding is None:
        return None
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _looks_binary(text: str) -> bool:
    # GB18030 decodes many byte strings, so judge the result too: binary leaves control chars.
    sample = text[:8192]
    controls = sum(1 for ch in sample if ord(ch) in _CONTROL)
    return controls > max(2, len(sample) // 100)


def read_text(path: Readable, label: str, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    if isinstance(path, Path):
        return decode_text(read_bytes(path, label, max_bytes), label)
    if isinstance(path, zipfile.Path):  # the zip's directory knows the unpacked size
        check_size(path.root.getinfo(path.at).file_size, label, max_bytes)
    data = path.read_bytes()
    if not data:
        raise EmptyFileError(label, "the file is empty")
    return decode_text(data, label)


def parse_json(text: str, label: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise UnreadableFileError(
            label, f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    except RecursionError:  # [[[[... thousands deep: no real export nests like that
        raise UnreadableFileError(label, "JSON nested too deeply to read") from None


def read_json(path: Readable, label: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Any:
    return parse_json(read_text(path, label, max_bytes), label)
