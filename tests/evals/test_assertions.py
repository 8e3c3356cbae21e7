"""Deterministic assertions, Chinese-aware overlap, similarity and the optional judge."""

from __future__ import annotations

from typing import Any

import pytest

from evals.metrics.assertions import ScoringContext, run_check
from evals.metrics.judge import Judge, parse_grade
from evals.metrics.overlap import token_overlap
from evals.metrics.similarity import Similarity
from evals.metrics.text import find_pii, text_language
from evals.schema import AskCase, Check
from tests.evals.conftest import HashEmbedder

ANSWER: dict[str, Any] = {
    "answer": "年費 99 元，繳費後７天內可退款。[1]",
    "citations": [
        {
            "source": "/repo/knowledge/playbooks/zh/faq.md",
            "chunk_id": "c1",
            "score": 0.9,
            "snippet": "年费 99 元",
        }
    ],
    "confidence": 0.9,
    "handoff": False,
    "language": "zh",
    "retrieved": [
        {"chunk_id": "c1", "source": "/repo/knowledge/playbooks/zh/faq.md", "score": 0.9}
    ],
}


def ctx(output: dict[str, Any] | None = None, **kw: Any) -> ScoringContext:
    output = output or ANSWER
    case = kw.pop("case", AskCase(id="c", question="会费多少？", reference="年费 99 元"))
    return ScoringContext(
        skill="ask", case=case, output=output, text=str(output.get("answer", "")), **kw
    )


def check(type_: str, value: Any = None, c: ScoringContext | None = None, **kw: Any):  # type: ignore[no-untyped-def]
    return run_check(Check(type=type_, value=value, **kw), c or ctx())


def test_contains_folds_traditional_and_full_width() -> None:
    assert check("contains", "年费").passed  # answer says 年費
    assert check("contains", "7天").passed  # answer has a full-width ７
    assert check("contains", ["退钱", "退款"]).passed  # any of the alternatives
    failed = check("contains", "发票")
    assert failed.passed is False and "missing" in failed.detail


def test_not_contains_regex_and_lengths() -> None:
    assert check("not-contains", ["发票", "手机"]).passed
    assert check("not-contains", "退款").passed is False
    assert check("regex", r"\d+ 元").passed
    assert check("not-regex", r"1[3-9]\d{9}").passed
    assert check("max-length", 100).passed
    short = check("min-length", 100)
    assert short.passed is False and "chars" in short.detail


def test_language_by_majority_script() -> None:
    assert check("language", "zh").passed
    english = {
        "answer": "Five elements: shared interest (同好), structure (结构), output "
        "(输出), operations (运营) and replication (复制)."
    }
    assert run_check(Check(type="language", value="en"), ctx(english)).passed
    assert text_language("社群五要素是同好、结构、输出、运营、复制") == "zh"


def test_answer_contract_and_field_paths() -> None:
    assert check("json-schema", "answer").passed
    broken = dict(ANSWER, confidence="high")
    result = run_check(Check(type="json-schema", value="answer"), ctx(broken))
    assert result.passed is False and "confidence" in result.detail
    schema = {"type": "string", "minLength": 1}
    assert check("json-schema", schema, field="citations.0.source").passed


def test_citations_are_checked_against_retrieval() -> None:
    assert check("cites-source", ["knowledge/playbooks/zh/faq.md"]).passed
    assert check("cites-source", ["knowledge/playbooks/zh/rules.md"]).passed is False
    assert check("citation-validity").passed
    forged = dict(
        ANSWER,
        citations=[
            *ANSWER["citations"],
            {"source": "x.md", "chunk_id": "c9", "score": 1, "snippet": ""},
        ],
    )
    bad = run_check(Check(type="citation-validity"), ctx(forged))
    assert bad.passed is False and bad.score == 0.5 and "c9" in bad.detail


def test_handoff_latency_tokens_cost() -> None:
    assert check("handoff", False).passed
    assert check("handoff", True).passed is False
    c = ctx(latency_ms=1200, usage={"prompt_tokens": 900, "completion_tokens": 200}, cost_usd=0.002)
    assert run_check(Check(type="latency", value=1000), c).passed is False
    assert run_check(Check(type="tokens", value=1000), c).passed is False
    assert run_check(Check(type="cost", value=0.01), c).passed


def test_personal_data_is_found() -> None:
    found = find_pii("电话 13812345678，邮箱 a.b@example.com，身份证 110105199001011234")
    assert [f.split(":")[0] for f in found] == ["phone", "email", "id-card"]
    assert find_pii("+86 139 0013 8000")
    assert not find_pii("年费 99 元，2026-11-07 09:00 集合")
    leaky = {"summary": {"decisions": [{"text": "call 13812345678"}]}, "markdown": ""}
    assert run_check(Check(type="no-pii"), ctx(leaky)).passed is False


def test_overlap_is_chinese_aware() -> None:
    assert token_overlap("年費 99 元", "年费99元")["f1"] == pytest.approx(1.0)
    assert token_overlap("Points reset every year", "points reset yearly")["recall"] > 0.5
    assert token_overlap("", "年费")["f1"] == 0.0
    result = check("overlap", threshold=0.5)  # against the case's reference
    assert result.passed and result.score is not None


def test_similarity_uses_the_embedder_or_skips() -> None:
    sim = Similarity(HashEmbedder())
    assert sim("年费 99 元", "年费 99 元") == pytest.approx(1.0)
    assert sim("年费 99 元", "hello world") < 0.5
    assert run_check(Check(type="similarity", threshold=0.1), ctx(similarity=sim)).passed
    skipped = run_check(Check(type="similarity"), ctx(similarity=None))
    assert skipped.passed is None and "skipped" in skipped.detail


class GraderLLM:
    name = "fake-judge"

    def __init__(self, reply: str) -> None:
        self.reply, self.calls = reply, 0

    def complete(self, messages: Any, *, json_mode: bool = False) -> Any:
        self.calls += 1
        assert "<<<OUTPUT" in messages[-1].content  # the output is quoted, as data
        return type("Reply", (), {"text": self.reply})()


def test_judge_is_skipped_without_an_llm_and_graded_with_one(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from evals.cache import ResponseCache

    skipped = check("judge", "Polite and grounded")
    assert skipped.passed is None and "no LLM" in skipped.detail
    llm = GraderLLM('Sure: {"score": 4, "reason": "grounded, a bit long"}')
    judge = Judge(llm, cache=ResponseCache(tmp_path))
    graded = run_check(Check(type="judge", value="Polite and grounded"), ctx(judge=judge))
    assert graded.passed and graded.score == pytest.approx(0.75)
    run_check(Check(type="judge", value="Polite and grounded"), ctx(judge=judge))
    assert llm.calls == 1  # the second grade came from the cache
    assert parse_grade('{"score": 1, "reason": "x"}') == (1, "x")
    with pytest.raises(ValueError):
        parse_grade('{"score": 9}')


def test_draft_rule_checks() -> None:
    out = {
        "text": "hi",
        "checks": [
            {"rule": "length", "passed": True, "detail": ""},
            {"rule": "banned", "passed": False, "detail": "最便宜"},
        ],
    }
    result = run_check(Check(type="draft-checks"), ctx(out))
    assert result.passed is False and "最便宜" in result.detail


def test_a_broken_check_fails_with_its_reason() -> None:
    result = check("regex", "(unclosed")
    assert result.passed is False and "check error" in result.detail
