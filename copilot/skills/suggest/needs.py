"""Formats that need something the community does not have: a points-redemption week needs a
points scheme, and "没有会员卡，也没有积分" in the rules says there is none."""

from __future__ import annotations

import re
from collections.abc import Sequence

from copilot.retrieval.retriever import Retriever
from copilot.skills.suggest.catalogue import Activity
from copilot.text import fold_chinese, is_question

NEED_PASSAGES = 5
# Said just before the word, these deny it: "没有积分", "不设积分", "we have no points".
_DENIED = re.compile(
    r"(?:没有|没|不设|不搞|不做|不提供|不用|无|取消了?)[^，。,.;；！!?？]{0,4}$"
    r"|\b(?:no|not|never|without|don't have|do not have)\b[^,.;!?]{0,12}$",
    re.IGNORECASE,
)


def missing_needs(
    activities: Sequence[Activity], community: str, retriever: Retriever | None
) -> dict[str, str]:
    """activity id → the thing it needs that the community's knowledge never names, or names
    only to say it has none. Without a retriever nothing is known to be missing."""
    if retriever is None:
        return {}
    out: dict[str, str] = {}
    for activity in activities:
        if activity.needs and not any(_has(n, community, retriever) for n in activity.needs):
            out[activity.id] = activity.needs[0]
    return out


def _has(need: str, community: str, retriever: Retriever) -> bool:
    word = fold_chinese(need)
    pattern = re.escape(word) if not word.isascii() else rf"(?<![a-z]){re.escape(word)}(?![a-z])"
    chunks = retriever.search(community, need, top_k=NEED_PASSAGES).chunks
    if not chunks:
        return True  # no knowledge at all: nothing is known to be missing
    for chunk in chunks:
        text = fold_chinese(chunk.text)
        for m in re.finditer(pattern, text):
            if not _DENIED.search(text[: m.start()]) and not _asked(text, m.start()):
                return True
    return False


_END = re.compile(r"[。！!?？\n]")


def _asked(text: str, at: int) -> bool:
    """Is the mention at `at` in a question ("有没有会员卡或者积分？"): it says nothing of
    whether there is one."""
    starts = [m.end() for m in _END.finditer(text, 0, at)]
    end = _END.search(text, at)
    sentence = text[starts[-1] if starts else 0 : end.end() if end else len(text)]
    return is_question(sentence)
