"""Assertions: one function per check type, each returning an AssertionResult.

Text checks fold traditional→simplified Chinese, full-width→half-width and case before
comparing, so a suite written in simplified Chinese also checks traditional-Chinese outputs.
Lengths are counted in characters (a Chinese character counts 1, like on chat platforms).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import jsonschema

from evals.metrics.judge import Judge
from evals.metrics.overlap import token_overlap
from evals.metrics.retrieval import source_matches
from evals.metrics.similarity import Similarity
from evals.metrics.text import as_text, contains, find_pii, get_field, text_language
from evals.results import AssertionResult
from evals.schema import CaseBase, Check

# DESIGN.md §4: the JSON of an answer.
ANSWER_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["answer", "citations", "confidence", "handoff", "language"],
    "properties": {
        "answer": {"type": "string"},
        "citations": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["source", "chunk_id", "score", "snippet"],
                "properties": {
                    "source": {"type": "string"},
                    "chunk_id": {"type": "string"},
                    "score": {"type": "number"},
                    "snippet": {"type": "string"},
                },
            },
        },
        "confidence": {"type": "number", "minimum": 0, "maximum": 1},
        "handoff": {"type": "boolean"},
        "language": {"type": "string"},
    },
}
NAMED_SCHEMAS = {"answer": ANSWER_SCHEMA}


@dataclass
class ScoringContext:
    skill: str
    case: CaseBase
    output: dict[str, Any]
    text: str
    latency_ms: float = 0.0
    usage: dict[str, int] = field(default_factory=dict)
    cost_usd: float = 0.0
    similarity: Similarity | None = None
    judge: Judge | None = None

    def subject(self, check: Check) -> str:
        """The text a check reads: the output text, or fields ('a.b|c.d' joins several)."""
        if check.field is None:
            return self.text
        return "\n".join(as_text(get_field(self.output, f)) for f in check.field.split("|"))


def _result(
    check: Check, passed: bool | None, detail: str = "", score: float | None = None
) -> AssertionResult:
    if score is None and passed is not None:
        score = 1.0 if passed else 0.0
    return AssertionResult(name=check.label, passed=passed, score=score, detail=detail)


def _contains(check: Check, ctx: ScoringContext) -> AssertionResult:
    ok = contains(ctx.subject(check), check.value)
    return _result(check, ok, "" if ok else f"missing {check.value!r}")


def _not_contains(check: Check, ctx: ScoringContext) -> AssertionResult:
    needles = check.value if isinstance(check.value, list) else [check.value]
    found = [n for n in needles if contains(ctx.subject(check), n)]
    return _result(check, not found, f"found {found!r}" if found else "")


def _regex(check: Check, ctx: ScoringContext, negate: bool = False) -> AssertionResult:
    match = re.search(str(check.value), ctx.subject(check))
    ok = (match is None) if negate else (match is not None)
    detail = "" if ok else (f"matched {match.group(0)!r}" if match else "no match")
    return _result(check, ok, detail)


def _length(check: Check, ctx: ScoringContext, longest: bool) -> AssertionResult:
    n, limit = len(ctx.subject(check)), int(check.value)
    ok = n <= limit if longest else n >= limit
    return _result(check, ok, f"{n} chars ({'max' if longest else 'min'} {limit})")


def _language(check: Check, ctx: ScoringContext) -> AssertionResult:
    got = text_language(ctx.subject(check))
    return _result(check, got == check.value, f"detected {got}")


def _json_schema(check: Check, ctx: ScoringContext) -> AssertionResult:
    schema = (
        NAMED_SCHEMAS.get(check.value, check.value) if isinstance(check.value, str) else check.value
    )
    subject = ctx.output if check.field is None else get_field(ctx.output, check.field)
    try:
        jsonschema.validate(subject, schema)
    except jsonschema.ValidationError as exc:
        where = "/".join(str(p) for p in exc.absolute_path) or "(root)"
        return _result(check, False, f"{where}: {exc.message[:160]}")
    return _result(check, True)


def _cited_sources(output: dict[str, Any]) -> list[str]:
    return [str(c.get("source", "")) for c in output.get("citations") or []]


def _cites_source(check: Check, ctx: ScoringContext) -> AssertionResult:
    expected = check.value if isinstance(check.value, list) else [check.value]
    cited = _cited_sources(ctx.output)
    hits = [e for e in expected if any(source_matches(c, e) for c in cited)]
    detail = f"cited {sorted(set(cited))}" if not hits else f"cited {hits}"
    return _result(check, bool(hits), detail, score=len(hits) / len(expected))


def _citation_validity(check: Check, ctx: ScoringContext) -> AssertionResult:
    """Every citation resolves: it names a source and a chunk that was retrieved for it."""
    citations = ctx.output.get("citations") or []
    retrieved = {r.get("chunk_id") for r in ctx.output.get("retrieved") or []}
    bad = [
        c.get("chunk_id") or "?"
        for c in citations
        if not c.get("source")
        or not c.get("chunk_id")
        or (retrieved and c.get("chunk_id") not in retrieved)
    ]
    if not citations:
        return _result(check, True, "no citations", score=1.0)
    score = 1 - len(bad) / len(citations)
    return _result(check, not bad, f"unresolved: {bad}" if bad else "", score=score)


def _handoff(check: Check, ctx: ScoringContext) -> AssertionResult:
    got = bool(ctx.output.get("handoff"))
    return _result(check, got == bool(check.value), f"handoff={got}")


def _latency(check: Check, ctx: ScoringContext) -> AssertionResult:
    return _result(
        check,
        ctx.latency_ms <= float(check.value),
        f"{ctx.latency_ms:.0f} ms (max {float(check.value):.0f})",
    )


def _tokens(check: Check, ctx: ScoringContext) -> AssertionResult:
    total = sum(ctx.usage.values())
    return _result(check, total <= int(check.value), f"{total} tokens (max {check.value})")


def _cost(check: Check, ctx: ScoringContext) -> AssertionResult:
    return _result(
        check,
        ctx.cost_usd <= float(check.value),
        f"${ctx.cost_usd:.5f} (max ${float(check.value):.5f})",
    )


def _no_pii(check: Check, ctx: ScoringContext) -> AssertionResult:
    subject = as_text(ctx.output) if check.field is None else ctx.subject(check)
    found = find_pii(subject)
    return _result(check, not found, f"found {found[:3]}" if found else "")


def _reference(check: Check, ctx: ScoringContext) -> str:
    return str(check.value if check.value is not None else ctx.case.reference or "")


def _overlap(check: Check, ctx: ScoringContext) -> AssertionResult:
    f1 = token_overlap(ctx.subject(check), _reference(check, ctx))["f1"]
    threshold = check.threshold if check.threshold is not None else 0.3
    return _result(check, f1 >= threshold, f"token F1 {f1:.2f} (min {threshold})", score=f1)


def _similarity(check: Check, ctx: ScoringContext) -> AssertionResult:
    sim = ctx.similarity(ctx.subject(check), _reference(check, ctx)) if ctx.similarity else None
    if sim is None:
        return _result(check, None, "skipped: no embedder")
    threshold = check.threshold if check.threshold is not None else 0.6
    return _result(check, sim >= threshold, f"cosine {sim:.2f} (min {threshold})", score=sim)


def _judge(check: Check, ctx: ScoringContext) -> AssertionResult:
    if ctx.judge is None:
        return _result(check, None, "skipped: no LLM configured for the judge")
    score, reason = ctx.judge.grade(str(check.value), ctx.case.display_input, ctx.subject(check))
    threshold = check.threshold if check.threshold is not None else 0.75
    return _result(check, score >= threshold, f"{score:.2f}: {reason}", score=score)


def _draft_checks(check: Check, ctx: ScoringContext) -> AssertionResult:
    failed = [
        f"{c.get('rule')}: {c.get('detail', '')}"
        for c in ctx.output.get("checks") or []
        if not c.get("passed")
    ]
    return _result(check, not failed, "; ".join(failed)[:200])


CHECKS: dict[str, Callable[[Check, ScoringContext], AssertionResult]] = {
    "contains": _contains,
    "not-contains": _not_contains,
    "regex": _regex,
    "not-regex": lambda c, x: _regex(c, x, negate=True),
    "max-length": lambda c, x: _length(c, x, longest=True),
    "min-length": lambda c, x: _length(c, x, longest=False),
    "language": _language,
    "json-schema": _json_schema,
    "cites-source": _cites_source,
    "citation-validity": _citation_validity,
    "handoff": _handoff,
    "latency": _latency,
    "tokens": _tokens,
    "cost": _cost,
    "no-pii": _no_pii,
    "overlap": _overlap,
    "similarity": _similarity,
    "judge": _judge,
    "draft-checks": _draft_checks,
}


def run_check(check: Check, ctx: ScoringContext) -> AssertionResult:
    try:
        return CHECKS[check.type](check, ctx)
    except Exception as exc:  # a broken check is a failed check, with the reason
        return _result(check, False, f"check error: {type(exc).__name__}: {exc}")
