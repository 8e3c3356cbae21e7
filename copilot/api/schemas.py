"""Request and response bodies. Response models decide what leaves the server."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from copilot.errors import check_source_name
from copilot.keys import Role
from copilot.models import Moment, assume_utc


class UploadOut(BaseModel):
    source: str = Field(description="The document's name; use it to delete the document.")
    outcome: Literal["added", "updated", "unchanged"]
    kind: Literal["playbook", "chat"]
    chunks: int
    messages: int = Field(description="New chat messages stored (chat exports only).")


class DocumentOut(BaseModel):
    source: str
    kind: str
    chunks: int
    messages: int
    status: str
    ingested_at: datetime = Field(description="When it was indexed, in UTC.")

    @field_validator("ingested_at")
    @classmethod
    def _in_utc(cls, ts: datetime) -> datetime:
        return assume_utc(ts)  # SQLite hands back UTC times without their zone


class MessageIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1, max_length=128)
    channel: str = Field(default="default", min_length=1, max_length=256)
    author: str = Field(min_length=1, max_length=256)
    author_id: str | None = Field(default=None, max_length=256)
    ts: Moment = Field(description="Send time; UTC when no zone is given.")
    text: str = Field(max_length=20_000)
    reply_to: str | None = Field(default=None, max_length=128)
    thread: str | None = Field(default=None, max_length=128)


class MessagesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    source: str = Field(
        min_length=1,
        max_length=256,
        description=(
            "Names this batch; sending the same source again replaces what it indexed. "
            "Visible characters only (no control or bidi/zero-width formatting characters)."
        ),
        examples=["api:general:2024-06"],
    )
    messages: list[MessageIn] = Field(min_length=1, description="Limit: COPILOT_API_MAX_BATCH.")

    _readable_source = field_validator("source")(check_source_name)


class KeyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Role
    name: str = Field(default="", max_length=128, description="A label, e.g. who holds it.")


class AdminKeyIn(KeyIn):
    community: str = Field(min_length=1, max_length=64)


class KeyOut(BaseModel):
    id: str
    community: str
    role: Role
    name: str
    created_at: datetime
    revoked_at: datetime | None = None


class KeyCreatedOut(KeyOut):
    key: str = Field(description="The secret. Shown only now: store it safely.")


class HealthOut(BaseModel):
    status: Literal["ok"]
    mode: Literal["offline", "llm"]
    database: Literal["ok"]


class PublicSettingsOut(BaseModel):
    """The effective configuration, without secrets."""

    mode: Literal["offline", "llm"]
    llm_model: str
    embedder: str
    top_k: int
    handoff_threshold: float | None  # None: the fitted answerability model's threshold
    max_question_chars: int
    max_file_mb: float
    api_rate_per_minute: int
    api_max_batch: int
