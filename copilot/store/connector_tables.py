"""Tables of the chat connectors: chat routes, the inbound event log, the review queue and
values kept once per platform (signs, reply URLs). Read and written by ``connectors.tables``."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Float, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from copilot.store.db import Base


def _now() -> datetime:
    return datetime.now(UTC)


class RouteRow(Base):
    __tablename__ = "connector_routes"
    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    chat_id: Mapped[str] = mapped_column(String(256), primary_key=True)
    community: Mapped[str] = mapped_column(String(64), index=True)
    mode: Mapped[str] = mapped_column(String(16), default="mention")
    admins: Mapped[list[str]] = mapped_column(JSON, default=list)
    operators: Mapped[list[str]] = mapped_column(JSON, default=list)
    capture: Mapped[bool] = mapped_column(Boolean, default=False)


class InboundEventRow(Base):
    """Dedupe key and durable work log: a row exists from the ack until the work is done."""

    __tablename__ = "connector_inbound_events"
    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(256), primary_key=True)
    status: Mapped[str] = mapped_column(String(16), default="received", index=True)
    # Which chat it came from, kept with the dedupe key so the console can show a route's
    # last events (the chat id is the platform's, not personal data).
    chat_id: Mapped[str] = mapped_column(String(256), default="", server_default="", index=True)
    # The redacted message, needed until the work is done (then emptied; the row stays as a
    # dedupe key for the retention period, then goes: see purge_events).
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    error: Mapped[str] = mapped_column(Text, default="")


class ReviewRow(Base):
    __tablename__ = "connector_review_queue"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    community: Mapped[str] = mapped_column(String(64), index=True)
    platform: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[str] = mapped_column(String(256))
    message: Mapped[dict[str, Any]] = mapped_column(JSON)
    draft: Mapped[str] = mapped_column(Text)
    citations: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    edited: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class KeptValueRow(Base):
    """The first value seen for a key, until it expires: shared by every server process and
    kept across restarts (memory would let a replay in through another worker or a restart)."""

    __tablename__ = "connector_kept_values"
    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)  # "sign" | "reply"
    key: Mapped[str] = mapped_column(String(256), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    expires_at: Mapped[float] = mapped_column(Float, index=True)  # epoch seconds
