"""Connector state in the app's SQL store: chat routes, the inbound event log, the review queue.

The tables are defined with all others in ``copilot.store`` (``connector_tables``) and
created by its migrations; this module reads and writes them.
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field, PrivateAttr
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from copilot.knowledge.redact import redact
from copilot.store.connector_tables import InboundEventRow, KeptValueRow, ReviewRow, RouteRow
from copilot.store.db import Database

from .base import InboundMessage

Mode = Literal["mention", "all", "review"]
ReviewStatus = Literal["pending", "approved", "rejected"]


# -- routes ----------------------------------------------------------------------------------
class Route(BaseModel):
    platform: str
    chat_id: str
    community: str
    mode: Mode = "mention"
    admins: list[str] = Field(default_factory=list)
    operators: list[str] = Field(default_factory=list)
    capture: bool = False


def _route(row: RouteRow) -> Route:
    return Route(
        platform=row.platform,
        chat_id=row.chat_id,
        community=row.community,
        mode=row.mode,  # type: ignore[arg-type]  # written from a Mode
        admins=list(row.admins or []),
        operators=list(row.operators or []),
        capture=row.capture,
    )


def put_route(db: Database, route: Route) -> Route:
    """Add or replace the route of one chat."""
    with db.session() as s:
        row = s.get(RouteRow, (route.platform, route.chat_id)) or RouteRow(
            platform=route.platform, chat_id=route.chat_id
        )
        row.community, row.mode, row.capture = route.community, route.mode, route.capture
        row.admins, row.operators = list(route.admins), list(route.operators)
        s.add(row)
    return route


def get_route(db: Database, platform: str, chat_id: str) -> Route | None:
    with db.session() as s:
        row = s.get(RouteRow, (platform, chat_id))
        return _route(row) if row else None


def list_routes(db: Database, community: str | None = None) -> list[Route]:
    query = select(RouteRow).order_by(RouteRow.platform, RouteRow.chat_id)
    if community:
        query = query.where(RouteRow.community == community)
    with db.session() as s:
        return [_route(r) for r in s.scalars(query)]


def remove_route(db: Database, platform: str, chat_id: str) -> bool:
    with db.session() as s:
        row = s.get(RouteRow, (platform, chat_id))
        if row:
            s.delete(row)
        return row is not None


# -- kept values -----------------------------------------------------------------------------
def keep_first(
    db: Database, platform: str, kind: str, key: str, value: str, expires: float
) -> tuple[str, float]:
    """Keep ``value`` for ``key`` unless a value that has not expired is kept already;
    returns the kept value and its expiry. Atomic across processes (primary-key insert)."""
    with db.session() as s:  # expired entries go first, so an expired key can be taken again
        s.execute(delete(KeptValueRow).where(KeptValueRow.expires_at <= time.time()))
    try:
        with db.session() as s:
            s.add(
                KeptValueRow(platform=platform, kind=kind, key=key, value=value, expires_at=expires)
            )
        return value, expires
    except IntegrityError:  # kept already (by this process or another)
        with db.session() as s:
            row = s.get(KeptValueRow, (platform, kind, key))
            return (row.value, row.expires_at) if row else (value, expires)


# -- inbound events --------------------------------------------------------------------------
def record_event(db: Database, msg: InboundMessage) -> bool:
    """Insert-or-ignore; False when this delivery was seen before (a platform retry)."""
    try:
        with db.session() as s:
            if s.get(InboundEventRow, (msg.platform, msg.event_id)) is not None:
                return False
            s.add(
                InboundEventRow(
                    platform=msg.platform,
                    event_id=msg.event_id,
                    chat_id=msg.chat_id[:256],
                    status="received",
                    payload=msg.model_dump(mode="json"),
                )
            )
    except IntegrityError:  # a concurrent duplicate won the insert
        return False
    return True


def finish_event(db: Database, platform: str, event_id: str, status: str, error: str = "") -> None:
    """Mark the work done or failed and drop the message: only the dedupe key is kept."""
    with db.session() as s:
        row = s.get(InboundEventRow, (platform, event_id))
        if row:
            row.status, row.error, row.payload = status, redact(error[:2000]), {}


def purge_events(db: Database, older_than: datetime) -> int:
    """Delete finished events received before ``older_than``; returns how many went."""
    with db.session() as s:
        result = s.execute(
            delete(InboundEventRow).where(
                InboundEventRow.status != "received", InboundEventRow.created_at < older_than
            )
        )
        return int(getattr(result, "rowcount", 0) or 0)


def pending_events(db: Database) -> list[InboundMessage]:
    """Events acked but not finished (the process stopped in between), oldest first."""
    query = (
        select(InboundEventRow)
        .where(InboundEventRow.status == "received")
        .order_by(InboundEventRow.created_at)
    )
    with db.session() as s:
        return [InboundMessage.model_validate(r.payload) for r in s.scalars(query)]


class EventInfo(BaseModel):
    event_id: str
    status: str
    error: str
    created_at: datetime


def last_events(db: Database, platform: str, chat_id: str, limit: int = 5) -> list[EventInfo]:
    """The newest events of one chat: what the console shows under its route."""
    query = (
        select(InboundEventRow)
        .where(InboundEventRow.platform == platform, InboundEventRow.chat_id == chat_id)
        .order_by(InboundEventRow.created_at.desc())
        .limit(limit)
    )
    with db.session() as s:
        return [
            EventInfo(event_id=r.event_id, status=r.status, error=r.error, created_at=r.created_at)
            for r in s.scalars(query)
        ]


def event_status(db: Database, platform: str, event_id: str) -> str | None:
    with db.session() as s:
        row = s.get(InboundEventRow, (platform, event_id))
        return row.status if row else None


# -- review queue ----------------------------------------------------------------------------
class ReviewItem(BaseModel):
    id: int
    community: str
    platform: str
    chat_id: str
    question: str
    user_id: str
    draft: str
    citations: list[dict[str, Any]]
    status: ReviewStatus
    edited: str | None = None
    created_at: datetime

    _message: dict[str, Any] = PrivateAttr(default_factory=dict)

    def inbound(self) -> InboundMessage:
        """The message the draft answers (its reply context is needed to post in-thread)."""
        return InboundMessage.model_validate(self._message)


def _item(row: ReviewRow) -> ReviewItem:
    item = ReviewItem(
        id=row.id,
        community=row.community,
        platform=row.platform,
        chat_id=row.chat_id,
        question=str(row.message.get("text", "")),
        user_id=str(row.message.get("user_id", "")),
        draft=row.draft,
        citations=list(row.citations or []),
        status=row.status,  # type: ignore[arg-type]
        edited=row.edited,
        created_at=row.created_at,
    )
    item._message = dict(row.message)
    return item


def add_review(
    db: Database, community: str, msg: InboundMessage, draft: str, citations: list[dict[str, Any]]
) -> int:
    with db.session() as s:
        row = ReviewRow(
            community=community,
            platform=msg.platform,
            chat_id=msg.chat_id,
            message=msg.model_dump(mode="json"),
            draft=draft,
            citations=citations,
        )
        s.add(row)
        s.flush()
        return row.id


def list_reviews(db: Database, community: str, status: str | None = "pending") -> list[ReviewItem]:
    query = select(ReviewRow).where(ReviewRow.community == community).order_by(ReviewRow.id)
    if status:
        query = query.where(ReviewRow.status == status)
    with db.session() as s:
        return [_item(r) for r in s.scalars(query)]


def get_review(db: Database, community: str, review_id: int) -> ReviewItem | None:
    with db.session() as s:
        row = s.get(ReviewRow, review_id)
        return _item(row) if row and row.community == community else None


def decide_review(
    db: Database, community: str, review_id: int, status: ReviewStatus, edited: str | None = None
) -> ReviewItem | None:
    """Move a *pending* item to approved/rejected; None if missing or already decided, so
    two operators approving at once post the answer only once."""
    with db.session() as s:
        row = s.get(ReviewRow, review_id, with_for_update=True)
        if row is None or row.community != community or row.status != "pending":
            return None
        row.status, row.edited = status, edited
        s.flush()
        return _item(row)


def reopen_review(db: Database, review_id: int, community: str) -> None:
    """Return an approved item to pending when its answer could not be posted."""
    with db.session() as s:
        row = s.get(ReviewRow, review_id)
        if row is not None and row.community == community:
            row.status, row.edited = "pending", None
