"""Output models of the answer, draft and suggest skills, and the provenance all outputs carry."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

Mode = Literal["offline", "llm", "offline-fallback"]


class Citation(BaseModel):
    source: str
    chunk_id: str
    score: float
    snippet: str


class ReplyDraft(BaseModel):
    """What the knowledge says closest to a handed-off question: a draft for the operator."""

    text: str = Field(description="As a member would read it: citation markers, language note.")
    editable: str = Field(description="The same words without markers or note, to edit and send.")
    citations: list[Citation]
    confidence: float = Field(description="The handoff gate's confidence; below its threshold.")


class RetrievedRef(BaseModel):
    """One entry of the ranked retrieval list (for evals' IR metrics)."""

    chunk_id: str
    source: str
    score: float


class Provenance(BaseModel):
    """What produced an output: the mode, prompt version and model, and the tokens spent."""

    mode: Mode = "offline"
    prompt: str = ""
    model: str = "offline"
    usage: dict[str, int] = Field(default_factory=dict)


class AnswerResult(Provenance):
    answer: str
    citations: list[Citation]
    confidence: float
    handoff: bool
    language: str
    retrieved: list[RetrievedRef] = Field(default_factory=list)
    answer_id: str = Field(default="", description="What feedback on this answer refers to.")


class AnswerOut(BaseModel):
    """The answer contract of DESIGN.md §4, plus what produced it."""

    answer: str
    citations: list[Citation]
    confidence: float
    handoff: bool = Field(description="True when the knowledge does not support an answer.")
    language: str
    mode: Mode = Field(description="offline, llm, or offline-fallback (the LLM failed).")
    prompt: str
    model: str
    answer_id: str = Field(
        default="", description="Rate this answer with POST /v1/communities/{id}/feedback."
    )


class Check(BaseModel):
    """One rule a draft was checked against (channel rules and the community profile)."""

    rule: str
    passed: bool
    detail: str = ""


class DraftFact(BaseModel):
    """A fact as it reads in the draft, with the number of the citation it comes from."""

    text: str
    citation: int = Field(ge=1)


class DraftResult(Provenance):
    text: str
    variants: list[str] = Field(description="All variants; variants[0] is `text`.")
    citations: list[Citation]
    facts: list[DraftFact] = Field(default_factory=list)
    checks: list[Check]
    kind: str
    channel: str
    language: str
    warnings: list[str] = Field(default_factory=list)


class PlanStep(BaseModel):
    date: date
    step: str


class Suggestion(BaseModel):
    activity_id: str
    name: str
    score: float
    rationale: str = Field(description="Why this activity, tied to the measured numbers.")
    pitch: str = Field(description="One paragraph an operator can paste (LLM-polished or not).")
    goal: str
    effort: str
    start: date
    plan: list[PlanStep]
    kpis: list[str]
    materials: list[str]
    signals_matched: list[str]
    score_breakdown: dict[str, float]
    sources: list[str] = Field(default_factory=list, description="Playbook passages behind it.")


class HealthNumbers(BaseModel):
    """The health numbers the ranking used (None when there is no chat history)."""

    as_of: datetime | None = None
    members: int = 0
    silent_members: int = 0
    silent_ratio: float = 0.0
    unanswered_questions: int = 0
    messages_per_day: float = 0.0
    new_members: int = 0
    last_7_days: int = 0
    previous_7_days: int = 0
    signals: list[str] = Field(default_factory=list)


class UpcomingHoliday(BaseModel):
    id: str
    name: str
    date: date
    days_until: int


class SuggestResult(Provenance):
    suggestions: list[Suggestion]
    health: HealthNumbers
    today: date
    upcoming: list[UpcomingHoliday] = Field(default_factory=list)
    community_type: str
    goals: list[str] = Field(default_factory=list)
    language: str
    notes: list[str] = Field(default_factory=list)
