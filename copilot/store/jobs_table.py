"""Upload jobs: a large upload is ingested in the background and polled by its id."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from copilot.store.db import Base


class IngestJobRow(Base):
    __tablename__ = "ingest_jobs"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    community: Mapped[str] = mapped_column(String(64), index=True)
    source: Mapped[str] = mapped_column(String(512))
    kind: Mapped[str] = mapped_column(String(16))  # auto | playbook | chat
    status: Mapped[str] = mapped_column(String(16), default="queued")  # running, done, failed
    done: Mapped[int] = mapped_column(Integer, default=0)  # chunks embedded so far
    total: Mapped[int] = mapped_column(Integer, default=0)  # chunks to embed (0: not known yet)
    result: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
