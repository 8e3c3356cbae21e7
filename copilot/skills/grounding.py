"""Grounding rules every skill shares: what passages the model sees, how it cites them, and
how a citation is built, so a citation always points at a chunk retrieved for this request."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from copilot.retrieval.hybrid import RetrievedChunk
from copilot.skills.results import Citation
from copilot.tokens import count_tokens, truncate_tokens

# A citation marker as models write it: "[2]" points at the second passage sent.
MARKER = re.compile(r"\[(\d{1,2})\]")
_SPACED_MARKER = re.compile(r"\s?" + MARKER.pattern)  # for removal: no space left before '.'
PASSAGE_OVERHEAD_TOKENS = 12  # "[n] (source)" and the blank line around a passage
SNIPPET_CHARS = 300


def pack(chunks: Sequence[RetrievedChunk], budget: int) -> list[RetrievedChunk]:
    """Best passages first, as many as fit in the token budget (the first is trimmed to fit)."""
    packed: list[RetrievedChunk] = []
    used = 0
    for chunk in chunks:
        n = count_tokens(chunk.text) + PASSAGE_OVERHEAD_TOKENS
        if used + n > budget:
            if not packed:
                text = truncate_tokens(chunk.text, budget - PASSAGE_OVERHEAD_TOKENS)
                packed.append(replace(chunk, text=text))
            break
        packed.append(chunk)
        used += n
    return packed


def numbered_passages(passages: Sequence[RetrievedChunk]) -> str:
    """The passages as the prompt quotes them: `[n] (source)` then the text."""
    return "\n\n".join(f"[{i}] ({c.source})\n{c.text}" for i, c in enumerate(passages, 1))


def resolve_markers(text: str, n_passages: int) -> tuple[str, list[int]]:
    """Keep [n] markers that point at a passage we sent, renumbered in order of first use;
    drop the rest (never a dead citation). Returns the text and the passages cited."""
    cited: list[int] = []

    def keep(match: re.Match[str]) -> str:
        n = int(match.group(1))
        if 1 <= n <= n_passages:
            if n not in cited:
                cited.append(n)
            return f"[{cited.index(n) + 1}]"
        return ""

    return MARKER.sub(keep, text), cited


def strip_markers(text: str) -> str:
    """The text without any citation markers (and the space before each)."""
    return _SPACED_MARKER.sub("", text).strip()


def marker_numbers(text: str) -> list[int]:
    """The passage numbers of the markers in `text`, in order."""
    return [int(n) for n in MARKER.findall(text)]


def citation(chunk: RetrievedChunk, snippet: str) -> Citation:
    return Citation(
        source=chunk.source,
        chunk_id=chunk.chunk_id,
        score=round(chunk.score, 6),
        snippet=snippet[:SNIPPET_CHARS],
    )


def cite_quotes(
    chunks: Sequence[RetrievedChunk], quotes: Sequence[tuple[str, int]]
) -> tuple[list[int], list[Citation]]:
    """Citations for quoted sentences (text, chunk index), numbered by first use; each cites
    its chunk with the sentences taken from it. Returns the chunk order and the citations."""
    order = list(dict.fromkeys(ci for _, ci in quotes))
    citations = [
        citation(chunks[ci], " ".join(text for text, c in quotes if c == ci)) for ci in order
    ]
    return order, citations
