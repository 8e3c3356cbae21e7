"""The same question in other words is one queue item; a different question on the same topic
is not. Hand-labelled pairs (zh and en) hold the calibrated thresholds."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from copilot.skills.questions.grouping import question_vectors, same_question

PAIRS = yaml.safe_load((Path(__file__).parent / "data" / "question_pairs.yaml").read_text("utf-8"))


def _judge(embedder, pair: str) -> bool:  # type: ignore[no-untyped-def]
    a, b = pair.split(" | ")
    va, vb = question_vectors(embedder, [a, b])
    return same_question(embedder, float(va @ vb), a, b)


@pytest.mark.parametrize("pair", PAIRS["different"])
def test_a_different_question_on_the_same_topic_is_never_grouped(embedder, pair: str) -> None:  # type: ignore[no-untyped-def]
    # An answered item is served to every question it groups with: a false merge would give a
    # member the answer to another question, so every one of these must stay apart.
    assert not _judge(embedder, pair)


def test_most_paraphrases_are_grouped(embedder) -> None:  # type: ignore[no-untyped-def]
    grouped = [pair for pair in PAIRS["same"] if _judge(embedder, pair)]
    assert len(grouped) / len(PAIRS["same"]) >= 0.5, grouped
    # A wording that shares no word with the other still groups when its meaning does.
    assert "答疑直播的回放在哪里看？ | 错过了答疑直播，去哪里看录播" in grouped
    assert (
        "How much does the annual membership cost? | What's the price of a yearly membership?"
        in grouped
    )


def test_the_same_words_are_the_same_question(embedder) -> None:  # type: ignore[no-untyped-def]
    assert _judge(embedder, "停车场在哪里？ | 停车场在哪里")
