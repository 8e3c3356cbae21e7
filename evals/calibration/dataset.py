"""Training rows for the answer models, from running the real engine on eval communities.

- unit rows: every answer unit the retriever scored for an answerable question, labelled with
  the share of the question's expected facts it holds (soft label);
- question rows: the answerability features of each question with the answer the engine gave
  when forced to answer, labelled right (all expected facts present) or not (an unanswerable
  question, or facts missing); and labelled grounded when the passages retrieved for it (what
  an LLM would read) hold every expected fact.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from copilot.retrieval.hybrid import RERANK_POOL
from copilot.retrieval.models import AnswerModels
from copilot.service import Copilot
from evals.calibration.outcomes import has_facts
from evals.communities import EvalCommunity, community_id, prepared
from evals.metrics.text import contains
from evals.schema import AskCase


@dataclass(frozen=True)
class UnitRow:
    community: str
    case: str
    features: dict[str, float]
    target: float


@dataclass(frozen=True)
class QuestionRow:
    community: str
    case: str
    features: dict[str, float]
    answerable: bool
    correct: bool  # the forced answer holds every expected fact
    grounded: bool = False  # the retrieved passages hold every expected fact


def unit_rows(community: EvalCommunity, copilot: Copilot) -> list[UnitRow]:
    cid = community_id(community)
    rows: list[UnitRow] = []
    for case in community.cases:
        if case.handoff is not False or not case.must_contain:
            continue
        retrieval = copilot.retriever.search(cid, case.question, top_k=RERANK_POOL)
        assert retrieval.evidence is not None
        for scored in retrieval.evidence.units:
            unit = retrieval.chunks[scored.chunk].units[scored.unit]
            share = _share(unit.text + " " + unit.lead, case)
            rows.append(UnitRow(community.id, case.id, scored.features, share))
    return rows


def _share(text: str, case: AskCase) -> float:
    return sum(contains(text, need) for need in case.must_contain) / len(case.must_contain)


def question_rows(community: EvalCommunity, copilot: Copilot) -> list[QuestionRow]:
    """Ask every question with handoffs off, so each gets the answer the engine would give."""
    cid = community_id(community)
    rows: list[QuestionRow] = []
    for case in community.cases:
        retrieval = copilot.retriever.search(cid, case.question)
        result = copilot.ask(cid, case.question)
        assert retrieval.evidence is not None
        answerable = case.handoff is False
        correct = answerable and not result.handoff and has_facts(result.answer, case)
        passages = "\n".join(c.text for c in retrieval.chunks)
        grounded = answerable and has_facts(passages, case)
        features = retrieval.evidence.features
        rows.append(QuestionRow(community.id, case.id, features, answerable, correct, grounded))
    return rows


def engine(community: EvalCommunity, data_root: Path, models: AnswerModels) -> Copilot:
    """The community's copilot with `models` installed and handoffs switched off."""
    copilot = prepared(community, data_root, handoff_threshold=0.0)
    copilot.retriever.models = models
    return copilot
