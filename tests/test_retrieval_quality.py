"""Retrieval and handoff quality on the starter knowledge (zh, zh-hant, en; answerable or not)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO

CASES = yaml.safe_load((REPO / "tests" / "data" / "retrieval_questions.yaml").read_text("utf-8"))
if isinstance(CASES, dict):  # tolerate a top-level {"cases": [...]} layout
    CASES = CASES.get("cases") or CASES.get("questions")


def _matches(source: str, expected: str) -> bool:
    return Path(source).as_posix().endswith(expected.removeprefix("knowledge/"))


@pytest.fixture(scope="module")
def outcomes(starter):  # type: ignore[no-untyped-def]
    return {case["id"]: starter.ask("starter", case["question"]) for case in CASES}


def test_the_question_set_is_big_and_varied_enough() -> None:
    answerable = [c for c in CASES if c["answerable"]]
    assert len(answerable) >= 40 and len(CASES) - len(answerable) >= 12
    assert {c["language"] for c in CASES} >= {"zh", "en"}
    assert any("zh-hant" in s for c in answerable for s in c["expected_sources"])


def test_top3_hit_rate_is_at_least_90_percent(outcomes) -> None:  # type: ignore[no-untyped-def]
    answerable = [c for c in CASES if c["answerable"]]
    misses = [
        (c["id"], c["question"], [r.source for r in outcomes[c["id"]].retrieved[:3]])
        for c in answerable
        if not any(
            _matches(r.source, e)
            for r in outcomes[c["id"]].retrieved[:3]
            for e in c["expected_sources"]
        )
    ]
    hit_rate = 1 - len(misses) / len(answerable)
    assert hit_rate >= 0.9, f"top-3 hit rate {hit_rate:.2f}; misses: {misses}"


def test_unanswerable_questions_hand_off(outcomes) -> None:  # type: ignore[no-untyped-def]
    unanswerable = [c for c in CASES if not c["answerable"]]
    wrong = [
        (c["question"], outcomes[c["id"]].confidence)
        for c in unanswerable
        if not outcomes[c["id"]].handoff
    ]
    rate = 1 - len(wrong) / len(unanswerable)
    # The gate is fitted across communities (evals/calibration), no longer tuned on this set.
    assert rate >= 0.85, f"correct handoff rate {rate:.2f}; answered anyway: {wrong}"


def test_answerable_questions_are_answered_not_handed_off(outcomes) -> None:  # type: ignore[no-untyped-def]
    answerable = [c for c in CASES if c["answerable"]]
    handed = [
        (c["question"], outcomes[c["id"]].confidence)
        for c in answerable
        if outcomes[c["id"]].handoff
    ]
    rate = 1 - len(handed) / len(answerable)
    # The gate is fitted across communities (evals/calibration), no longer tuned on this set.
    # 0.73 today, wherever the checkout sits (0.75 was reached only from some paths, when ties
    # between passages went by chunk id, which hashes the source path).
    assert rate >= 0.70, f"answered rate {rate:.2f}; handed off: {handed}"


def test_every_citation_resolves_to_a_retrieved_chunk(outcomes) -> None:  # type: ignore[no-untyped-def]
    for result in outcomes.values():
        retrieved = {r.chunk_id for r in result.retrieved}
        assert all(c.chunk_id in retrieved for c in result.citations)
