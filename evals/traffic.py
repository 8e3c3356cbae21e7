"""A suite from a community's own traffic: the questions its operators answered (expected: the
facts of their answer, no handoff) and the answers members rated (👍: keep answering so; 👎
with no answer since: hand off instead), so a team's eval set grows from its community.

The operators' answers are written next to the suite as a playbook (``NAME.answers.md``) that
the suite ingests, with the knowledge paths given (the community's playbooks and chat), so the
eval runs anywhere: does the engine answer from what the operators wrote?
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select

from copilot.skills.faq import list_entries
from copilot.skills.questions import list_items
from copilot.store.db import Database
from copilot.store.question_tables import AnswerFeedbackRow, AnswerLogRow
from copilot.text import detect_language, tokenize

MAX_ASKINGS = 5  # wordings per answered item
_FACT = re.compile(
    r"\d+(?:[:：.]\d+)?\s*(?:元|块|天|小时|分钟|点半?|号|人|次|个|%|am|pm|days?|hours?|minutes?)?",
    re.IGNORECASE,
)


def expected_facts(answer: str, limit: int = 3) -> list[str]:
    """What an answer must keep: its numbers and times, else its longest content words."""
    facts = list(dict.fromkeys(m.group(0).strip() for m in _FACT.finditer(answer)))
    if not facts:
        words = sorted(set(tokenize(answer)), key=lambda w: (-len(w), w))
        facts = [w for w in words if len(w) >= 2]
    return [f for f in facts if f][:limit]


def traffic_cases(db: Database, community: str) -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = []
    answered_ids: set[str] = set()
    for item in list_items(db, community, "answered"):
        answered_ids.add(item.id)
        wordings = list(dict.fromkeys([item.question, *(p.text for p in item.asked_in)]))
        for n, question in enumerate(wordings[:MAX_ASKINGS], 1):
            cases.append(
                _case(f"{item.id}-{n}", question, item.answer, handoff=False, tag="answered")
            )
    ratings = select(AnswerFeedbackRow.answer_id, AnswerFeedbackRow.rating).where(
        AnswerFeedbackRow.community == community
    )
    with db.session() as s:
        latest = dict(s.execute(ratings.order_by(AnswerFeedbackRow.id)).tuples().all())
        logged = {
            r.id: r
            for r in s.scalars(
                select(AnswerLogRow).where(
                    AnswerLogRow.community == community, AnswerLogRow.id.in_(list(latest))
                )
            )
        }
    for answer_id, rating in sorted(latest.items()):
        row = logged.get(answer_id)
        if row is None or row.question_id in answered_ids:
            continue  # the operator's answer is the expectation now
        if rating == "up" and not row.handoff:
            cases.append(_case(answer_id, row.question, row.answer, handoff=False, tag="rated-up"))
        elif rating == "down" and not row.handoff:
            cases.append(_case(answer_id, row.question, "", handoff=True, tag="rated-down"))
    return cases


def _case(case_id: str, question: str, answer: str, *, handoff: bool, tag: str) -> dict[str, Any]:
    language = "en" if detect_language(question) == "en" else "zh"
    case: dict[str, Any] = {"id": case_id, "question": question, "language": language}
    if answer:
        case["must_contain"] = expected_facts(answer)
        case["reference"] = answer
    case["handoff"] = handoff
    case["tags"] = ["traffic", tag]
    return case


def export_suite(db: Database, community: str, out: Path, knowledge: Sequence[Path] = ()) -> int:
    """Write the traffic suite of ``community`` to ``out`` (and the operators' answers beside
    it); returns how many cases."""
    cases = traffic_cases(db, community)
    if not cases:
        return 0
    answers = out.with_suffix(".answers.md")
    entries = list_entries(db, community, "approved")
    out.parent.mkdir(parents=True, exist_ok=True)
    answers.write_text(
        f"# {community}: answers by its operators\n\n"
        + "\n\n".join(f"## {e.question}\n{e.answer}" for e in entries)
        + "\n",
        encoding="utf-8",
    )
    suite = {
        "suite": f"traffic-{community}",
        "skill": "ask",
        "community": community,
        "description": f"Questions from {community}'s own traffic: answered by operators, rated",
        "knowledge": [
            {"path": str(answers.resolve()), "kind": "playbook"},
            *({"path": str(Path(k).resolve())} for k in knowledge),
        ],
        "cases": cases,
    }
    header = (
        "# Exported from the question queue and answer ratings (copilot eval --export-queue).\n"
    )
    out.write_text(
        header + yaml.safe_dump(suite, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return len(cases)
