"""Question words a community never wrote: strong evidence that its knowledge cannot answer."""

from __future__ import annotations

from copilot.retrieval.bm25 import Bm25Index
from copilot.text import has_han


def unknown_words(
    tokens: list[str], wanted: set[str], bm25: Bm25Index, *, evidence_script: str | None = None
) -> float:
    """How many of the question's content words the community never wrote.

    When the evidence is in another language than the question (`evidence_script` "cjk" or
    "latin"), only words in the evidence's script count: an English question over Chinese
    notes never finds its English words there, yet "PayPal" in a Chinese question is news.

    Whole words count once even though search mode also yields their parts ("越多越好",
    "越多"). An unknown word jieba cannot segment arrives as single characters ("抖", "音"):
    a run of them is one unknown word; a lone character ("钱", "付") is weak evidence.
    """
    if evidence_script is not None:
        wanted = {t for t in wanted if ("cjk" if has_han(t) else "latin") == evidence_script}
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
