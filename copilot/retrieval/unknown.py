"""Question words a community never wrote: strong evidence that its knowledge cannot answer."""

from __future__ import annotations

from copilot.retrieval.bm25 import Bm25Index


def unknown_words(tokens: list[str], wanted: set[str], bm25: Bm25Index) -> float:
    """How many of the question's content words the community never wrote.

    Whole words count once even though search mode also yields their parts ("越多越好",
    "越多"). An unknown word jieba cannot segment arrives as single characters ("抖", "音"):
    a run of them is one unknown word; a lone character ("钱", "付") is weak evidence.
    """
    unseen = {t for t in wanted if not bm25.knows(t)}
    words = {
        t
        for t in unseen
        if (len(t) > 1 or t.isascii()) and not any(t != u and t in u for u in unseen)
    }
    mass, run = float(len(words)), 0
    for token in [*tokens, ""]:
        if len(token) == 1 and not token.isascii() and token in unseen:
            run += 1
            continue
        if run:
            mass += 1.0 if run >= 2 else 0.25
        run = 0
    return mass
