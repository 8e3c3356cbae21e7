"""Create, list, revoke and check API keys.

A key is 256 random bits, so a plain SHA-256 is the right hash: there is nothing to brute-force
that a slow password hash (bcrypt, argon2) would protect, and a lookup stays one indexed query.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime

from sqlalchemy import select

from copilot.errors import InputError, check_community
from copilot.keys.models import KeyInfo, Role
from copilot.store.db import Database
from copilot.store.keys_table import ApiKeyRow

KEY_PREFIX = "cc_"
MAX_NAME = 128


def hash_key(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def _info(row: ApiKeyRow) -> KeyInfo:
    return KeyInfo(
        id=row.id,
        community=row.community,
        role=Role(row.role),
        name=row.name,
        created_at=row.created_at,
        revoked_at=row.revoked_at,
    )


class KeyStore:
    """API keys in the app's SQL store (SQLite or PostgreSQL)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def create(self, community: str, role: Role | str, name: str = "") -> tuple[KeyInfo, str]:
        """A new key for one community. Returns its metadata and the secret (shown only once)."""
        check_community(community)
        try:
            role = Role(role)
        except ValueError:
            raise InputError(f"unknown role {role!r}: use member, operator or admin") from None
        if len(name) > MAX_NAME:
            raise InputError(f"the key name is {len(name)} characters; the limit is {MAX_NAME}")
        secret = KEY_PREFIX + secrets.token_urlsafe(32)
        row = ApiKeyRow(
            id="key_" + secrets.token_hex(6),
            key_hash=hash_key(secret),
            community=community,
            role=role.value,
            name=name,
            created_at=datetime.now(UTC),
        )
        with self._db.session() as session:
            session.add(row)
        return _info(row), secret

    def list(self, community: str | None = None, *, include_revoked: bool = False) -> list[KeyInfo]:
        query = select(ApiKeyRow).order_by(ApiKeyRow.community, ApiKeyRow.created_at)
        if community is not None:
            query = query.where(ApiKeyRow.community == community)
        if not include_revoked:
            query = query.where(ApiKeyRow.revoked_at.is_(None))
        with self._db.session() as session:
            return [_info(row) for row in session.scalars(query)]

    def revoke(self, key_id: str, *, community: str | None = None) -> bool:
        """Revoke a key (of `community` only, when given). False when there is no such key."""
        with self._db.session() as session:
            row = session.get(ApiKeyRow, key_id)
            if row is None or (community is not None and row.community != community):
                return False
            if row.revoked_at is None:
                row.revoked_at = datetime.now(UTC)
            return True

    def authenticate(self, secret: str) -> KeyInfo | None:
        """The active key with this secret, or None."""
        if not secret.startswith(KEY_PREFIX) or len(secret) > 200:
            return None
        # Every request authenticates: one Core read of the key's columns, no ORM session.
        query = select(*ApiKeyRow.__table__.columns).where(ApiKeyRow.key_hash == hash_key(secret))
        with self._db.engine.connect() as connection:
            row = connection.execute(query).first()
        return _info(row) if row is not None and row.revoked_at is None else None  # type: ignore[arg-type]
