"""The answer skill: a member's question answered from the community's knowledge, or handed off."""

from pydantic import BaseModel, ConfigDict, Field

from copilot.skills.answer.skill import HANDOFF, AnswerPorts, answer_question, suggest_reply
from copilot.skills.registry import SkillSpec
from copilot.skills.results import AnswerOut


class AskIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: str = Field(
        description="The member's question (limit: COPILOT_MAX_QUESTION_CHARS).",
        examples=["积分可以用来做什么？"],
    )
    top_k: int | None = Field(default=None, ge=1, le=20, description="Passages to retrieve.")


SKILL = SkillSpec(
    name="ask",
    summary="Answer from the community's knowledge with sources, or hand off to a moderator.",
    prompt="answer",
    role="member",
    path="ask",
    request=AskIn,
    response=AnswerOut,
    streamable=False,
)

__all__ = ["HANDOFF", "SKILL", "AnswerPorts", "AskIn", "answer_question", "suggest_reply"]
