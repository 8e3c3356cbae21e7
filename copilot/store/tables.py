"""Tables of the knowledge side: documents, chunks and chat messages. All keyed by community."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, Index, Integer, LargeBinary, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from copilot.store.db import Base


class DocumentRow(Base):
    """One ingested source (a file or a chat channel). `status` is 'pending' while indexing."""

    __tablename__ = "documents"
    community: Mapped[str] = mapped_column(String(64), primary_key=True)
    source: Mapped[str] = mapped_column(String(512), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    content_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default="pending")
    chunk_count: Mapped[int] = mapped_column(Integer, default=0)
    message_count: Mapped[int] = mapped_column(Integer, default=0)
    embedder: Mapped[str] = mapped_column(String(128), default="")
    ingested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ChunkRow(Base):
    """A retrievable passage. The vector index may lag; this table decides what exists."""

    __tablename__ = "chunks"
    community: Mapped[str] = mapped_column(String(64), primary_key=True)
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    source: Mapped[str] = mapped_column(String(512), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    heading: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text)
    tokens: Mapped[str] = mapped_column(Text, default="")  # jieba tokens, space-joined, for BM25
    position: Mapped[int] = mapped_column(Integer, default=0)
    meta: Mapped[dict] = mapped_column(JSON, default=dict)

    # By place in the source: a list question reads the chunks after the top ones.
    __table_args__ = (
        Index("ix_chunks_community_source_position", "community", "source", "position"),
    )


class ChunkUnitsRow(Base):
    """A chunk's answer units and their vectors, cut and embedded once at ingest.

    `units` is a list of unit records (copilot.retrieval.units.Unit fields plus their jieba
    tokens); `vectors` holds one float16 unit vector per unit, row-major, so answering needs
    no embedding beyond the question's.
    """

    __tablename__ = "chunk_units"
    community: Mapped[str] = mapped_column(String(64), primary_key=True)
    chunk_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    units: Mapped[list] = mapped_column(JSON, default=list)
    vectors: Mapped[bytes] = mapped_column(LargeBinary, default=b"")


class MessageRow(Base):
    """A normalized chat message (already redacted when redaction is on)."""

    __tablename__ = "messages"
    community: Mapped[str] = mapped_column(String(64), primary_key=True)
    channel: Mapped[str] = mapped_column(String(256), primary_key=True)
    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    author: Mapped[str] = mapped_column(String(256))
    author_id: Mapped[str | None] = mapped_column(String(256), nullable=True)
    ts: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    text: Mapped[str] = mapped_column(Text)
    reply_to: Mapped[str | None] = mapped_column(String(128), nullable=True)
    thread: Mapped[str | None] = mapped_column(String(128), nullable=True)
    is_service: Mapped[bool] = mapped_column(Boolean, default=False)
    is_bot: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    source: Mapped[str] = mapped_column(String(512), default="")

    __table_args__ = (Index("ix_messages_community_ts", "community", "ts"),)


class IndexGenerationRow(Base):
    """How many times a community's index was written, bumped in the same transaction as the
    chunk rows: a process holding vectors or BM25 in memory compares it to the one it loaded,
    and reloads when another process (a CLI ingest, another API worker) wrote since."""

    __tablename__ = "index_generations"
    community: Mapped[str] = mapped_column(String(64), primary_key=True)
    generation: Mapped[int] = mapped_column(Integer, default=0)
