"""Which chunks a list may run into: near the top chunks of a document, never all of it."""

from __future__ import annotations

from copilot.retrieval.hybrid import NEIGHBOUR_GAP, _spans


def test_close_top_chunks_share_one_span() -> None:
    assert _spans([3, 5, 9]) == [(3, 9)]


def test_far_apart_top_chunks_of_a_large_document_get_their_own_spans() -> None:
    far = 100 + NEIGHBOUR_GAP + 1
    assert _spans([100, far, 24_000]) == [(100, 100), (far, far), (24_000, 24_000)]
