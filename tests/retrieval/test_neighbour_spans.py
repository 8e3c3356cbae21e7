"""Which chunks a list may run into: near the top chunks of a document, never all of it."""

from __future__ import annotations

from pathlib import Path

from copilot.retrieval.hybrid import NEIGHBOUR_GAP, _spans, neighbour_ids
from copilot.store.db import Database


def test_close_top_chunks_share_one_span() -> None:
    assert _spans([3, 5, 9]) == [(3, 9)]


def test_far_apart_top_chunks_of_a_large_document_get_their_own_spans() -> None:
    far = 100 + NEIGHBOUR_GAP + 1
    assert _spans([100, far, 24_000]) == [(100, 100), (far, far), (24_000, 24_000)]


def test_each_span_is_one_range_read_on_the_source_positions(tmp_path: Path) -> None:
    """Not a scan of the community (at 100k chunks of one document, 36 ms a list question)."""
    db = Database(f"sqlite:///{tmp_path / 'copilot.db'}")
    spans = [("rules.md", 86, 86), ("rules.md", 329, 329), ("faq.md", 5465, 5470)]
    compiled = neighbour_ids("club", spans).compile(db.engine)
    with db.engine.connect() as connection:
        plan = connection.exec_driver_sql(
            f"EXPLAIN QUERY PLAN {compiled}",
            tuple(compiled.params[k] for k in compiled.positiontup),
        ).all()
    db.close()
    reads = [row[-1] for row in plan if "chunks" in row[-1]]
    assert len(reads) == len(spans)
    assert all("ix_chunks_community_source_position" in r and "position>" in r for r in reads)
