"""Read a community's stored chat history back as ChatMessage records."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from copilot.models import ChatMessage, assume_utc
from copilot.store.db import Database
from copilot.store.tables import MessageRow

MAX_MESSAGES = 200_000  # a hard cap keeps a runaway window from exhausting memory


def load_messages(
    db: Database,
    community: str,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    channel: str | None = None,
) -> list[ChatMessage]:
    """Messages of one community in time order, optionally within [since, until) and a channel."""
    query = select(MessageRow).where(MessageRow.community == community)
    if since is not None:
        query = query.where(MessageRow.ts >= _utc(since))
    if until is not None:
        query = query.where(MessageRow.ts < _utc(until))
    if channel:
        query = query.where(MessageRow.channel == channel)
    query = query.order_by(MessageRow.ts, MessageRow.id).limit(MAX_MESSAGES)
    # SQLite drops the zone on the way back; stored values are UTC.
    with db.session() as session:
        return [
            ChatMessage(
                id=r.id,
                community=r.community,
                channel=r.channel,
                author=r.author,
                author_id=r.author_id,
                ts=assume_utc(r.ts),
                text=r.text,
                reply_to=r.reply_to,
                thread=r.thread,
                is_service=r.is_service,
                is_bot=r.is_bot,
                source=r.source,
            )
            for r in session.scalars(query)
        ]


def _utc(ts: datetime) -> datetime:
    return assume_utc(ts).astimezone(UTC)
