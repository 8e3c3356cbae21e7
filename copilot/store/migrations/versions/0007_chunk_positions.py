"""Chunks indexed by their place in their source: (community, source, position).

A list question reads the chunks after the top ones in their document; with an index on
(community, source) only, that read scanned the whole source (40 ms for one of 100k chunks).
The new index starts with the old one's columns, so it serves every query the old one did.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_chunks_community_source_position", "chunks", ["community", "source", "position"]
    )
    op.drop_index("ix_chunks_community_source", table_name="chunks")


def downgrade() -> None:
    op.create_index("ix_chunks_community_source", "chunks", ["community", "source"])
    op.drop_index("ix_chunks_community_source_position", table_name="chunks")
