"""Ingestion errors. Every message starts with the file's name so a person can act on it."""

from __future__ import annotations

from copilot.errors import InputError


class IngestError(InputError):
    """A file or folder that cannot be ingested; `str(error)` is shown to the user as is."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class UnsupportedFormatError(IngestError):
    """The extension or content is not a format we read."""


class NotAChatExportError(UnsupportedFormatError):
    """`kind="chat"` was asked for, but the file is not a chat export we recognise."""


class UnreadableFileError(IngestError):
    """Missing, unreadable, binary, or broken (invalid JSON, damaged PDF, ...)."""


class EmptyFileError(IngestError):
    """The file holds no text, records or messages."""


class FileTooLargeError(IngestError):
    """Over the per-file size limit (COPILOT_MAX_FILE_MB)."""
