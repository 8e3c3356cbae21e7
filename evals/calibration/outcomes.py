"""Judge one answer against its case: right, wrong, a correct handoff, or a missed answer."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from evals.metrics.text import contains
from evals.schema import AskCase

Verdict = Literal["answered", "handed_off", "wrong", "missed", "wrongly_answered"]


@dataclass(frozen=True)
class Outcome:
    case: AskCase
    verdict: Verdict
    confidence: float
    hit3: bool | None  # None when the case names no source (handoff cases)
    answer: str

    @property
    def right(self) -> bool:
        return self.verdict in ("answered", "handed_off")


def has_facts(text: str, case: AskCase) -> bool:
    return bool(case.must_contain) and all(contains(text, need) for need in case.must_contain)


def judge(case: AskCase, result: Any) -> Outcome:
    """`answered`: facts present; `wrong`: answered without them; `missed`: handed off an
    answerable one; `handed_off`: correct handoff; `wrongly_answered`: should have handed off."""
    answerable = case.handoff is False
    if result.handoff:
        verdict: Verdict = "missed" if answerable else "handed_off"
    elif not answerable:
        verdict = "wrongly_answered"
    else:
        verdict = "answered" if has_facts(result.answer, case) else "wrong"
    hit3 = None
    if case.sources:
        wanted = {Path(s).name for s in case.sources}
        hit3 = any(Path(r.source).name in wanted for r in result.retrieved[:3])
    return Outcome(case, verdict, result.confidence, hit3, result.answer)
