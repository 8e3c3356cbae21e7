"""Table of community profiles: one JSON document per community (validated by the model)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from copilot.store.db import Base


class ProfileRow(Base):
    """A community's profile. Stored as JSON so adding a profile field needs no migration."""

    __tablename__ = "community_profiles"
    community: Mapped[str] = mapped_column(String(64), primary_key=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
