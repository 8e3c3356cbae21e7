"""Score operator outputs against an evaluation community's `outputs.yaml`.

Pure functions of (expected case, skill result): the runner calls the real skills, the drafts
and suggestions work calls `score_draft` / `score_suggestions` on its own results. A case passes
when every one of its checks passes; each failed check says what was missing or wrongly there.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, Field

from copilot.analytics.report import HealthReport
from copilot.skills.results import DraftResult, SuggestResult, SummaryResult
from copilot.text import split_sentences, tokenize
from evals.metrics.text import contains, fold, text_language
from evals.outputs.cases import DraftCase, Fact, StatsCase, SuggestionsSpec, SummaryCase

Kind = Literal["drafts", "summaries", "stats", "suggestions"]
KINDS: tuple[Kind, ...] = ("drafts", "summaries", "stats", "suggestions")


class CheckResult(BaseModel):
    name: str
    passed: bool
    detail: str = Field(
        default="", description="What was missing or wrongly there (empty on a pass)."
    )


class CaseScore(BaseModel):
    community: str
    split: str
    kind: Kind
    id: str
    checks: list[CheckResult] = Field(default_factory=list)
    error: str = ""
    output: str = Field(default="", description="The text an operator would read (for the report).")

    @property
    def passed(self) -> bool:
        return not self.error and all(c.passed for c in self.checks)


def show(fact: Fact) -> str:
    return "|".join(fact) if isinstance(fact, list) else fact


def _present(name: str, text: str, facts: Iterable[Fact]) -> CheckResult:
    missing = [show(f) for f in facts if not contains(text, f)]
    return CheckResult(name=name, passed=not missing, detail="missing: " + "; ".join(missing))


def _absent(name: str, text: str, needles: Iterable[str]) -> CheckResult:
    found = [n for n in needles if n and _has_word(text, n)]
    return CheckResult(name=name, passed=not found, detail="present: " + "; ".join(found))


def _has_word(text: str, needle: str) -> bool:
    """Folded containment where a Latin letter or digit at the needle's edge must not run on
    into the text: the forbidden "Room A" is not in "the electronics room at the back"."""
    hay, want = fold(text), fold(needle)
    start = r"(?<![a-z0-9])" if want[:1].isascii() and want[:1].isalnum() else ""
    end = r"(?![a-z0-9])" if want[-1:].isascii() and want[-1:].isalnum() else ""
    return re.search(start + re.escape(want) + end, hay) is not None


def _language(expected: str | None, text: str) -> list[CheckResult]:
    if not expected:
        return []
    want = "zh" if expected.startswith("zh") else expected
    got = text_language(text)
    return [CheckResult(name="language", passed=got == want, detail=f"{got}, not {want}")]


def _strings(value: Any) -> Iterable[str]:
    """Every human-readable string in a dumped model (ids left out)."""
    if isinstance(value, dict):
        for key, item in value.items():
            if not key.endswith("_id") and key != "message_ids":
                yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, str):
        yield value


def _day_forms(day: date | None) -> str:
    """A resolved date in the ways expectations write it (11月13日, 11/13, November 13)."""
    if day is None:
        return ""
    return f" {day.month}月{day.day}日 {day.month}/{day.day} {day:%B} {day.day} "


# ---- drafts -------------------------------------------------------------------------------


def score_draft(case: DraftCase, result: DraftResult) -> list[CheckResult]:
    """Every expected fact in the draft (first variant), none of the forbidden ones, as members
    read it: a Telegram draft is HTML parse mode, so "Ohm &amp; Wheel" shows as "Ohm & Wheel"."""
    text = html.unescape(result.text)
    checks = [_present("must_contain", text, case.must_contain)]
    checks.append(_absent("must_not_contain", text, case.must_not_contain))
    return checks + _language(case.language, text)


# ---- summaries ----------------------------------------------------------------------------


def _same_person(found: str | None, expected: str) -> bool:
    """'助教-阿周' matches an owner written '阿周' or '@助教-阿周' (and the reverse)."""
    if not found:
        return False
    a, b = fold(found).lstrip("@"), fold(expected).lstrip("@")
    return len(min(a, b, key=len)) >= 2 and (a in b or b in a)


def score_summary(case: SummaryCase, result: SummaryResult) -> list[CheckResult]:
    s = result.summary
    decisions = [" ".join(_strings(d.model_dump(mode="json"))) for d in s.decisions]
    listed = [q.text for q in [*s.open_questions, *s.unanswered_questions]]
    dated = [(a.owner, f"{a.task} {a.due or ''}{_day_forms(a.due_on)}") for a in s.action_items] + [
        (d.owner, f"{d.text} {d.date or ''}{_day_forms(d.on)}") for d in s.decisions
    ]
    checks: list[CheckResult] = []
    if case.decisions:
        missing = [show(f) for f in case.decisions if not any(contains(d, f) for d in decisions)]
        checks.append(
            CheckResult(
                name="decisions", passed=not missing, detail="missing: " + "; ".join(missing)
            )
        )
    elif "decisions" in case.model_fields_set:  # `decisions: []`: the group decided nothing
        checks.append(
            CheckResult(
                name="no_decisions",
                passed=not s.decisions,
                detail="listed: " + "; ".join(d.text[:40] for d in s.decisions),
            )
        )
    if case.decision_details:
        checks.append(_present("decision_details", "\n".join(decisions), case.decision_details))
    if case.owners:
        owners = [a.owner for a in s.action_items] + [d.owner for d in s.decisions]
        missing = [o for o in case.owners if not any(_same_person(f, o) for f in owners)]
        checks.append(
            CheckResult(name="owners", passed=not missing, detail="missing: " + "; ".join(missing))
        )
    if case.owner_dates:
        missing = [
            f"{od.owner} by {'|'.join(od.due)}"
            for od in case.owner_dates
            if not any(_same_person(owner, od.owner) and contains(t, od.due) for owner, t in dated)
        ]
        checks.append(
            CheckResult(
                name="owner_dates", passed=not missing, detail="missing: " + "; ".join(missing)
            )
        )
    if case.questions:
        missing = [show(f) for f in case.questions if not any(contains(q, f) for q in listed)]
        checks.append(
            CheckResult(
                name="open_questions", passed=not missing, detail="missing: " + "; ".join(missing)
            )
        )
    if case.answered:
        wrong = [show(f) for f in case.answered if any(contains(q, f) for q in listed)]
        checks.append(
            CheckResult(
                name="answered_not_open",
                passed=not wrong,
                detail="listed as open: " + "; ".join(wrong),
            )
        )
    everything = "\n".join([result.markdown, *_strings(s.model_dump(mode="json"))])
    checks.append(_absent("must_not_contain", everything, case.must_not_contain))
    return checks + _language(case.language, result.markdown)


# ---- stats --------------------------------------------------------------------------------


def stats_numbers(report: HealthReport) -> dict[str, int]:
    """The report's numbers under the names of the hand counts."""
    return {
        "messages": report.total_messages + report.spam_messages,
        "members": report.senders,
        "spam": report.spam_messages,
        "questions": report.question_count,
        "unanswered": report.unanswered_count,
    }


def score_stats(case: StatsCase, report: HealthReport) -> list[CheckResult]:
    got = stats_numbers(report)
    checks = []
    for name, value in got.items():
        expected = getattr(case, name)
        if expected is None:
            continue
        checks.append(
            CheckResult(
                name=name,
                passed=abs(value - expected) <= case.tolerance,
                detail=f"{value}, hand count {expected}",
            )
        )
    return checks


# ---- suggestions --------------------------------------------------------------------------

_EXISTING = re.compile(
    r"已有|现有|已经在|延续|升级|加强|扩展|\bextend|\bexisting\b|\balready\b", re.I
)
# When and how much: days of the month, weekdays, clock times, prices (not KPI shares or counts).
_NUMBERISH = re.compile(
    r"\d{1,2}\s*(?:号|日)|\d{1,2}\s*月|[周星期礼拜][一二三四五六日天]|\d{1,2}\s*[:：]\s*\d{2}"
    r"|\d{1,2}\s*点|\d+(?:\.\d+)?\s*(?:元|块)|[$¥]\s*\d+"
    r"|\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b",
    re.I,
)


def _proposes(suggestion_text: str, activity: str) -> bool:
    """The suggestion names an activity the community runs, without saying it already does."""
    return contains(suggestion_text, activity) and not _EXISTING.search(suggestion_text)


def _contradiction(rule: str, text: str) -> str | None:
    """A sentence on the rule's subject that states a number or day the rule does not.

    Heuristic: the subject is the rule's first two content words ("积分兑换只在每月1号到3号开放"
    → 积分, 兑换); a sentence naming both with a different number/day contradicts the rule.
    """
    subject = [t for t in tokenize(rule) if not _NUMBERISH.fullmatch(t) and len(t) >= 2][:2]
    if len(subject) < 2:
        return None
    allowed = {fold(m.group(0)).replace(" ", "") for m in _NUMBERISH.finditer(rule)}
    for sentence in split_sentences(text):
        if not all(contains(sentence, w) for w in subject):
            continue
        stated = {fold(m.group(0)).replace(" ", "") for m in _NUMBERISH.finditer(sentence)}
        if stated - allowed:
            return sentence.strip()[:80]
    return None


def score_suggestions(spec: SuggestionsSpec, result: SuggestResult) -> list[CheckResult]:
    texts = [
        " ".join([s.name, s.pitch, s.rationale, *(p.step for p in s.plan)])
        for s in result.suggestions
    ]
    repeated = [
        f"{s.name} ({activity})"
        for s, body in zip(result.suggestions, texts, strict=True)
        for activity in spec.runs_already
        if _proposes(f"{s.name} {s.pitch}", activity)
    ]
    broken = [
        f"{rule} ← {hit}"
        for rule in spec.rules
        for body in texts
        if (hit := _contradiction(rule, body))
    ]
    return [
        CheckResult(
            name="not_already_run", passed=not repeated, detail="proposed: " + "; ".join(repeated)
        ),
        CheckResult(name="keeps_rules", passed=not broken, detail="; ".join(broken)),
        _absent("must_not_contain", "\n".join(texts), spec.must_not_contain),
        CheckResult(name="has_suggestions", passed=bool(texts), detail="no suggestion"),
    ]


__all__ = [
    "KINDS",
    "CaseScore",
    "CheckResult",
    "Kind",
    "score_draft",
    "score_stats",
    "score_suggestions",
    "score_summary",
    "stats_numbers",
]
