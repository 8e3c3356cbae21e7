"""Baseline: the schema of release 0.1.0, before migrations existed.

A database created by that release (``create_all``) already has some or all of these tables:
each is created only if missing, so such a database is completed and then stamped, exactly
as a new one is built.

Revision ID: 0001
Revises:
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TABLES = (
    "messages",
    "faq_candidates",
    "documents",
    "connector_routes",
    "connector_review_queue",
    "connector_kept_values",
    "connector_inbound_events",
    "community_profiles",
    "chunks",
    "api_keys",
)  # dependants first, for downgrade


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    if not inspector.has_table("api_keys"):
        op.create_table(
            "api_keys",
            sa.Column("id", sa.String(length=32), nullable=False),
            sa.Column("key_hash", sa.String(length=64), nullable=False),
            sa.Column("community", sa.String(length=64), nullable=False),
            sa.Column("role", sa.String(length=16), nullable=False),
            sa.Column("name", sa.String(length=128), nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
            sa.PrimaryKeyConstraint("id"),
        )
        op.create_index(op.f("ix_api_keys_community"), "api_keys", ["community"], unique=False)
        op.create_index(op.f("ix_api_keys_key_hash"), "api_keys", ["key_hash"], unique=True)
    if not inspector.has_table("chunks"):
        op.create_table(
            "chunks",
            sa.Column("community", sa.String(length=64), nullable=False),
            sa.Column("id", sa.String(length=64), nullable=False),
            sa.Column("source", sa.String(length=512), nullable=False),
            sa.Column("kind", sa.String(length=16), nullable=False),
            sa.Column("heading", sa.Text(), nullable=False),
            sa.Column("text", sa.Text(), nullable=False),
            sa.Column("tokens", sa.Text(), nullable=False),
            sa.Column("position", sa.Integer(), nullable=False),
            sa.Column("meta", sa.JSON(), nullable=False),
            sa.PrimaryKeyConstraint("community", "id"),
        )
        op.create_index(
            "ix_chunks_community_source", "chunks", ["community", "source"], unique=False
        )
        op.create_index(op.f("ix_chunks_source"), "chunks", ["source"], unique=False)
    if not inspector.has_table("community_profiles"):
        op.create_table(
            "community_profiles",
            sa.Column("community", sa.String(length=64), nullable=False),
            sa.Column("data", sa.JSON(), nullable=False),
            sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
            sa.PrimaryKeyConstraint("community"),
        )
    if not inspector.has_table("connector_inbound_events"):
        op.create_table(
            "connector_inbound_events",
            sa.Column("platform", sa.String(length=16), nullable=False),
            sa.Column("event_id", sa.String(length=256), nullable=False),
            sa.Column("status", sa.String(length=16), nullable=False),
            sa.Column("payload", sa.JSON(), nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("error", sa.Text(), nullable=False),
            sa.PrimaryKeyConstraint("platform", "event_id"),
        )
        op.create_index(
            op.f("ix_connector_inbound_events_status"),
            "connector_inbound_events",
            ["status"],
            unique=False,
        )
    if not inspector.has_table("connector_kept_values"):
        op.create_table(
            "connector_kept_values",
            sa.Column("platform", sa.String(length=16), nullable=False),
            sa.Column("kind", sa.String(length=16), nullable=False),
            sa.Column("key", sa.String(length=256), nullable=False),
            sa.Column("value", sa.Text(), nullable=False),
            sa.Column("expires_at", sa.Float(), nullable=False),
            sa.PrimaryKeyConstraint("platform", "kind", "key"),
        )
        op.create_index(
            op.f("ix_connector_kept_values_expires_at"),
            "connector_kept_values",
            ["expires_at"],
            unique=False,
        )
    if not inspector.has_table("connector_review_queue"):
        op.create_table(
            "connector_review_queue",
            sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
            sa.Column("community", sa.String(length=64), nullable=False),
            sa.Column("platform", sa.String(length=16), nullable=False),
            sa.Column("chat_id", sa.String(length=256), nullable=False),
            sa.Column("message", sa.JSON(), nullable=False),
            sa.Column("draft", sa.Text(), nullable=False),
            sa.Column("citations", sa.JSON(), nullable=False),
            sa.Column("status", sa.String(length=16), nullable=False),
            sa.Column("edited", sa.Text(), nullable=True),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.PrimaryKeyConstraint("id"),
        )
        op.create_index(
            op.f("ix_connector_review_queue_community"),
            "connector_review_queue",
            ["community"],
            unique=False,
        )
        op.create_index(
            op.f("ix_connector_review_queue_status"),
            "connector_review_queue",
            ["status"],
            unique=False,
        )
    if not inspector.has_table("connector_routes"):
        op.create_table(
            "connector_routes",
            sa.Column("platform", sa.String(length=16), nullable=False),
            sa.Column("chat_id", sa.String(length=256), nullable=False),
            sa.Column("community", sa.String(length=64), nullable=False),
            sa.Column("mode", sa.String(length=16), nullable=False),
            sa.Column("admins", sa.JSON(), nullable=False),
            sa.Column("operators", sa.JSON(), nullable=False),
            sa.Column("capture", sa.Boolean(), nullable=False),
            sa.PrimaryKeyConstraint("platform", "chat_id"),
        )
        op.create_index(
            op.f("ix_connector_routes_community"), "connector_routes", ["community"], unique=False
        )
    if not inspector.has_table("documents"):
        op.create_table(
            "documents",
            sa.Column("community", sa.String(length=64), nullable=False),
            sa.Column("source", sa.String(length=512), nullable=False),
            sa.Column("kind", sa.String(length=16), nullable=False),
            sa.Column("content_hash", sa.String(length=64), nullable=False),
            sa.Column("status", sa.String(length=16), nullable=False),
            sa.Column("chunk_count", sa.Integer(), nullable=False),
            sa.Column("message_count", sa.Integer(), nullable=False),
            sa.Column("embedder", sa.String(length=128), nullable=False),
            sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
            sa.PrimaryKeyConstraint("community", "source"),
        )
    if not inspector.has_table("faq_candidates"):
        op.create_table(
            "faq_candidates",
            sa.Column("community", sa.String(length=64), nullable=False),
            sa.Column("id", sa.String(length=64), nullable=False),
            sa.Column("question", sa.Text(), nullable=False),
            sa.Column("answer", sa.Text(), nullable=False),
            sa.Column("asker", sa.String(length=256), nullable=False),
            sa.Column("answerer", sa.String(length=256), nullable=False),
            sa.Column("asked_times", sa.Integer(), nullable=False),
            sa.Column("status", sa.String(length=16), nullable=False),
            sa.Column("updated_at", sa.DateTime(), nullable=False),
            sa.PrimaryKeyConstraint("community", "id"),
        )
    if not inspector.has_table("messages"):
        op.create_table(
            "messages",
            sa.Column("community", sa.String(length=64), nullable=False),
            sa.Column("channel", sa.String(length=256), nullable=False),
            sa.Column("id", sa.String(length=128), nullable=False),
            sa.Column("author", sa.String(length=256), nullable=False),
            sa.Column("author_id", sa.String(length=256), nullable=True),
            sa.Column("ts", sa.DateTime(timezone=True), nullable=False),
            sa.Column("text", sa.Text(), nullable=False),
            sa.Column("reply_to", sa.String(length=128), nullable=True),
            sa.Column("thread", sa.String(length=128), nullable=True),
            sa.Column("is_service", sa.Boolean(), nullable=False),
            sa.Column("source", sa.String(length=512), nullable=False),
            sa.PrimaryKeyConstraint("community", "channel", "id"),
        )
        op.create_index("ix_messages_community_ts", "messages", ["community", "ts"], unique=False)


def downgrade() -> None:
    for table in TABLES:
        op.drop_table(table)
