"""Output languages: how prompts name them, and one script per output (OpenCC)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Literal

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


def localize(text: str, language: str) -> str:
    """One script per post: zh → Simplified, zh-hant → Traditional (facts may come from either)."""
    if not text or language not in ("zh", "zh-hant"):
        return text
    # s2tw: Taiwan-standard characters (群, 為), as the zh-hant playbooks write them.
    return _opencc("t2s" if language == "zh" else "s2tw").convert(text)
