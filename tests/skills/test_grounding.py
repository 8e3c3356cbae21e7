"""The grounding rules all skills share: the budget, the markers and the citations."""

from __future__ import annotations

from copilot.retrieval.hybrid import RetrievedChunk
from copilot.skills.grounding import (
    cite_quotes,
    numbered_passages,
    pack,
    resolve_markers,
    strip_markers,
)
from copilot.tokens import count_tokens


def chunk(n: int, text: str) -> RetrievedChunk:
    return RetrievedChunk(
        chunk_id=f"c{n}",
        source=f"doc{n}.md",
        kind="playbook",
        heading="",
        text=text,
        score=0.5 / n,
        similarity=0.0,
        bm25=0.0,
    )


def test_packing_stops_at_the_first_passage_over_budget_and_trims_a_lone_long_one() -> None:
    short = [chunk(i, "会员每天签到可以获得十个积分。" * 3) for i in (1, 2, 3)]
    per_passage = count_tokens(short[0].text) + 12
    assert pack(short, 2 * per_passage) == short[:2]
    long = chunk(1, "Members earn ten points for every daily check-in. " * 80)
    (trimmed,) = pack([long, *short], 100)
    assert trimmed.chunk_id == "c1" and count_tokens(trimmed.text) <= 88
    assert long.text.startswith(trimmed.text)


def test_markers_that_point_at_no_sent_passage_are_dropped_and_the_rest_renumbered() -> None:
    text, cited = resolve_markers("Wednesdays[3], 8 pm[1], on Zoom[7]; see [3].", 3)
    assert text == "Wednesdays[1], 8 pm[2], on Zoom; see [1]."
    assert cited == [3, 1]
    assert strip_markers("Every Wednesday [2]. At 8 pm[1]") == "Every Wednesday. At 8 pm"


def test_quoted_sentences_cite_their_passage_once_in_order_of_first_use() -> None:
    chunks = [chunk(1, "a"), chunk(2, "b")]
    order, citations = cite_quotes(chunks, [("Second.", 1), ("First.", 0), ("Again.", 1)])
    assert order == [1, 0]
    assert [(c.chunk_id, c.snippet) for c in citations] == [
        ("c2", "Second. Again."),
        ("c1", "First."),
    ]
    assert numbered_passages(chunks) == "[1] (doc1.md)\na\n\n[2] (doc2.md)\nb"
