"""The FAQ queue: candidates mined from chat wait for an operator, who approves them into the
knowledge base (or rejects them).

Approved entries are indexed as one playbook source, `faq:approved`, so approving or
rejecting re-indexes only that source and answers cite the FAQ like any playbook.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel
from sqlalchemy import select

from copilot.errors import InputError
from copilot.knowledge.chunking import split_markdown
from copilot.knowledge.indexer import Indexer
from copilot.models import ChatMessage
from copilot.skills.faq.mining import mine_faq
from copilot.store.db import Database
from copilot.store.faq_table import FaqRow

APPROVED_SOURCE = "faq:approved"
Status = Literal["pending", "approved", "rejected"]


class FaqEntry(BaseModel):
    id: str
    question: str
    answer: str
    asker: str
    answerer: str
    asked_times: int
    status: Status


def refresh_candidates(
    db: Database, community: str, messages: list[ChatMessage], admins: list[str]
) -> int:
    """Mine the history again; new candidates are added as pending, decisions are kept."""
    found = mine_faq(messages, admins=set(admins))
    added = 0
    with db.session() as session:
        for c in found:
            row = session.get(FaqRow, (community, c.id))
            if row is None:
                session.add(
                    FaqRow(
                        community=community,
                        id=c.id,
                        question=c.question,
                        answer=c.answer,
                        asker=c.asker,
                        answerer=c.answerer,
                        asked_times=c.asked_times,
                        updated_at=datetime.now(UTC),
                    )
                )
                added += 1
            else:
                row.asked_times = max(row.asked_times, c.asked_times)
    return added


def list_entries(db: Database, community: str, status: Status | None = None) -> list[FaqEntry]:
    query = select(FaqRow).where(FaqRow.community == community)
    if status:
        query = query.where(FaqRow.status == status)
    with db.session() as session:
        rows = session.scalars(query.order_by(FaqRow.asked_times.desc(), FaqRow.id)).all()
        return [
            FaqEntry(
                id=r.id,
                question=r.question,
                answer=r.answer,
                asker=r.asker,
                answerer=r.answerer,
                asked_times=r.asked_times,
                status=r.status,  # type: ignore[arg-type]
            )
            for r in rows
        ]


def decide(
    db: Database,
    indexer: Indexer,
    community: str,
    faq_id: str,
    status: Status,
    *,
    question: str | None = None,
    answer: str | None = None,
    chunk_tokens: int = 220,
) -> FaqEntry:
    """Approve (optionally with edits) or reject one candidate, then re-index approved FAQs."""
    with db.session() as session:
        row = session.get(FaqRow, (community, faq_id))
        if row is None:
            raise InputError(f"no FAQ candidate '{faq_id}' in community '{community}'")
        row.status = status
        row.question = (question or row.question).strip()
        row.answer = (answer or row.answer).strip()
        row.updated_at = datetime.now(UTC)
    index_approved(db, indexer, community, chunk_tokens)
    return next(e for e in list_entries(db, community) if e.id == faq_id)


def approve_answer(
    db: Database,
    indexer: Indexer,
    community: str,
    faq_id: str,
    *,
    question: str,
    answer: str,
    answerer: str,
    asked_times: int,
    chunk_tokens: int = 220,
) -> None:
    """Add or replace one approved entry written by an operator (an answered queue question,
    a correction) and re-index: it becomes knowledge cited like any playbook."""
    with db.session() as session:
        row = session.get(FaqRow, (community, faq_id)) or FaqRow(community=community, id=faq_id)
        row.question, row.answer, row.asker, row.answerer = question, answer, "", answerer
        row.asked_times, row.status, row.updated_at = asked_times, "approved", datetime.now(UTC)
        session.add(row)
    index_approved(db, indexer, community, chunk_tokens)


def index_approved(db: Database, indexer: Indexer, community: str, chunk_tokens: int) -> None:
    """The approved entries as one playbook source (only that source is re-indexed)."""
    approved = list_entries(db, community, "approved")
    if approved:
        text = "# FAQ\n\n" + "\n\n".join(f"## {e.question}\n{e.answer}" for e in approved)
        indexer.index(
            community, APPROVED_SOURCE, "playbook", split_markdown(text, max_tokens=chunk_tokens)
        )
    else:
        indexer.remove(community, APPROVED_SOURCE)
