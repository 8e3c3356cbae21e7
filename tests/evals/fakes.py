"""A deterministic fake target for harness tests: it reads the case's expectations and produces
an output that meets them, unless the variant is the deliberately worse one."""

from __future__ import annotations

import threading
from typing import Any

from evals.results import Variant
from evals.schema import (
    AskCase,
    CaseBase,
    DraftCase,
    ReplayCase,
    SuggestCase,
    Suite,
    SummarizeCase,
)
from evals.targets import TargetOutput

DISTRACTOR = "knowledge/unrelated.md"


def _first(v: str | list[str]) -> str:
    return v[0] if isinstance(v, list) else v


def is_worse(variant: Variant) -> bool:
    """The bad variants: prompt answer@bad, or retrieval with top_k=1."""
    return variant.prompts.get("answer") == "answer@bad" or variant.settings.get("top_k") == 1


class FakeTarget:
    name = "fake"

    def __init__(self) -> None:
        self.calls = 0
        self.prepared: list[tuple[str, str]] = []
        self.seen: list[tuple[str, str]] = []  # (variant label, case id) actually run
        self._lock = threading.Lock()

    def validate(self, variant: Variant) -> None:
        if "bogus" in variant.settings:
            raise ValueError(f"variant {variant.label}: unknown settings ['bogus']")

    def cache_enabled(self, variant: Variant) -> bool:
        return variant.settings.get("llm_provider") == "openai"

    def describe(self, variant: Variant, suite: Suite) -> dict[str, Any]:
        return {"settings": variant.settings, "prompt": variant.prompt_for(suite.skill) or "v1"}

    def prepare(self, variant: Variant, suite: Suite) -> None:
        with self._lock:
            self.prepared.append((variant.id, suite.name))

    def run(self, variant: Variant, suite: Suite, case: CaseBase) -> TargetOutput:
        with self._lock:
            self.calls += 1
            self.seen.append((variant.label, case.id))
        worse = is_worse(variant)
        llm = variant.settings.get("llm_provider") == "openai"
        usage = {"prompt_tokens": 300, "completion_tokens": 60} if llm else {}
        model = "gpt-4o-mini" if llm else "offline"
        output = self._output(suite, case, worse)
        output.update(
            mode="llm" if llm else "offline",
            model=model,
            prompt=variant.prompt_for(suite.skill) or "",
            usage=usage,
        )
        latency = 40.0 + 5 * len(case.id) + (30 if worse else 0)
        return TargetOutput(output=output, latency_ms=latency, usage=usage, model=model)

    def close(self) -> None:
        pass

    # ---- outputs ---------------------------------------------------------------------------

    def _output(self, suite: Suite, case: CaseBase, worse: bool) -> dict[str, Any]:
        if isinstance(case, AskCase):
            return self._ask(case, worse)
        if isinstance(case, DraftCase):
            words = " ".join(_first(v) for v in case.must_contain)
            return {
                "text": f"{case.topic} {words}".strip(),
                "kind": case.kind,
                "channel": case.channel,
                "checks": [{"rule": "length", "passed": True, "detail": ""}],
                "citations": [_citation(s) for s in case.sources],
            }
        if isinstance(case, SummarizeCase):
            owners = case.owners or [""]
            decisions = [
                {"text": _first(d), "date": None, "place": None, "owner": owners[i % len(owners)]}
                for i, d in enumerate(case.decisions)
            ]
            questions = [_first(q) for q in case.questions]
            summary = {
                "topics": [],
                "decisions": decisions,
                "action_items": [
                    {"task": "follow up", "owner": o, "due": None} for o in case.owners
                ],
                "open_questions": questions,
                "unanswered_questions": [],
                "faq_candidates": [],
                "mood": "positive",
            }
            md = "## Decisions\n" + "\n".join(f"- {d['text']}" for d in decisions)
            return {"summary": summary, "markdown": md}
        if isinstance(case, SuggestCase):
            return {
                "suggestions": [
                    {
                        "activity_id": a,
                        "name": a,
                        "score": 0.9,
                        "rationale": "fits",
                        "plan": [],
                        "kpis": [],
                    }
                    for a in case.expect_activities
                ]
            }
        if isinstance(case, ReplayCase):
            turns = []
            for mid, expect, need in case.expectations():
                answered = expect == "answer"
                turns.append(
                    {
                        "id": mid,
                        "routed": answered,
                        "answered": answered,
                        "answer": " ".join(_first(n) for n in need) or "ok",
                    }
                )
            return {"turns": turns}
        raise TypeError(type(case).__name__)

    def _ask(self, case: AskCase, worse: bool) -> dict[str, Any]:
        handoff = bool(case.handoff)
        if handoff:
            answer = (
                "抱歉，资料里没有找到答案，已请管理员协助。"
                if case.language == "zh"
                else "Sorry, I could not find this; I have asked a moderator."
            )
            return {
                "answer": answer,
                "citations": [],
                "confidence": 0.1,
                "handoff": True,
                "language": case.language or "en",
                "retrieved": [{"chunk_id": "c:x", "source": DISTRACTOR, "score": 0.1}],
            }
        sources = [] if worse else list(case.sources)
        words = [] if worse else [_first(v) for v in case.must_contain]
        base = "根据群规：" if case.language == "zh" else "According to the playbook: "
        answer = base + " ".join(words) + (" [1]" if sources else "")
        retrieved = [{"chunk_id": f"c:{s}", "source": s, "score": 0.9} for s in sources]
        retrieved += [{"chunk_id": "c:x", "source": DISTRACTOR, "score": 0.2}]
        if worse:  # relevant sources pushed down the ranking
            retrieved += [{"chunk_id": f"c:{s}", "source": s, "score": 0.1} for s in case.sources]
        return {
            "answer": answer,
            "citations": [_citation(s) for s in sources],
            "confidence": 0.9,
            "handoff": False,
            "language": case.language or "en",
            "retrieved": retrieved,
        }


def _citation(source: str) -> dict[str, Any]:
    return {"source": source, "chunk_id": f"c:{source}", "score": 0.9, "snippet": "..."}
