"""Ratings of answers: a thumbs-down puts the question back in the queue; an operator's
correction answers it (and, as approved knowledge, wins over extraction from then on)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel

from copilot.embeddings import Embedder
from copilot.errors import InputError, NotFoundError, check_text
from copilot.knowledge.indexer import Indexer
from copilot.knowledge.redact import redact
from copilot.skills.questions.answers import get_answer
from copilot.skills.questions.knowledge import answer_item
from copilot.skills.questions.models import Origin, Status
from copilot.skills.questions.queue import get_item, record, reopen
from copilot.store.db import Database
from copilot.store.question_tables import AnswerFeedbackRow, AnswerLogRow

Rating = Literal["up", "down"]
MAX_COMMENT_CHARS = 2000


class FeedbackOutcome(BaseModel):
    answer_id: str
    rating: Rating
    question_id: str | None = None
    status: Status | None = None  # of the queue item after this rating


def rate(
    db: Database,
    embedder: Embedder,
    indexer: Indexer,
    community: str,
    answer_id: str,
    rating: Rating,
    *,
    comment: str = "",
    correction: str | None = None,
    by: str = "",
    origin: Origin | None = None,
    chunk_tokens: int = 220,
) -> FeedbackOutcome:
    """Record the rating. ``correction`` (operators only: callers check the role) answers the
    question with the corrected text."""
    comment = check_text((comment or "").strip(), "the comment")
    if len(comment) > MAX_COMMENT_CHARS:
        raise InputError(f"the comment is over {MAX_COMMENT_CHARS} characters")
    logged = get_answer(db, community, answer_id)
    if logged is None:
        raise NotFoundError(f"no answer '{answer_id}' in community '{community}'")
    with db.session() as s:
        s.add(
            AnswerFeedbackRow(
                community=community,
                answer_id=answer_id,
                rating=rating,
                comment=redact(comment),
                correction=correction or "",
                by=redact(by),
                created_at=datetime.now(UTC),
            )
        )
    question_id = logged.question_id
    if rating == "down" or correction:
        question_id = _queued(db, embedder, community, logged, origin or Origin(channel="feedback"))
        reopen(db, community, question_id, downvote=rating == "down")
    if correction and question_id:
        answer_item(
            db, indexer, community, question_id, correction, by=by, chunk_tokens=chunk_tokens
        )
    status = get_item(db, community, question_id).status if question_id else None
    return FeedbackOutcome(
        answer_id=answer_id, rating=rating, question_id=question_id, status=status
    )


def _queued(
    db: Database, embedder: Embedder, community: str, logged: AnswerLogRow, origin: Origin
) -> str:
    """The queue item of the rated answer's question, added to the queue if it is not there."""
    if logged.question_id:
        return logged.question_id
    question_id = record(db, embedder, community, logged.question, origin, reason="feedback")
    with db.session() as s:
        row = s.get(AnswerLogRow, (community, logged.id))
        if row is not None:
            row.question_id = question_id
    return question_id
