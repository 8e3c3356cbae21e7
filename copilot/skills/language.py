"""Output languages: how prompts name them, and one script per output (OpenCC)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any, Literal

from copilot.text import has_han

# The languages an operator can ask a draft in, as prompts name them.
LANGUAGE_NAMES = {"zh": "Simplified Chinese", "zh-hant": "Traditional Chinese", "en": "English"}


def language_name(code: str, *, script: Literal["named", "mirror", "any"] = "named") -> str:
    """The language for a prompt. "mirror": a detected "zh" covers both scripts, so the reply
    copies the question's; "any": the script does not matter (summaries, pitches)."""
    if code == "en" or script == "named":
        return LANGUAGE_NAMES[code]
    return "Chinese (the same script as the question)" if script == "mirror" else "Chinese"


@lru_cache(maxsize=2)
def _opencc(config: str) -> Any:
    from opencc import OpenCC

    return OpenCC(config)


def localize(text: str, language: str, keep: Iterable[str] = ()) -> str:
    """One script per post: zh → Simplified, zh-hant → Traditional (facts may come from either).
    Names in `keep` stay as their owners write them: OpenCC turns the 岩 of "岩舍抱石館" into
    巖, and a community's name is never respelled."""
    if not text or language not in ("zh", "zh-hant"):
        return text
    # s2tw: Taiwan-standard characters (群, 為), as the zh-hant playbooks write them.
    convert = _opencc("t2s").convert if language == "zh" else _to_traditional
    names = sorted({k for k in keep if has_han(k)}, key=len, reverse=True)
    if not names:
        return convert(text)
    pieces = re.split("(" + "|".join(map(re.escape, names)) + ")", text)
    return "".join(p if i % 2 else convert(p) for i, p in enumerate(pieces))


_HAN_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")


def _to_traditional(text: str) -> str:
    """Simplified runs of text in Traditional; runs already written in Traditional stay as
    written. OpenCC maps characters both scripts share to one variant ("岩" → "巖", "台" → "臺"
    in some phrases), which respells a Hong Kong source's own "岩舍盃會唔會有直播"."""
    return _HAN_RUN.sub(lambda m: m[0] if _traditional(m[0]) else _s2tw(m[0]), text)


def _traditional(run: str) -> bool:
    """More characters only Traditional writes (會, 盃) than characters OpenCC would change."""
    only_traditional = sum(_t2s(c) != c for c in run)
    would_change = sum(_s2tw(c) != c for c in run)
    return only_traditional > 0 and only_traditional >= would_change


@lru_cache(maxsize=8192)
def _t2s(text: str) -> str:
    return str(_opencc("t2s").convert(text))


@lru_cache(maxsize=8192)
def _s2tw(text: str) -> str:
    return str(_opencc("s2tw").convert(text))
