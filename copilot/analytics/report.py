"""The community health report: what `compute_health` returns (JSON-friendly)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

# Activity suggestions rank on these exact names; keep them stable.
Signal = Literal[
    "many_silent_members",
    "unanswered_questions",
    "low_activity",
    "many_newcomers",
    "declining_activity",
    "high_activity",
]
SIGNAL_ORDER: tuple[Signal, ...] = (
    "many_silent_members",
    "unanswered_questions",
    "low_activity",
    "many_newcomers",
    "declining_activity",
    "high_activity",
)


Via = Literal["join_event", "first_message"]


class DayCount(BaseModel):
    date: date
    count: int


class MemberCount(BaseModel):
    member: str = Field(description="Display name (latest seen).")
    member_id: str = Field(description="author_id when known, else the display name.")
    messages: int


class ActiveMembers(BaseModel):
    count: int = 0
    top: list[MemberCount] = Field(default_factory=list, description="At most 10, busiest first.")


class SilentMember(BaseModel):
    member: str
    member_id: str
    last_active: datetime | None = Field(description="Last message; None if never posted.")


class NewMember(BaseModel):
    member: str
    member_id: str
    joined_at: datetime
    via: Via
    got_reply: bool
    first_reply_minutes: float | None = None


class QuestionItem(BaseModel):
    message_id: str
    channel: str
    author: str
    ts: datetime
    text: str = Field(description="First 200 characters.")
    answered: bool
    first_response_minutes: float | None = None


class HourCount(BaseModel):
    hour: int = Field(ge=0, le=23)
    count: int


class KeywordCount(BaseModel):
    keyword: str
    count: int = Field(description="Messages mentioning the keyword.")


class ActivityTrend(BaseModel):
    last_7_days: int = 0
    previous_7_days: int = 0
    ratio: float | None = Field(default=None, description="last / previous; None if previous is 0.")


class HealthReport(BaseModel):
    community: str = ""
    timezone: str
    period_start: datetime
    period_end: datetime
    total_messages: int = Field(description="Excludes service, bot and spam messages.")
    last_message_at: datetime | None = Field(
        None, description="Time of the newest counted message (up to period_end)."
    )
    spam_messages: int = 0
    senders: int = Field(
        0, description="Distinct senders in the period: admins and spam senders included."
    )
    members_total: int = Field(
        0, description="Known members (posted or joined, not left), excluding admins and bots."
    )
    messages_per_day: list[DayCount] = Field(default_factory=list)
    active_members: ActiveMembers = Field(default_factory=ActiveMembers)
    silent_members: list[SilentMember] = Field(default_factory=list)
    silent_ratio: float = 0.0
    new_members: list[NewMember] = Field(default_factory=list)
    question_count: int = 0
    unanswered_count: int = 0
    questions: list[QuestionItem] = Field(
        default_factory=list, description="Most recent 100 questions, oldest first."
    )
    unanswered_questions: list[QuestionItem] = Field(
        default_factory=list, description="Most recent 100 unanswered, oldest first."
    )
    median_first_response_minutes: float | None = None
    p90_first_response_minutes: float | None = None
    hourly_histogram: list[int] = Field(
        default_factory=lambda: [0] * 24, description="Messages per hour of day (community tz)."
    )
    peak_hours: list[HourCount] = Field(default_factory=list, description="Top 3 busy hours.")
    top_topics: list[KeywordCount] = Field(default_factory=list)
    activity_trend: ActivityTrend = Field(default_factory=ActivityTrend)
    signals: list[Signal] = Field(default_factory=list)
