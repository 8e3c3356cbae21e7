"""Console sessions: an API key exchanged for a random session token with an expiry.

The browser holds the token in an HttpOnly cookie; the store keeps its SHA-256 and the key it
stands for. Each lookup re-reads the key, so a revoked key signs its sessions out at once, and
each session has its own CSRF token for the forms it renders.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select

from copilot.keys.models import KeyInfo, Role
from copilot.keys.store import hash_key
from copilot.store.console_table import ConsoleSessionRow
from copilot.store.db import Database
from copilot.store.keys_table import ApiKeyRow

MAX_TOKEN = 200


@dataclass(frozen=True)
class ConsoleSession:
    """A signed-in operator: the key's community and role, and the session's CSRF token."""

    community: str
    role: Role
    key_id: str
    key_name: str
    csrf: str
    expires_at: datetime


class SessionStore:
    """Console sessions in the app's SQL store (shared by every server worker)."""

    def __init__(self, db: Database, lifetime: timedelta) -> None:
        self._db = db
        self.lifetime = lifetime

    def open(self, key: KeyInfo) -> tuple[str, ConsoleSession]:
        """A new session for an active key: its token (for the cookie) and what it grants."""
        now = datetime.now(UTC)
        token = secrets.token_urlsafe(32)
        row = ConsoleSessionRow(
            token_hash=hash_key(token),
            key_id=key.id,
            csrf=secrets.token_urlsafe(32),
            created_at=now,
            expires_at=now + self.lifetime,
        )
        with self._db.session() as session:
            session.execute(delete(ConsoleSessionRow).where(ConsoleSessionRow.expires_at < now))
            session.add(row)
        return token, ConsoleSession(
            key.community, key.role, key.id, key.name, row.csrf, row.expires_at
        )

    def find(self, token: str) -> ConsoleSession | None:
        """The live session of this token (unexpired, its key not revoked), or None."""
        if not token or len(token) > MAX_TOKEN:
            return None
        with self._db.session() as session:
            found = session.execute(
                select(ConsoleSessionRow, ApiKeyRow)
                .join(ApiKeyRow, ApiKeyRow.id == ConsoleSessionRow.key_id)
                .where(ConsoleSessionRow.token_hash == hash_key(token))
            ).first()
        if found is None:
            return None
        row, key = found
        expires = row.expires_at if row.expires_at.tzinfo else row.expires_at.replace(tzinfo=UTC)
        if key.revoked_at is not None or expires <= datetime.now(UTC):
            return None
        return ConsoleSession(key.community, Role(key.role), key.id, key.name, row.csrf, expires)

    def close(self, token: str) -> None:
        """Sign out: the token stops working everywhere."""
        with self._db.session() as session:
            session.execute(
                delete(ConsoleSessionRow).where(ConsoleSessionRow.token_hash == hash_key(token))
            )
