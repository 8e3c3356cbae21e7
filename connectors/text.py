"""Text helpers shared by connectors: length measures, splitting, command parsing."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

Measure = Callable[[str], int]


def utf16_len(text: str) -> int:
    """Telegram entity offsets and Discord limits count UTF-16 code units."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def utf8_len(text: str) -> int:
    """WeCom and DingTalk limits are in UTF-8 bytes."""
    return len(text.encode("utf-8", "surrogatepass"))


# Preferred cut points, best first. Each cut falls *after* the separator.
_SEPARATORS = (
    re.compile(r"\n\s*\n"),  # paragraph
    re.compile(r"\n"),  # line
    re.compile(r"[。！？!?；;]|\.(?=\s)"),  # sentence (CJK needs no following space)
    re.compile(r"[，、,:：]"),  # clause
    re.compile(r"\s"),  # word
)


def _fits(text: str, n: int, limit: int, measure: Measure) -> bool:
    return measure(text[:n]) <= limit


def _max_prefix(text: str, limit: int, measure: Measure) -> int:
    """Longest prefix (in code points) whose measure fits the limit; measure is monotonic."""
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if _fits(text, mid, limit, measure):
            lo = mid
        else:
            hi = mid - 1
    return lo


def _is_glue(ch: str) -> bool:
    """Characters that must stay with the previous one (combining marks, ZWJ, selectors)."""
    return unicodedata.combining(ch) > 0 or ch in "\u200d\ufe0e\ufe0f" or "\udc00" <= ch <= "\udfff"


def _cut_point(text: str, limit: int, measure: Measure) -> int:
    n = max(1, _max_prefix(text, limit, measure))
    window = text[:n]
    for sep in _SEPARATORS:
        ends = [m.end() for m in sep.finditer(window)]
        # Ignore a separator in the first third: a tiny chunk is worse than a plain cut.
        if ends and ends[-1] > n // 3:
            return ends[-1]
    while n > 1 and n < len(text) and _is_glue(text[n]):
        n -= 1  # never split a grapheme (emoji + ZWJ, accents, surrogate halves)
    return n


def split_text(text: str, limit: int, measure: Measure = len) -> list[str]:
    """Split ``text`` into chunks of at most ``limit`` (per ``measure``), preferring
    paragraph, then line, sentence, clause and word boundaries."""
    rest = text.strip()
    chunks: list[str] = []
    while rest:
        if measure(rest) <= limit:
            chunks.append(rest)
            break
        cut = _cut_point(rest, limit, measure)
        head = rest[:cut].rstrip()
        if head:
            chunks.append(head)
        rest = rest[cut:].lstrip()
    return chunks


def truncate(text: str, limit: int, measure: Measure = len, marker: str = "…") -> str:
    """One chunk only (single-use reply channels): cut at a boundary and mark the cut."""
    chunks = split_text(text, limit - measure(marker), measure)
    if len(chunks) <= 1:
        return chunks[0] if chunks else ""
    return chunks[0] + marker


_COMMAND = re.compile(
    r"^[/／](?P<name>[A-Za-z][\w-]{0,63})(?:@(?P<bot>\w+))?(?:\s+(?P<args>.*))?$", re.S
)


def split_command(text: str) -> tuple[str | None, str, str | None]:
    """``"/summary@bot 24h"`` → ``("summary", "24h", "bot")``; else ``(None, text, None)``."""
    m = _COMMAND.match(text.strip())
    if not m:
        return None, text.strip(), None
    return m["name"].lower(), (m["args"] or "").strip(), m["bot"]


def squash(text: str) -> str:
    """Collapse the double spaces left where a mention was removed."""
    return re.sub(r"[ \t\u00a0\u3000]{2,}", " ", text).strip()


def compose(
    text: str,
    limit: int,
    measure: Measure = len,
    *,
    escape: Callable[[str], str] = lambda s: s,
    suffix: str = "",
) -> list[str]:
    """Split ``text`` into escaped chunks that fit ``limit`` *after* escaping, and append
    ``suffix`` (rendered mentions, already in platform syntax) to the last chunk."""
    reserve = measure(suffix) + 2 if suffix else 0
    chunks = [escape(c) for c in split_text(text, limit - reserve, lambda s: measure(escape(s)))]
    if suffix:
        chunks = [*chunks[:-1], f"{chunks[-1]}\n\n{suffix}"] if chunks else [suffix]
    return chunks
