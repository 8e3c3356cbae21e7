"""The offline answer engine: the most relevant sentences of the retrieved passages, cited."""

from __future__ import annotations

import re

import numpy as np

from copilot.embeddings import Embedder
from copilot.retrieval.hybrid import RetrievedChunk
from copilot.text import detect_language, fold_chinese, split_sentences, tokenize

MAX_CHARS = {"zh": 200, "en": 450}
MAX_SENTENCES = 4
MARKDOWN = re.compile(r"\*\*|__|`|^\s*(?:[-*+]|\d+[.)])\s+|^>\s*")
# A neighbour in the same passage is kept when nearly as relevant; another passage must be
# almost as relevant as the best sentence, so answers stay focused on one source.
SAME_PASSAGE_SLACK = 0.35
OTHER_PASSAGE_SLACK = 0.08
CHAT_PENALTY = 0.12  # playbooks are the reference; chat history backs them up
ANSWER_TYPE_BONUS = 0.2
LEAD_BONUS = 0.05  # the first sentence under a heading usually states the answer

# "When …?" wants a sentence with a time in it, "how much …?" one with a number, and so on:
# a cheap answer-type check that keeps the extract on the sentence that actually answers.
ANSWER_TYPES = [
    (
        re.compile(
            r"几点|什么时候|何时|哪天|几号|星期几|周几|礼拜几|\bwhen\b|what time|which day",
            re.IGNORECASE,
        ),
        re.compile(
            r"\d{1,2}[:：]\d{2}|[〇一二两三四五六七八九十\d]+点|[周星期][一二三四五六日天]|礼拜"
            r"|\d+\s*[月日号]|\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday"
            r"|daily|weekly|monthly|\d{1,2}\s?(?:am|pm))\b",
            re.IGNORECASE,
        ),
    ),
    (
        re.compile(
            r"多少|几个|几次|几级|几天|费用|价格|how much|how many|\bcost|\bprice|\bfee",
            re.IGNORECASE,
        ),
        re.compile(r"\d|[一二两三四五六七八九十百千万]+[个次级天元块分]"),
    ),
    (
        re.compile(r"哪里|在哪|哪儿|地点|地址|\bwhere\b", re.IGNORECASE),
        re.compile(
            r"在.{1,15}(?:举行|集合|见|进行)|地点|地址|线上|会议|#[\w-]+"
            r"|\b(?:in|at) (?:the )?[A-Z#\"]"
        ),
    ),
]


def extract_answer(
    question: str, chunks: list[RetrievedChunk], embedder: Embedder, language: str
) -> list[tuple[str, int]]:
    """Pick the sentences that best answer `question`: (sentence, chunk index) pairs.

    A sentence scores by its cosine similarity to the question plus the share of question
    words it contains, plus a small bonus for coming from a higher-ranked passage. The best
    sentence anchors the answer; its neighbours in the same passage fill in the details.
    """
    candidates: list[tuple[str, int, int]] = []  # sentence, chunk index, position in chunk
    for ci, chunk in enumerate(chunks[:3]):
        for pos, sentence in enumerate(split_sentences(chunk.text)):
            clean = MARKDOWN.sub("", sentence).strip()
            if len(clean) >= 4 and not clean.startswith("#"):
                candidates.append((clean, ci, pos))
    if not candidates:
        return []
    wanted = set(tokenize(question))
    folded_question = fold_chinese(question)
    answer_shapes = [shape for asks, shape in ANSWER_TYPES if asks.search(folded_question)]
    vectors = embedder.embed([fold_chinese(question)] + [fold_chinese(c[0]) for c in candidates])
    cosine = vectors[1:] @ vectors[0]
    scores = []
    # A passage's own heading (often the FAQ question itself) counts for each of its
    # sentences, so the sentence that answers wins over one that merely repeats the words.
    headings = [set(tokenize(c.heading.rsplit(" > ", 1)[-1])) for c in chunks[:3]]
    for (sentence, ci, pos), cos in zip(candidates, cosine, strict=True):
        found = wanted & (set(tokenize(sentence)) | headings[ci])
        overlap = len(found) / len(wanted) if wanted else 0.0
        lead = LEAD_BONUS if pos == 0 else 0.0
        penalty = CHAT_PENALTY if chunks[ci].kind == "chat" else 0.0
        shaped = ANSWER_TYPE_BONUS if any(p.search(sentence) for p in answer_shapes) else 0.0
        scores.append(float(cos) + 0.6 * overlap + 0.08 * (2 - ci) - penalty + shaped + lead)
    best = int(np.argmax(scores))
    anchor_chunk, anchor_pos = candidates[best][1], candidates[best][2]

    def closeness(i: int) -> tuple[int, int, float]:
        same = candidates[i][1] == anchor_chunk
        return (0 if same else 1, abs(candidates[i][2] - anchor_pos) if same else 0, -scores[i])

    limit = MAX_CHARS.get(language, 450)
    chosen = [best]
    used = len(candidates[best][0])
    for i in sorted(range(len(candidates)), key=closeness):
        if i == best or len(chosen) == MAX_SENTENCES:
            continue
        slack = SAME_PASSAGE_SLACK if candidates[i][1] == anchor_chunk else OTHER_PASSAGE_SLACK
        size = len(candidates[i][0])
        if scores[i] >= scores[best] - slack and used + size <= limit:
            chosen.append(i)
            used += size
    # Read in document order: passage rank first, then position inside the passage.
    chosen.sort(key=lambda i: (candidates[i][1], candidates[i][2]))
    return [(candidates[i][0], candidates[i][1]) for i in chosen]


def cross_language_note(question_language: str, chunks: list[RetrievedChunk]) -> str:
    """A short note when the quoted passages are in another language than the question."""
    source_language = detect_language(" ".join(c.text for c in chunks[:2]))
    if question_language == source_language or source_language not in ("zh", "en"):
        return ""
    return "（以下内容摘自英文资料）" if question_language == "zh" else "(From our Chinese notes:) "
