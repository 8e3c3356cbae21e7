"""Per-skill scoring: turn a case's expectations into checks, run them, compute metrics.

Each case yields assertions (pass/fail with a reason) and metrics (numbers in reports and
the gate). `pass` is 1 when every non-skipped assertion passed; `assertions` is the share
that passed. Metric names are documented in evals/README.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from evals.metrics.assertions import ScoringContext, run_check
from evals.metrics.cost import cost_usd
from evals.metrics.judge import Judge
from evals.metrics.overlap import token_overlap
from evals.metrics.retrieval import retrieval_metrics
from evals.metrics.similarity import Similarity
from evals.metrics.text import contains, render_output
from evals.results import AssertionResult, CaseRun
from evals.schema import (
    AskCase,
    CaseBase,
    Check,
    DraftCase,
    ReplayCase,
    SuggestCase,
    Suite,
    SummarizeCase,
)

QUESTION_FIELDS = "summary.open_questions|summary.unanswered_questions|summary.faq_candidates"


def _common(suite: Suite, case: CaseBase) -> list[Check]:
    checks = [Check(type="contains", value=v) for v in case.must_contain]
    checks += [Check(type="not-contains", value=v) for v in case.must_not_contain]
    if case.max_length is not None:
        checks.append(Check(type="max-length", value=case.max_length))
    if case.min_length is not None:
        checks.append(Check(type="min-length", value=case.min_length))
    if case.language:
        checks.append(Check(type="language", value=case.language))
    if case.rubric:
        checks.append(Check(type="judge", value=case.rubric, name="judge"))
    d = suite.defaults
    if d.max_latency_ms is not None:
        checks.append(Check(type="latency", value=d.max_latency_ms, name="latency"))
    if d.max_tokens is not None:
        checks.append(Check(type="tokens", value=d.max_tokens, name="tokens"))
    if d.max_cost is not None:
        checks.append(Check(type="cost", value=d.max_cost, name="cost"))
    return checks + list(d.checks)


def _top_fields(n: int) -> str:
    return "|".join(f"suggestions.{i}.activity_id|suggestions.{i}.name" for i in range(n))


def compile_checks(suite: Suite, case: CaseBase) -> list[Check]:
    """The full list of checks for a case: skill shorthands + common limits + explicit `assert`."""
    checks: list[Check] = []
    if isinstance(case, AskCase):
        checks.append(Check(type="json-schema", value="answer", name="answer-contract"))
        if case.handoff is not None:
            checks.append(Check(type="handoff", value=case.handoff, name=f"handoff={case.handoff}"))
        if case.sources and case.handoff is not True:
            checks.append(Check(type="cites-source", value=case.sources, name="cites-expected"))
        checks.append(Check(type="citation-validity", name="citations-valid"))
    elif isinstance(case, DraftCase):
        if case.banned_words:
            checks.append(Check(type="not-contains", value=case.banned_words, name="banned-words"))
        if case.sources:
            checks.append(Check(type="cites-source", value=case.sources, name="grounded"))
        checks.append(Check(type="citation-validity", name="citations-valid"))
        if case.draft_checks:
            checks.append(Check(type="draft-checks", name="draft-rules"))
    elif isinstance(case, SummarizeCase):
        checks += [
            Check(type="contains", value=v, field="summary.decisions", name=f"decision:{_short(v)}")
            for v in case.decisions
        ]
        checks += [
            Check(
                type="contains",
                value=o,
                field="summary.decisions|summary.action_items",
                name=f"owner:{o}",
            )
            for o in case.owners
        ]
        checks += [
            Check(type="contains", value=q, field=QUESTION_FIELDS, name=f"question:{_short(q)}")
            for q in case.questions
        ]
        if case.no_pii:
            checks.append(Check(type="no-pii", name="no-personal-data"))
    elif isinstance(case, SuggestCase):
        top = _top_fields(case.top_n)
        checks += [
            Check(type="contains", value=a, field=top, name=f"suggests:{_short(a)}")
            for a in case.expect_activities
        ]
        checks += [
            Check(type="not-contains", value=a, field=top, name=f"excludes:{a}")
            for a in case.exclude_activities
        ]
    return checks + _common(suite, case) + list(case.checks)


def _short(v: str | list[str]) -> str:
    return (v[0] if isinstance(v, list) else v)[:24]


def replay_checks(
    case: ReplayCase, output: dict[str, Any]
) -> tuple[list[AssertionResult], dict[str, float]]:
    """One assertion per labelled message, plus answer precision/recall and abstain precision."""
    turns = {str(t.get("id")): t for t in output.get("turns") or []}
    results: list[AssertionResult] = []
    tp = fp = fn = tn = 0
    for mid, expect, must_contain in case.expectations():
        turn = turns.get(mid, {})
        answered = bool(turn.get("answered"))
        want = expect == "answer"
        tp += answered and want
        fp += answered and not want
        fn += want and not answered
        tn += not answered and not want
        ok = answered == want
        if not turn:
            detail = "message not found in the replay"
        else:
            silent_why = (
                f"handed off: {turn.get('answer', '')}"
                if turn.get("routed")
                else "the router did not pass it to the bot"
            )
            detail = "" if ok else (silent_why if want else f"answered: {turn.get('answer', '')}")
        results.append(
            AssertionResult(name=f"{expect}:{mid}", passed=ok, score=float(ok), detail=detail[:200])
        )
        if want and answered:
            for need in must_contain:
                hit = contains(str(turn.get("answer", "")), need)
                results.append(
                    AssertionResult(
                        name=f"reply:{mid}:{_short(need)}",
                        passed=hit,
                        score=float(hit),
                        detail="" if hit else f"missing {need!r}",
                    )
                )
    metrics: dict[str, float] = {}
    if tp + fp:
        metrics["answer_precision"] = tp / (tp + fp)
    if tp + fn:
        metrics["answer_recall"] = tp / (tp + fn)
    if tn + fn:
        metrics["abstain_precision"] = tn / (tn + fn)
    if tn + fp:
        metrics["abstain_recall"] = tn / (tn + fp)
    return results, metrics


@dataclass
class Scorer:
    similarity: Similarity | None = None
    judge: Judge | None = None

    def score(self, suite: Suite, case: CaseBase, run: CaseRun, model: str = "") -> CaseRun:
        """Fill `text`, `assertions` and `metrics` of a run in place (and return it)."""
        run.text = render_output(suite.skill, run.output)
        cost, _ = cost_usd(model or str(run.output.get("model", "offline")), run.usage)
        metrics: dict[str, float] = {
            "latency_ms": run.latency_ms,
            "tokens": float(sum(run.usage.values())),
            "cost_usd": cost,
            "error": 1.0 if run.error else 0.0,
        }
        if run.error:
            run.assertions = [
                AssertionResult(name="error", passed=False, score=0.0, detail=run.error[:300])
            ]
            run.metrics = {**metrics, "pass": 0.0, "assertions": 0.0}
            return run
        ctx = ScoringContext(
            skill=suite.skill,
            case=case,
            output=run.output,
            text=run.text,
            latency_ms=run.latency_ms,
            usage=run.usage,
            cost_usd=cost,
            similarity=self.similarity,
            judge=self.judge,
        )
        results = [run_check(c, ctx) for c in compile_checks(suite, case)]
        if isinstance(case, ReplayCase):
            extra, replay_metrics = replay_checks(case, run.output)
            results += extra
            metrics.update(replay_metrics)
        retrieved = [str(r.get("source", "")) for r in run.output.get("retrieved") or []]
        if isinstance(case, AskCase) and case.sources:
            metrics.update(retrieval_metrics(retrieved, case.sources, suite.k))
        if case.reference:
            metrics["overlap_f1"] = token_overlap(run.text, case.reference)["f1"]
            if self.similarity is not None:
                sim = self.similarity(run.text, case.reference)
                if sim is not None:
                    metrics["similarity"] = sim
        judged = [r for r in results if r.name == "judge" and r.score is not None]
        if judged:
            metrics["judge"] = judged[0].score or 0.0
        graded = [r for r in results if r.passed is not None]
        metrics["assertions"] = sum(bool(r.passed) for r in graded) / len(graded) if graded else 1.0
        metrics["pass"] = 1.0 if all(r.passed for r in graded) else 0.0
        run.assertions, run.metrics = results, metrics
        return run
