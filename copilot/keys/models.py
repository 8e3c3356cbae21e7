"""Roles, stored-key metadata and the authenticated caller of a request."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field


class Role(StrEnum):
    """What a key may do. Each role includes everything the roles before it may do."""

    member = "member"  # ask questions
    operator = "operator"  # + upload knowledge, draft, summarize, suggest, see stats
    admin = "admin"  # + manage the community's keys and see its settings

    @property
    def rank(self) -> int:
        return list(Role).index(self)

    def allows(self, needed: Role) -> bool:
        return self.rank >= needed.rank


class KeyInfo(BaseModel):
    """A stored key as it may be shown: never the secret, never its hash."""

    id: str = Field(description="Public key id, used to list and revoke keys.")
    community: str
    role: Role
    name: str = ""
    created_at: datetime
    revoked_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


@dataclass(frozen=True)
class Principal:
    """Who is calling. `community` is None only for the deployment's bootstrap admin token."""

    community: str | None
    role: Role
    key_id: str
