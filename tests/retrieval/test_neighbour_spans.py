"""Which chunks a list may run into: near the top chunks of a document, never all of it."""

from __future__ import annotations

from copilot.retrieval.bm25 import Bm25Index
from copilot.retrieval.hybrid import NEIGHBOUR_GAP, _spans
from copilot.retrieval.keyword import KeywordIndex


def test_close_top_chunks_share_one_span() -> None:
    assert _spans([3, 5, 9]) == [(3, 9)]


def test_far_apart_top_chunks_of_a_large_document_get_their_own_spans() -> None:
    far = 100 + NEIGHBOUR_GAP + 1
    assert _spans([100, far, 24_000]) == [(100, 100), (far, far), (24_000, 24_000)]


def test_a_span_reads_the_chunks_at_its_positions_in_that_source_only() -> None:
    """Positions of one source, both ends included, in order; another source's chunks at the
    same positions are not part of the list."""
    places = {
        "r3": ("rules.md", 3, "playbook"),
        "r1": ("rules.md", 1, "playbook"),
        "r2": ("rules.md", 2, "playbook"),
        "r9": ("rules.md", 9, "playbook"),
        "f2": ("faq.md", 2, "playbook"),
    }
    index = KeywordIndex(Bm25Index(list(places), [["x"]] * len(places)), places)
    assert index.ids_between("rules.md", 1, 3) == ["r1", "r2", "r3"]
    assert index.ids_between("rules.md", 4, 8) == []
    assert index.ids_between("faq.md", 0, 10) == ["f2"]
    assert index.ids_between("missing.md", 0, 10) == []
