"""Operator-console sessions (hashed tokens bound to an API key, with an expiry), and the chat
of each connector event (the console shows a route's last events).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "console_sessions",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("key_id", sa.String(length=32), nullable=False),
        sa.Column("csrf", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("token_hash"),
    )
    op.create_index(op.f("ix_console_sessions_key_id"), "console_sessions", ["key_id"])
    op.create_index(op.f("ix_console_sessions_expires_at"), "console_sessions", ["expires_at"])
    op.add_column(
        "connector_inbound_events",
        sa.Column("chat_id", sa.String(length=256), server_default="", nullable=False),
    )
    op.create_index(
        op.f("ix_connector_inbound_events_chat_id"), "connector_inbound_events", ["chat_id"]
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_connector_inbound_events_chat_id"), table_name="connector_inbound_events"
    )
    op.drop_column("connector_inbound_events", "chat_id")
    op.drop_index(op.f("ix_console_sessions_expires_at"), table_name="console_sessions")
    op.drop_index(op.f("ix_console_sessions_key_id"), table_name="console_sessions")
    op.drop_table("console_sessions")
