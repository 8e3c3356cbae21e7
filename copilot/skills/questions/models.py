"""What the question queue holds and returns."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from copilot.skills.results import ReplyDraft

Status = Literal["open", "answered", "dismissed"]
Reason = Literal["handoff", "chat", "feedback"]
STATUSES: tuple[Status, ...] = ("open", "answered", "dismissed")


class Origin(BaseModel):
    """Where a question was asked. ``channel`` is api, cli, openai or a chat platform."""

    channel: str = "api"
    asker: str = Field(default="", description="A pseudonym or user id, never a phone number.")
    chat_id: str = ""
    thread_id: str = ""
    message_id: str = ""
    message: dict[str, Any] = Field(
        default_factory=dict, description="The redacted inbound message, to post the answer back."
    )


class Place(BaseModel):
    """One asking of an item, as operators see it."""

    asker: str
    channel: str
    chat_id: str = ""
    thread_id: str = ""
    asked_at: datetime
    text: str


class QuestionItem(BaseModel):
    id: str
    question: str
    count: int
    status: Status
    reason: Reason
    first_asked: datetime
    last_asked: datetime
    answer: str = ""
    answered_by: str = ""
    answered_at: datetime | None = None
    downvotes: int = 0
    askers: list[str] = Field(default_factory=list)
    asked_in: list[Place] = Field(default_factory=list)
    suggested: ReplyDraft | None = Field(
        default=None,
        description="For one open item: what the knowledge says closest to it, cited, to check "
        "and edit before answering (never sent by itself).",
    )
