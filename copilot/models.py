"""Domain records shared by ingestion, retrieval, skills and analytics.

These are the boundary types: parsers produce them, the store persists them,
skills consume them. They carry no behaviour beyond validation.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

Kind = Literal["playbook", "chat"]


def assume_utc(ts: datetime) -> datetime:
    """A time without a zone is UTC: the rule ChatMessage, the store and the API all follow."""
    return ts if ts.tzinfo is not None else ts.replace(tzinfo=UTC)


# What calendar arithmetic here can hold (a week back, a zone shift, a year of days): years
# 1 and 9999 overflow as soon as a day or a zone is added, and nothing real is that far out.
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(2200, 1, 1, tzinfo=UTC)
_RANGE = f"between {EARLIEST:%Y-%m-%d} and {LATEST - timedelta(days=1):%Y-%m-%d}"


def in_calendar(ts: datetime) -> datetime:
    """``ts`` as an aware UTC time (UTC when it has no zone); ValueError when it is out of range."""
    try:
        utc = assume_utc(ts).astimezone(UTC)
    except (OverflowError, ValueError):
        utc = EARLIEST - timedelta(days=1)  # +14:00 on 0001-01-01 is before year 1 in UTC
    if not EARLIEST <= utc < LATEST:
        raise ValueError(f"{ts.isoformat()} is out of range: use a time {_RANGE}")
    return utc


def date_in_calendar(day: date) -> date:
    """``day`` unchanged; ValueError when it is out of the supported range."""
    if not EARLIEST.date() <= day < LATEST.date():
        raise ValueError(f"{day.isoformat()} is out of range: use a date {_RANGE}")
    return day


# Boundary types: pydantic answers an out-of-range value with a 422 naming the field.
Moment = Annotated[datetime, AfterValidator(in_calendar)]
CalendarDate = Annotated[date, AfterValidator(date_in_calendar)]


class ChatMessage(BaseModel):
    """One normalized chat message, whatever platform or export it came from."""

    model_config = ConfigDict(frozen=True)

    id: str = Field(description="Message id, unique within (community, channel).")
    community: str
    channel: str = "default"
    author: str = Field(description="Display name of the sender.")
    author_id: str | None = None
    ts: datetime = Field(description="Timezone-aware send time (UTC when the source has no zone).")
    text: str
    reply_to: str | None = Field(default=None, description="Id of the message it replies to.")
    thread: str | None = Field(default=None, description="Thread or topic id, if any.")
    is_service: bool = Field(
        default=False, description="Join/leave/pin notices and other non-conversation events."
    )
    is_bot: bool = Field(
        default=False, description="Posted by an app or integration, as the export marks it."
    )
    source: str = Field(default="", description="File or connector the message came from.")


class Chunk(BaseModel):
    """A retrievable passage of knowledge, keyed by the hash of its content."""

    model_config = ConfigDict(frozen=True)

    id: str
    community: str
    source: str = Field(description="Human-readable origin: file path or 'chat:<channel>'.")
    kind: Kind
    text: str
    heading: str = ""
    position: int = 0
    metadata: dict[str, str | int | float | bool] = Field(default_factory=dict)
