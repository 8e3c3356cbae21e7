"""A chunk before it is stored: heading path, text, answer units, display metadata."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from copilot.retrieval.units import Unit


@dataclass(frozen=True)
class Piece:
    """A chunk before it is keyed: its heading path, its text, its answer units and metadata."""

    heading: str
    text: str
    meta: dict[str, str | int | float | bool] = field(default_factory=dict)
    units: tuple[Unit, ...] = ()

    @property
    def indexed_text(self) -> str:
        """What embeddings and BM25 see: the heading gives a passage its context."""
        return f"{self.heading}\n{self.text}" if self.heading else self.text


def chunk_id(community: str, source: str, piece: Piece) -> str:
    """Content hash: unchanged content keeps its id, so re-ingesting adds nothing. The units are
    part of it, so a better reading of the same text replaces the old chunk on re-ingest."""
    units = "\x02".join(
        f"{u.kind}\x03{u.text}\x03{u.key}\x03{u.group}" + ("\x03contents" if u.contents else "")
        for u in piece.units
    )
    parts = (community, source, piece.heading, piece.text, units)
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:32]


def unique(pieces: list[Piece]) -> list[Piece]:
    """Pieces without exact repeats (same heading and text), first occurrence kept."""
    seen: set[tuple[str, str]] = set()
    out = []
    for piece in pieces:
        if (piece.heading, piece.text) not in seen:
            seen.add((piece.heading, piece.text))
            out.append(piece)
    return out
