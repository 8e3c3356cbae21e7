"""Answer units: each chunk's units and their vectors, cut and embedded once at ingest.

Chunks indexed before this table existed have no row here; retrieval reads their sentences on
the fly until the source is ingested again.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if sa.inspect(op.get_bind()).has_table("chunk_units"):
        return
    op.create_table(
        "chunk_units",
        sa.Column("community", sa.String(length=64), nullable=False),
        sa.Column("chunk_id", sa.String(length=64), nullable=False),
        sa.Column("units", sa.JSON(), nullable=False),
        sa.Column("vectors", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("community", "chunk_id"),
    )


def downgrade() -> None:
    op.drop_table("chunk_units")
