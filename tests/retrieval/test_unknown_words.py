"""Question words a community never wrote count against answering, in the evidence's script."""

from __future__ import annotations

from copilot.retrieval.bm25 import Bm25Index
from copilot.retrieval.unknown import unknown_words
from copilot.text import tokenize

NOTES = ["会费每年 99 元，可以用微信或支付宝付款。", "入群后 7 天内可以全额退款。"]


def _index() -> Bm25Index:
    return Bm25Index([f"c{i}" for i in range(len(NOTES))], [tokenize(t) for t in NOTES])


def _unknown(question: str, evidence_script: str | None = None) -> float:
    tokens = tokenize(question)
    content = {t for t in tokens if len(t) > 1 or not t.isascii()}
    return unknown_words(tokens, content, _index(), evidence_script=evidence_script)


def test_a_word_the_community_never_wrote_counts_in_a_same_language_question() -> None:
    assert _unknown("会费可以用 PayPal 付款吗？") >= 1.0
    assert _unknown("会费可以用微信付款吗？") == 0.0


def test_an_english_question_over_chinese_notes_is_not_unknown_for_being_english() -> None:
    # Every English word is absent from Chinese notes; that says nothing about the answer.
    question = "Can I pay the membership fee by WeChat?"
    assert _unknown(question) >= 3.0  # counted naively, it looks like a stranger's question
    assert _unknown(question, evidence_script="cjk") == 0.0
    # A Chinese word the notes never wrote still counts when the evidence is Chinese.
    assert _unknown("Can I pay the 会员年费 with 银联?", evidence_script="cjk") >= 1.0
