"""The offline answer engine: the most relevant sentences of the retrieved passages, cited."""

from __future__ import annotations

import re

import numpy as np

from copilot.embeddings import Embedder
from copilot.retrieval.hybrid import RetrievedChunk
from copilot.text import detect_language, fold_chinese, split_sentences, tokenize

MAX_CHARS = {"zh": 220, "en": 480}
CHAT_PREFIX = re.compile(r"^\[\d\d-\d\d \d\d:\d\d\] ")


def extract_answer(question: str, chunks: list[RetrievedChunk], embedder: Embedder,
                   language: str) -> list[tuple[str, int]]:
    """Pick up to three sentences that best answer `question`: (sentence, chunk index) pairs.

    A sentence scores by its cosine similarity to the question plus the share of question
    words it contains, plus a small bonus for coming from a higher-ranked passage.
    """
    candidates: list[tuple[str, int, int]] = []  # sentence, chunk index, position in chunk
    for ci, chunk in enumerate(chunks[:3]):
        for pos, sentence in enumerate(split_sentences(chunk.text)):
            if len(sentence) >= 4 and not sentence.startswith("#"):
                candidates.append((sentence, ci, pos))
    if not candidates:
        return []
    wanted = set(tokenize(question))
    vectors = embedder.embed([fold_chinese(question)] + [fold_chinese(c[0]) for c in candidates])
    cosine = vectors[1:] @ vectors[0]
    scores = []
    for (sentence, ci, _), cos in zip(candidates, cosine, strict=True):
        overlap = len(wanted & set(tokenize(sentence))) / len(wanted) if wanted else 0.0
        scores.append(float(cos) + 0.6 * overlap + 0.08 * (2 - ci))
    order = np.argsort(-np.asarray(scores), kind="stable")
    best = scores[order[0]]
    limit = MAX_CHARS.get(language, 480)
    chosen: list[int] = []
    used = 0
    for i in order[:6]:
        sentence = candidates[i][0]
        if chosen and (scores[i] < best - 0.25 or used + len(sentence) > limit):
            continue
        chosen.append(int(i))
        used += len(sentence)
        if len(chosen) == 3:
            break
    # Read in document order: passage rank first, then position inside the passage.
    chosen.sort(key=lambda i: (candidates[i][1], candidates[i][2]))
    return [(CHAT_PREFIX.sub("", candidates[i][0]), candidates[i][1]) for i in chosen]


def cross_language_note(question_language: str, chunks: list[RetrievedChunk]) -> str:
    """A short note when the quoted passages are in another language than the question."""
    source_language = detect_language(" ".join(c.text for c in chunks[:2]))
    if question_language == source_language or source_language not in ("zh", "en"):
        return ""
    return "（以下内容摘自英文资料）" if question_language == "zh" else "(From our Chinese notes:) "
