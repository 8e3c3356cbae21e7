"""Split documents into heading-aware, token-sized chunks; group chat into conversation windows."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import timedelta

from copilot.models import ChatMessage
from copilot.text import split_sentences
from copilot.tokens import count_tokens, split_tokens, truncate_tokens

HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
CHAT_GAP = timedelta(minutes=30)
HEADING_TOKENS = 64  # a heading path is repeated in every chunk of its section: keep it short


@dataclass(frozen=True)
class Piece:
    """A chunk before it is keyed: its heading path, its text and display metadata."""

    heading: str
    text: str
    meta: dict[str, str | int | float | bool] = field(default_factory=dict)

    @property
    def indexed_text(self) -> str:
        """What embeddings and BM25 see: the heading gives a passage its context."""
        return f"{self.heading}\n{self.text}" if self.heading else self.text


def chunk_id(community: str, source: str, piece: Piece) -> str:
    """Content hash: unchanged content keeps its id, so re-ingesting adds nothing."""
    digest = hashlib.sha256("\x00".join((community, source, piece.heading, piece.text)).encode())
    return digest.hexdigest()[:32]


def split_markdown(text: str, *, max_tokens: int, title: str = "") -> list[Piece]:
    """Sections under their heading path, each packed into chunks of at most `max_tokens`."""
    pieces: list[Piece] = []
    stack: list[tuple[int, str]] = []
    body: list[str] = []

    def flush() -> None:
        section = "\n".join(body).strip()
        body.clear()
        if section:
            path = truncate_tokens(" > ".join(h for _, h in stack) or title, HEADING_TOKENS)
            pieces.extend(Piece(path, part) for part in _pack(section, max_tokens))

    for line in text.splitlines():
        match = HEADING.match(line)
        if match:
            flush()
            level = len(match.group(1))
            stack[:] = [(lvl, h) for lvl, h in stack if lvl < level]
            stack.append((level, match.group(2)))
        else:
            body.append(line)
    flush()
    return _unique(pieces)


def _pack(section: str, max_tokens: int) -> list[str]:
    """Greedy packing of paragraphs, then sentences, so no chunk splits a sentence."""
    if count_tokens(section) <= max_tokens:
        return [section]
    units: list[str] = []
    for paragraph in re.split(r"\n\s*\n", section):
        if count_tokens(paragraph) <= max_tokens:
            units.append(paragraph.strip())
        else:
            units.extend(split_sentences(paragraph))
    # Hard bound: a unit still over budget (no sentence punctuation) is cut by tokens.
    units = [part for unit in units for part in _bounded(unit, max_tokens)]
    parts: list[str] = []
    current: list[str] = []
    size = 0
    for unit in filter(None, units):
        n = count_tokens(unit)
        if current and size + n > max_tokens:
            parts.append(_join(current))
            current, size = [], 0
        current.append(unit)
        size += n
    if current:
        parts.append(_join(current))
    return parts


def _bounded(text: str, max_tokens: int) -> list[str]:
    return [text] if count_tokens(text) <= max_tokens else split_tokens(text, max_tokens)


def _join(units: list[str]) -> str:
    # Chinese sentences join without spaces; paragraphs and English sentences with one.
    out = units[0]
    for unit in units[1:]:
        sep = "" if re.search(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]$", out) else " "
        out += ("\n" if "\n" in unit else sep) + unit
    return out


def chat_windows(messages: list[ChatMessage], *, max_tokens: int) -> list[Piece]:
    """Conversation windows: consecutive messages of one channel, cut at 30-minute gaps."""
    pieces: list[Piece] = []
    ordered = sorted(
        (m for m in messages if not m.is_service and m.text.strip()),
        key=lambda m: (m.channel, m.ts, m.id),
    )
    window: list[ChatMessage] = []
    size = 0
    for message in ordered:
        line = _chat_line(message)
        n = count_tokens(line)
        if window and (
            message.channel != window[-1].channel
            or message.ts - window[-1].ts > CHAT_GAP
            or size + n > max_tokens
        ):
            pieces.append(_window_piece(window))
            window, size = [], 0
        window.append(message)
        size += n
    if window:
        pieces.append(_window_piece(window))
    # Hard bound: one message longer than the budget becomes several pieces of its window.
    bounded = [
        Piece(p.heading, part, p.meta) for p in pieces for part in _bounded(p.text, max_tokens)
    ]
    return _unique(bounded)


def _chat_line(message: ChatMessage) -> str:
    return f"[{message.ts:%m-%d %H:%M}] {message.author}: {message.text.strip()}"


def _window_piece(window: list[ChatMessage]) -> Piece:
    first, last = window[0], window[-1]
    heading = f"#{first.channel} {first.ts:%Y-%m-%d %H:%M}"
    meta: dict[str, str | int | float | bool] = {
        "channel": first.channel,
        "start": first.ts.isoformat(),
        "end": last.ts.isoformat(),
        "first_message": first.id,
        "messages": len(window),
    }
    return Piece(heading, "\n".join(_chat_line(m) for m in window), meta)


def _unique(pieces: list[Piece]) -> list[Piece]:
    seen: set[tuple[str, str]] = set()
    out = []
    for piece in pieces:
        if (piece.heading, piece.text) not in seen:
            seen.add((piece.heading, piece.text))
            out.append(piece)
    return out
