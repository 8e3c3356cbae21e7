"""An operator's decision on a queue item: an answer becomes approved knowledge (the
``faq:approved`` source, cited like any playbook); a dismissal takes it out again."""

from __future__ import annotations

from copilot.errors import InputError, check_text
from copilot.knowledge.indexer import Indexer
from copilot.skills.faq import approve_answer, index_approved
from copilot.skills.questions.models import QuestionItem
from copilot.skills.questions.queue import get_item, set_status
from copilot.store.db import Database
from copilot.store.faq_table import FaqRow

MAX_ANSWER_CHARS = 4000


def faq_id_of(question_id: str) -> str:
    return f"faq_{question_id}"


def check_answer(text: str) -> str:
    text = check_text((text or "").strip(), "the answer")
    if not text:
        raise InputError("the answer is empty: write what the member should know")
    if len(text) > MAX_ANSWER_CHARS:
        raise InputError(f"the answer is {len(text)} characters; the limit is {MAX_ANSWER_CHARS}")
    return text


def answer_item(
    db: Database,
    indexer: Indexer,
    community: str,
    question_id: str,
    text: str,
    *,
    by: str,
    chunk_tokens: int,
) -> QuestionItem:
    """Mark the item answered with ``text`` and index it, so the next paraphrase gets it."""
    text = check_answer(text)
    item = get_item(db, community, question_id)  # raises for an unknown (or foreign) id
    item = set_status(db, community, item.id, "answered", answer=text, by=by)
    approve_answer(
        db,
        indexer,
        community,
        faq_id_of(item.id),
        question=item.question,
        answer=text,
        answerer=by,
        asked_times=item.count,
        chunk_tokens=chunk_tokens,
    )
    return item


def dismiss_item(
    db: Database, indexer: Indexer, community: str, question_id: str, *, chunk_tokens: int
) -> QuestionItem:
    """Off-topic or spam: out of the queue, and out of the knowledge if it was answered."""
    item = set_status(db, community, get_item(db, community, question_id).id, "dismissed")
    with db.session() as s:
        row = s.get(FaqRow, (community, faq_id_of(item.id)))
        was_approved = row is not None and row.status == "approved"
        if row is not None:
            row.status = "rejected"
    if was_approved:
        index_approved(db, indexer, community, chunk_tokens)
    return item
