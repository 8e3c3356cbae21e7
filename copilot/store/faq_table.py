"""FAQ candidates mined from chat, waiting for an operator's decision."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from copilot.store.db import Base


class FaqRow(Base):
    __tablename__ = "faq_candidates"
    community: Mapped[str] = mapped_column(String(64), primary_key=True)
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    asker: Mapped[str] = mapped_column(String(256), default="")
    answerer: Mapped[str] = mapped_column(String(256), default="")
    asked_times: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # approved | rejected
    updated_at: Mapped[datetime] = mapped_column()
