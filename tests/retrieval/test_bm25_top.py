"""BM25's top-k: the best chunks holding a query word, the same ones whatever else is indexed."""

from __future__ import annotations

from copilot.retrieval.bm25 import Bm25Index


def _index(docs: dict[str, list[str]]) -> Bm25Index:
    return Bm25Index(list(docs), list(docs.values()))


def test_only_chunks_holding_a_query_word_are_hits_best_first() -> None:
    index = _index(
        {
            "a": ["refund", "refund", "policy"],
            "b": ["refund", "window"],
            "c": ["parking"],
            "d": ["opening", "hours"],
        }
    )
    hits = index.search(["refund"], 10)
    assert [cid for cid, _ in hits] == ["a", "b"]
    assert all(score > 0 for _, score in hits)


def test_equal_scores_are_cut_and_ordered_by_id() -> None:
    """Two copies of one passage (a simplified and a traditional file) score the same: which
    of them makes the top-k must not depend on how the selection happens to partition."""
    docs = {f"c{i:02d}": ["refund", "window"] for i in range(12)}
    docs |= {f"x{i:02d}": [f"other{i}"] for i in range(50)}
    index = _index(docs)
    assert [cid for cid, _ in index.search(["refund"], 5)] == ["c00", "c01", "c02", "c03", "c04"]
    assert len(index.search(["refund"], 30)) == 12
