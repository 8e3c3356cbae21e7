"""Answers the copilot gives, by id: the operators' answers served first, and the answer log
that feedback refers to."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import insert, select

from copilot.embeddings import Embedder, Vectors
from copilot.knowledge.redact import redact
from copilot.retrieval.unit_vectors import unpack_vectors
from copilot.skills.faq import APPROVED_SOURCE
from copilot.skills.questions.grouping import best_match, question_vectors
from copilot.skills.questions.models import Origin
from copilot.skills.questions.queue import answered_items, new_id
from copilot.skills.results import AnswerResult, Citation, RetrievedRef
from copilot.store.db import Database
from copilot.store.question_tables import AnswerLogRow
from copilot.store.tables import ChunkRow
from copilot.text import detect_language


def operator_answer(
    db: Database, embedder: Embedder, community: str, question: str, vector: Vectors | None = None
) -> tuple[AnswerResult, str] | None:
    """An operator's answer (or correction) to this question in other words, cited from the
    approved knowledge it became, and the queue item's id; None when no answered item matches.

    It comes before retrieval and extraction: the operator answered this exact question."""
    items = answered_items(db, community)
    if not items:
        return None
    vector = question_vectors(embedder, [question])[0] if vector is None else vector
    candidates = [(i, q, unpack_vectors(v, embedder.dimension)[0]) for i, q, _, v in items]
    match = best_match(embedder, vector, question, candidates)
    if match is None:
        return None
    item_id, cosine = match
    answer = next(a for i, _, a, _ in items if i == item_id)
    chunk = _chunk_holding(db, community, answer)
    if chunk is None:  # the knowledge was removed (documents delete): nothing to cite
        return None
    detected = detect_language(question)
    citation = Citation(
        source=APPROVED_SOURCE, chunk_id=chunk.id, score=round(cosine, 6), snippet=answer[:300]
    )
    result = AnswerResult(
        answer=answer,
        citations=[citation],
        confidence=round(cosine, 6),
        handoff=False,
        language=detected if detected in ("zh", "en") else "en",
        retrieved=[RetrievedRef(chunk_id=chunk.id, source=APPROVED_SOURCE, score=cosine)],
    )
    return result, item_id


def _chunk_holding(db: Database, community: str, answer: str) -> ChunkRow | None:
    head = answer.strip().splitlines()[0][:80] if answer.strip() else ""
    query = select(ChunkRow).where(
        ChunkRow.community == community, ChunkRow.source == APPROVED_SOURCE
    )
    with db.session() as s:
        return next((c for c in s.scalars(query) if head and head in c.text), None)


def log_answer(
    db: Database,
    community: str,
    question: str,
    result: AnswerResult,
    origin: Origin,
    question_id: str | None,
) -> str:
    """Keep the answer under a new id (what members rate); the question is redacted."""
    answer_id = new_id("ans")
    row = {
        "community": community,
        "id": answer_id,
        "question": redact(question),
        "answer": result.answer,
        "handoff": result.handoff,
        "sources": [c.source for c in result.citations],
        "question_id": question_id,
        "channel": origin.channel,
        "chat_id": origin.chat_id,
        "posted_message_id": "",
        "created_at": datetime.now(UTC),
    }
    # One Core insert: every ask writes this row, and an ORM unit of work around it cost more
    # than ranking the passages.
    with db.engine.begin() as connection:
        connection.execute(insert(AnswerLogRow), [row])
    return answer_id


def get_answer(db: Database, community: str, answer_id: str) -> AnswerLogRow | None:
    with db.session() as s:
        row = s.get(AnswerLogRow, (community, answer_id))
        if row is not None:
            s.expunge(row)
        return row
