"""The summarize skill: what happened in a window of group chat, offline facts plus the LLM."""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from copilot.models import Moment
from copilot.skills.registry import SkillSpec
from copilot.skills.results import SummaryResult
from copilot.skills.summarize.skill import SummarizePorts, summarize_messages


class SummaryIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    since: Moment | None = Field(default=None, description="Start (inclusive); UTC if no zone.")
    until: Moment | None = Field(default=None, description="End (exclusive); UTC if no zone.")
    channel: str | None = Field(default=None, max_length=256)
    language: Literal["zh", "zh-hant", "en"] | None = Field(
        default=None, description="Default: the chat's (zh-hant when the profile says so)."
    )


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
