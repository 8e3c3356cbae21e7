"""Domain records shared by ingestion, retrieval, skills and analytics.

These are the boundary types: parsers produce them, the store persists them,
skills consume them. They carry no behaviour beyond validation.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Kind = Literal["playbook", "chat"]


def assume_utc(ts: datetime) -> datetime:
    """A time without a zone is UTC: the rule ChatMessage, the store and the API all follow."""
    return ts if ts.tzinfo is not None else ts.replace(tzinfo=UTC)


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
