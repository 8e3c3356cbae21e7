"""The question queue of one community: every handoff and every chat question nobody answered,
grouped so the same question in other words is one item with a count.

Everything stored is redacted first; every query is scoped to one community.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

from sqlalchemy import select

from copilot.embeddings import Embedder
from copilot.errors import InputError, NotFoundError
from copilot.knowledge.redact import redact
from copilot.retrieval.unit_vectors import pack_vectors, unpack_vectors
from copilot.skills.questions.grouping import best_match, question_vectors
from copilot.skills.questions.models import (
    Origin,
    Place,
    QuestionItem,
    Reason,
    Status,
)
from copilot.store.db import Database
from copilot.store.question_tables import QuestionAskingRow, QuestionRow

MAX_PLACES = 20  # askings shown per item; the count keeps them all


def new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(6)}"


def record(
    db: Database,
    embedder: Embedder,
    community: str,
    question: str,
    origin: Origin,
    *,
    reason: Reason = "handoff",
    when: datetime | None = None,
) -> str:
    """Count one asking: into the item it is a paraphrase of, else a new open item. Returns
    the item's id. A dismissed item stays dismissed (it was off-topic or spam)."""
    return record_many(db, embedder, community, [(question, origin, when)], reason=reason)[0]


Asking = tuple[str, Origin, datetime | None]  # question, where, when (None: now)


def record_many(
    db: Database,
    embedder: Embedder,
    community: str,
    askings: list[Asking],
    *,
    reason: Reason = "handoff",
) -> list[str]:
    """``record`` for many askings at once (one embedding batch, one transaction)."""
    if not askings:
        return []
    texts = [redact(q.strip()) for q, _, _ in askings]
    vectors = question_vectors(embedder, texts)
    ids: list[str] = []
    with db.session() as s:
        rows = list(
            s.scalars(
                select(QuestionRow).where(
                    QuestionRow.community == community, QuestionRow.merged_into.is_(None)
                )
            )
        )
        candidates = [
            (r.id, r.question, unpack_vectors(r.vector, embedder.dimension)[0]) for r in rows
        ]
        for text, vector, (_, origin, when) in zip(texts, vectors, askings, strict=True):
            when = _utc(when).astimezone(UTC) if when else datetime.now(UTC)  # SQLite drops zones
            match = best_match(embedder, vector, text, candidates)
            if match is None:
                row = QuestionRow(
                    community=community,
                    id=new_id("q"),
                    question=text,
                    status="open",
                    reason=reason,
                    count=0,
                    downvotes=0,
                    first_asked=when,
                    last_asked=when,
                    answer="",
                    answered_by="",
                    vector=pack_vectors(vector[None, :]),
                )
                s.add(row)
                rows.append(row)
                candidates.append((row.id, text, vector))
            else:
                row = next(r for r in rows if r.id == match[0])
            row.count += 1
            row.first_asked = min(_utc(row.first_asked), when)
            row.last_asked = max(_utc(row.last_asked), when)
            s.add(_asking(community, row.id, text, origin, when))
            ids.append(row.id)
    return ids


def _asking(
    community: str, question_id: str, text: str, origin: Origin, when: datetime
) -> QuestionAskingRow:
    return QuestionAskingRow(
        community=community,
        question_id=question_id,
        text=text,
        asker=redact(origin.asker),
        channel=origin.channel,
        chat_id=origin.chat_id,
        thread_id=origin.thread_id,
        message_id=origin.message_id,
        handoff_message_id="",
        message=origin.message,
        answered_back=False,
        asked_at=when,
    )


def already_recorded(db: Database, community: str, message_ids: list[str]) -> set[str]:
    """Which chat message ids are askings already (a handoff, an earlier ingest of the same
    chat), so a re-ingested export or a captured handoff counts nothing twice."""
    if not message_ids:
        return set()
    query = select(QuestionAskingRow.message_id).where(
        QuestionAskingRow.community == community,
        QuestionAskingRow.message_id.in_(message_ids),
    )
    with db.session() as s:
        return set(s.scalars(query))


def list_items(
    db: Database, community: str, status: Status | None = None, limit: int = 500
) -> list[QuestionItem]:
    """Items ranked by how often, then how recently, they were asked."""
    query = select(QuestionRow).where(
        QuestionRow.community == community, QuestionRow.merged_into.is_(None)
    )
    if status:
        query = query.where(QuestionRow.status == status)
    query = query.order_by(
        QuestionRow.count.desc(), QuestionRow.last_asked.desc(), QuestionRow.id
    ).limit(limit)
    with db.session() as s:
        rows = s.scalars(query).all()
        places = _places(db, community, [r.id for r in rows])
        return [_item(r, places.get(r.id, [])) for r in rows]


def get_item(db: Database, community: str, question_id: str) -> QuestionItem:
    """The item, or an InputError naming what was not found (another community's id too)."""
    with db.session() as s:
        row = s.get(QuestionRow, (community, question_id))
        if row is None:
            raise not_found(community, question_id)
        if row.merged_into:
            return get_item(db, community, row.merged_into)
        return _item(row, _places(db, community, [row.id]).get(row.id, []))


def not_found(community: str, question_id: str) -> NotFoundError:
    return NotFoundError(f"no question '{question_id}' in community '{community}'")


def set_status(
    db: Database,
    community: str,
    question_id: str,
    status: Status,
    *,
    answer: str | None = None,
    by: str = "",
) -> QuestionItem:
    with db.session() as s:
        row = s.get(QuestionRow, (community, question_id))
        if row is None or row.merged_into:
            raise not_found(community, question_id)
        row.status = status
        if answer is not None:
            row.answer, row.answered_by, row.answered_at = answer, by, datetime.now(UTC)
    return get_item(db, community, question_id)


def reopen(db: Database, community: str, question_id: str, *, downvote: bool = False) -> None:
    """Back in the queue (a thumbs-down, a failed post). The answer stays as knowledge until an
    operator answers again: a member's rating never deletes what an operator wrote."""
    with db.session() as s:
        row = s.get(QuestionRow, (community, question_id))
        if row is None:
            return
        if row.status != "dismissed":
            row.status = "open"
        row.downvotes += int(downvote)


def merge(db: Database, community: str, question_id: str, into: str) -> QuestionItem:
    """Fold item ``question_id`` into ``into``: its askings and count move over."""
    if question_id == into:
        raise InputError("an item cannot be merged into itself")
    with db.session() as s:
        source = s.get(QuestionRow, (community, question_id))
        target = s.get(QuestionRow, (community, into))
        for qid, row in ((question_id, source), (into, target)):
            if row is None or row.merged_into:
                raise not_found(community, qid)
        assert source is not None and target is not None
        target.count += source.count
        target.first_asked = min(_utc(target.first_asked), _utc(source.first_asked))
        target.last_asked = max(_utc(target.last_asked), _utc(source.last_asked))
        source.merged_into = into
        for asking in s.scalars(
            select(QuestionAskingRow).where(
                QuestionAskingRow.community == community,
                QuestionAskingRow.question_id == question_id,
            )
        ):
            asking.question_id = into
    return get_item(db, community, into)


def answered_items(db: Database, community: str) -> list[tuple[str, str, str, bytes]]:
    """(id, question, answer, vector bytes) of the answered items: the knowledge they became."""
    query = select(
        QuestionRow.id, QuestionRow.question, QuestionRow.answer, QuestionRow.vector
    ).where(
        QuestionRow.community == community,
        QuestionRow.status != "dismissed",
        QuestionRow.answer != "",
        QuestionRow.merged_into.is_(None),
    )
    with db.engine.connect() as connection:  # read before every ask: no ORM session
        return [(i, q, a, v) for i, q, a, v in connection.execute(query)]


def _places(db: Database, community: str, ids: list[str]) -> dict[str, list[Place]]:
    if not ids:
        return {}
    query = (
        select(QuestionAskingRow)
        .where(QuestionAskingRow.community == community, QuestionAskingRow.question_id.in_(ids))
        .order_by(QuestionAskingRow.asked_at.desc(), QuestionAskingRow.id.desc())
    )
    found: dict[str, list[Place]] = {}
    with db.session() as s:
        for a in s.scalars(query):
            places = found.setdefault(a.question_id, [])
            if len(places) < MAX_PLACES:
                places.append(
                    Place(
                        asker=a.asker,
                        channel=a.channel,
                        chat_id=a.chat_id,
                        thread_id=a.thread_id,
                        asked_at=_utc(a.asked_at),
                        text=a.text,
                    )
                )
    return found


def _item(row: QuestionRow, places: list[Place]) -> QuestionItem:
    return QuestionItem(
        id=row.id,
        question=row.question,
        count=row.count,
        status=row.status,  # type: ignore[arg-type]
        reason=row.reason,  # type: ignore[arg-type]
        first_asked=_utc(row.first_asked),
        last_asked=_utc(row.last_asked),
        answer=row.answer,
        answered_by=row.answered_by,
        answered_at=_utc(row.answered_at) if row.answered_at else None,
        downvotes=row.downvotes,
        askers=sorted({p.asker for p in places if p.asker}),
        asked_in=places,
    )


def _utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes: they were stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
