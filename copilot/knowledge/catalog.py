"""Read-only views of what a community has ingested."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel
from sqlalchemy import select

from copilot.store.db import Database
from copilot.store.tables import ChunkRow, DocumentRow


class DocumentInfo(BaseModel):
    source: str
    kind: str
    chunks: int
    messages: int
    status: str
    ingested_at: datetime


def list_documents(db: Database, community: str) -> list[DocumentInfo]:
    with db.session() as session:
        rows = session.scalars(
            select(DocumentRow)
            .where(DocumentRow.community == community)
            .order_by(DocumentRow.source)
        ).all()
        return [
            DocumentInfo(
                source=r.source,
                kind=r.kind,
                chunks=r.chunk_count,
                messages=r.message_count,
                status=r.status,
                ingested_at=r.ingested_at,
            )
            for r in rows
        ]


class ChunkInfo(BaseModel):
    id: str
    heading: str
    text: str
    position: int


def list_chunks(db: Database, community: str, source: str, limit: int = 500) -> list[ChunkInfo]:
    """A source's chunks in document order (at most `limit`)."""
    with db.session() as session:
        rows = session.scalars(
            select(ChunkRow)
            .where(ChunkRow.community == community, ChunkRow.source == source)
            .order_by(ChunkRow.position, ChunkRow.id)
            .limit(limit)
        ).all()
        return [
            ChunkInfo(id=r.id, heading=r.heading, text=r.text, position=r.position) for r in rows
        ]
