"""The summarize skill: what happened in a window of group chat, offline facts plus the LLM."""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from copilot.models import assume_utc
from copilot.skills.registry import SkillSpec
from copilot.skills.results import SummaryResult
from copilot.skills.summarize.skill import SummarizePorts, summarize_messages


class SummaryIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    since: datetime | None = Field(default=None, description="Start (inclusive); UTC if no zone.")
    until: datetime | None = Field(default=None, description="End (exclusive); UTC if no zone.")
    channel: str | None = Field(default=None, max_length=256)
    language: Literal["zh", "en"] | None = Field(default=None, description="Default: detected.")

    @field_validator("since", "until")
    @classmethod
    def _utc_when_no_zone(cls, moment: datetime | None) -> datetime | None:
        # Chat exports store UTC; a naive time must not be read as the server's local time.
        return None if moment is None else assume_utc(moment)


SKILL = SkillSpec(
    name="summarize",
    summary="Topics, decisions, action items, open questions and mood of the chat in a window.",
    prompt="summarize",
    role="operator",
    path="summaries",
    request=SummaryIn,
    response=SummaryResult,
)

__all__ = ["SKILL", "SummarizePorts", "SummaryIn", "summarize_messages"]
