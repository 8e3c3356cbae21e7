"""IR metrics against hand-computed values (formulas in evals/README.md)."""

from __future__ import annotations

import math

import pytest

from evals.metrics.retrieval import (
    gains,
    hit_at_k,
    label_sources,
    mrr,
    ndcg_at_k,
    recall_at_k,
    retrieval_metrics,
    source_matches,
)

RANKED = ["a", "x", "b", "a", "c"]  # 'a' repeats at rank 4
RELEVANT = {"a", "b", "d"}


def test_gains_count_first_occurrences_only() -> None:
    assert gains(RANKED, RELEVANT) == [1, 0, 1, 0, 0]
    assert gains(RANKED, RELEVANT, k=2) == [1, 0]


def test_hit_and_recall_by_hand() -> None:
    assert hit_at_k(RANKED, RELEVANT, 1) == 1.0
    assert hit_at_k(["x", "y", "b"], {"b"}, 2) == 0.0
    assert hit_at_k(["x", "y", "b"], {"b"}, 3) == 1.0
    assert recall_at_k(RANKED, RELEVANT, 1) == pytest.approx(1 / 3)
    assert recall_at_k(RANKED, RELEVANT, 3) == pytest.approx(2 / 3)
    assert recall_at_k(RANKED, RELEVANT, 5) == pytest.approx(2 / 3)  # the duplicate adds nothing


def test_mrr_by_hand() -> None:
    assert mrr(RANKED, RELEVANT) == 1.0
    assert mrr(["x", "y", "b"], {"b"}) == pytest.approx(1 / 3)
    assert mrr(["x", "y", "b"], {"b"}, k=2) == 0.0
    assert mrr(["x", "y"], {"b"}) == 0.0


def test_ndcg_by_hand() -> None:
    # DCG@3 = 1/log2(2) + 0 + 1/log2(4) = 1.5; IDCG@3 over min(3, |R|=3) = 1 + 1/log2(3) + 0.5
    idcg = 1 + 1 / math.log2(3) + 0.5
    assert ndcg_at_k(RANKED, RELEVANT, 3) == pytest.approx(1.5 / idcg)
    assert ndcg_at_k(RANKED, RELEVANT, 3) == pytest.approx(0.703918, abs=1e-6)
    # k=5: the duplicate 'a' at rank 4 gains nothing, IDCG still over 3 relevant items
    assert ndcg_at_k(RANKED, RELEVANT, 5) == pytest.approx(1.5 / idcg)
    # a single relevant item at rank 3: (1/log2(4)) / 1 = 0.5
    assert ndcg_at_k(["x", "y", "b"], {"b"}, 3) == pytest.approx(0.5)


def test_short_lists_are_not_inflated_and_duplicates_never_exceed_one() -> None:
    # One result, two relevant, k=5: IDCG@5 = 1 + 1/log2(3) (not shrunk to the list length).
    assert ndcg_at_k(["a"], {"a", "b"}, 5) == pytest.approx(1 / (1 + 1 / math.log2(3)))
    assert ndcg_at_k(["a", "a", "a"], {"a"}, 3) == 1.0
    assert recall_at_k(["a", "a"], {"a"}, 2) == 1.0


def test_undefined_without_labels() -> None:
    for fn in (hit_at_k, recall_at_k, ndcg_at_k):
        assert fn(RANKED, set(), 3) is None
    assert mrr(RANKED, set()) is None
    assert retrieval_metrics(["knowledge/a.md"], [], [1, 3]) == {}


def test_sources_match_on_whole_path_segments() -> None:
    assert source_matches("/repo/knowledge/playbooks/zh/faq.md", "knowledge/playbooks/zh/faq.md")
    assert source_matches("./knowledge/a.md", "knowledge/a.md")
    assert source_matches("knowledge\\a.md", "knowledge/a.md")
    assert not source_matches("knowledge/playbooks/zh/bfaq.md", "zh/faq.md")
    assert not source_matches("knowledge/playbooks/en/faq.md", "knowledge/playbooks/zh/faq.md")
    assert label_sources(["x/knowledge/a.md", "b.md"], ["knowledge/a.md"]) == [
        "knowledge/a.md",
        None,
    ]


def test_retrieval_metrics_over_chunk_sources() -> None:
    retrieved = ["/r/knowledge/zh/rules.md", "/r/knowledge/zh/rules.md", "/r/knowledge/zh/faq.md"]
    m = retrieval_metrics(retrieved, ["knowledge/zh/faq.md", "knowledge/zh/rules.md"], [1, 3])
    assert m["hit@1"] == 1.0 and m["recall@1"] == 0.5 and m["recall@3"] == 1.0
    assert m["mrr"] == 1.0
    # gains [1, 0, 1]: DCG = 1 + 0.5; IDCG@3 over 2 relevant = 1 + 1/log2(3)
    assert m["ndcg@3"] == pytest.approx(1.5 / (1 + 1 / math.log2(3)))
