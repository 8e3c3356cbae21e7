"""The learning loop's tables: the question queue, where each question was asked, the answers
the copilot gave (each with an id members rate) and their ratings. All keyed by community."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from copilot.store.db import Base


class QuestionRow(Base):
    """One queue item: a question (and its paraphrases) the copilot could not answer."""

    __tablename__ = "questions"
    community: Mapped[str] = mapped_column(String(64), primary_key=True)
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    question: Mapped[str] = mapped_column(Text)  # redacted, as first asked
    status: Mapped[str] = mapped_column(String(16), default="open")  # answered | dismissed
    reason: Mapped[str] = mapped_column(String(16), default="handoff")  # chat | feedback
    count: Mapped[int] = mapped_column(Integer, default=1)
    downvotes: Mapped[int] = mapped_column(Integer, default=0)
    first_asked: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_asked: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    answer: Mapped[str] = mapped_column(Text, default="")
    answered_by: Mapped[str] = mapped_column(String(256), default="")
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    merged_into: Mapped[str | None] = mapped_column(String(32), nullable=True)
    vector: Mapped[bytes] = mapped_column(LargeBinary, default=b"")  # float16, for grouping

    __table_args__ = (Index("ix_questions_community_status", "community", "status"),)


class QuestionAskingRow(Base):
    """One asking of a queue item: who (a pseudonym or channel), where and when."""

    __tablename__ = "question_askings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    community: Mapped[str] = mapped_column(String(64))
    question_id: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)  # redacted
    asker: Mapped[str] = mapped_column(String(256), default="")
    channel: Mapped[str] = mapped_column(String(32), default="")  # cli, api, openai, a platform
    chat_id: Mapped[str] = mapped_column(String(256), default="")
    thread_id: Mapped[str] = mapped_column(String(256), default="")
    message_id: Mapped[str] = mapped_column(String(256), default="")
    # The copilot's handoff message in the chat: an operator's reply to it is the answer.
    handoff_message_id: Mapped[str] = mapped_column(String(256), default="")
    # The inbound message (redacted) the answer is posted back to; {} outside chats.
    message: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    answered_back: Mapped[bool] = mapped_column(Boolean, default=False)
    asked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        Index("ix_question_askings_item", "community", "question_id"),
        Index("ix_question_askings_chat", "channel", "chat_id"),
    )


class AnswerLogRow(Base):
    """An answer the copilot gave, by ``answer_id``: what feedback on it refers to."""

    __tablename__ = "answer_log"
    community: Mapped[str] = mapped_column(String(64), primary_key=True)
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    question: Mapped[str] = mapped_column(Text)  # redacted
    answer: Mapped[str] = mapped_column(Text)
    handoff: Mapped[bool] = mapped_column(Boolean, default=False)
    sources: Mapped[list[str]] = mapped_column(JSON, default=list)
    question_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    # Where the answer was posted, so a reaction on that message finds it.
    channel: Mapped[str] = mapped_column(String(32), default="")
    chat_id: Mapped[str] = mapped_column(String(256), default="")
    posted_message_id: Mapped[str] = mapped_column(String(256), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (Index("ix_answer_log_posted", "channel", "chat_id", "posted_message_id"),)


class AnswerFeedbackRow(Base):
    """A rating of one answer, by a member or an operator (a correction is an operator's)."""

    __tablename__ = "answer_feedback"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    community: Mapped[str] = mapped_column(String(64))
    answer_id: Mapped[str] = mapped_column(String(32))
    rating: Mapped[str] = mapped_column(String(8))  # up | down
    comment: Mapped[str] = mapped_column(Text, default="")  # redacted
    correction: Mapped[str] = mapped_column(Text, default="")
    by: Mapped[str] = mapped_column(String(256), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (Index("ix_answer_feedback_answer", "community", "answer_id"),)
