"""The learning loop: the question queue, its askings, the answer log and answer feedback.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "questions",
        sa.Column("community", sa.String(length=64), nullable=False),
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("downvotes", sa.Integer(), nullable=False),
        sa.Column("first_asked", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_asked", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("answered_by", sa.String(length=256), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("merged_into", sa.String(length=32), nullable=True),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("community", "id"),
    )
    op.create_index("ix_questions_community_status", "questions", ["community", "status"])
    op.create_table(
        "question_askings",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("community", sa.String(length=64), nullable=False),
        sa.Column("question_id", sa.String(length=32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("asker", sa.String(length=256), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("chat_id", sa.String(length=256), nullable=False),
        sa.Column("thread_id", sa.String(length=256), nullable=False),
        sa.Column("message_id", sa.String(length=256), nullable=False),
        sa.Column("handoff_message_id", sa.String(length=256), nullable=False),
        sa.Column("message", sa.JSON(), nullable=False),
        sa.Column("answered_back", sa.Boolean(), nullable=False),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_question_askings_item", "question_askings", ["community", "question_id"])
    op.create_index("ix_question_askings_chat", "question_askings", ["channel", "chat_id"])
    op.create_table(
        "answer_log",
        sa.Column("community", sa.String(length=64), nullable=False),
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("handoff", sa.Boolean(), nullable=False),
        sa.Column("sources", sa.JSON(), nullable=False),
        sa.Column("question_id", sa.String(length=32), nullable=True),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("chat_id", sa.String(length=256), nullable=False),
        sa.Column("posted_message_id", sa.String(length=256), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("community", "id"),
    )
    op.create_index(
        "ix_answer_log_posted", "answer_log", ["channel", "chat_id", "posted_message_id"]
    )
    op.create_table(
        "answer_feedback",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("community", sa.String(length=64), nullable=False),
        sa.Column("answer_id", sa.String(length=32), nullable=False),
        sa.Column("rating", sa.String(length=8), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("correction", sa.Text(), nullable=False),
        sa.Column("by", sa.String(length=256), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_answer_feedback_answer", "answer_feedback", ["community", "answer_id"])


def downgrade() -> None:
    op.drop_index("ix_answer_feedback_answer", table_name="answer_feedback")
    op.drop_table("answer_feedback")
    op.drop_index("ix_answer_log_posted", table_name="answer_log")
    op.drop_table("answer_log")
    op.drop_index("ix_question_askings_chat", table_name="question_askings")
    op.drop_index("ix_question_askings_item", table_name="question_askings")
    op.drop_table("question_askings")
    op.drop_index("ix_questions_community_status", table_name="questions")
    op.drop_table("questions")
