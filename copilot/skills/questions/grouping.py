"""When two askings are the same question in other words: question vectors, then the words
that differ.

USE cosine alone is a poor judge at the margin: "周末活动几点开始" and "几点结束" are closer
(0.89) than many true paraphrases (0.6-0.8), and token overlap misses paraphrases that share no
words. So a pair with a high enough cosine is also judged by the words each side has and the
other lacks: when those mean the same ("录播" / "回放", "yearly" / "annual"), it is one question;
a one-word swap in an otherwise identical question ("start" / "end") is not.

Calibrated on hand-labelled pairs of same-topic questions, zh and en
(``tests/skills/data/question_pairs.yaml``, held by ``tests/skills/test_question_grouping.py``):
precision first, because an answered item is served to the questions it matches.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from copilot.embeddings import Embedder, Vectors
from copilot.skills.faq.mining import normalize_question
from copilot.text import tokenize

MIN_COSINE = 0.70  # below it: never the same question
SAME_DIFFERENCE = 0.53  # the differing words mean the same
HIGH_COSINE = 0.80  # ... or the questions are close and differ in more than one swapped word
LOOSE_DIFFERENCE = 0.25


def question_vectors(embedder: Embedder, texts: list[str]) -> Vectors:
    """Vectors of the asking part only: greetings, mentions and "请问" moved the cosine of a
    paraphrase pair from 0.71 to 0.68, more than many a different question."""
    return embedder.embed([normalize_question(t) or t for t in texts])


def difference_similarity(embedder: Embedder, a: str, b: str) -> tuple[float, bool]:
    """Cosine of the words only ``a`` has with the words only ``b`` has (greetings, mentions
    and "请问" left out), and whether the difference is a one-word swap. Same words: 1.0;
    one side only adds words: 0.5 (it asks something more)."""
    ta, tb = set(tokenize(normalize_question(a))), set(tokenize(normalize_question(b)))
    only_a, only_b = sorted(ta - tb), sorted(tb - ta)
    if not only_a and not only_b:
        return 1.0, False
    if not only_a or not only_b:
        return 0.5, False
    va, vb = embedder.embed([" ".join(only_a), " ".join(only_b)])
    return float(va @ vb), len(only_a) == len(only_b) == 1


def same_question(embedder: Embedder, cosine: float, a: str, b: str) -> bool:
    if cosine < MIN_COSINE:
        return False
    difference, swap = difference_similarity(embedder, a, b)
    if difference >= SAME_DIFFERENCE:
        return True
    return cosine >= HIGH_COSINE and difference >= LOOSE_DIFFERENCE and not swap


def best_match(
    embedder: Embedder,
    vector: Vectors,
    text: str,
    candidates: Sequence[tuple[str, str, Vectors]],
) -> tuple[str, float] | None:
    """The most similar candidate (id, text, vector) that is the same question as ``text``:
    (id, cosine), or None."""
    if not candidates:
        return None
    cosines = np.stack([v for _, _, v in candidates]) @ vector
    for i in np.argsort(-cosines):
        if cosines[i] < MIN_COSINE:
            break
        cid, ctext, _ = candidates[int(i)]
        if same_question(embedder, float(cosines[i]), text, ctext):
            return cid, float(cosines[i])
    return None
