"""The queue's side of the chat platforms: which posted message holds which answer (for
reactions), which handoff an operator's reply answers, and where to post an answer back."""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select

from copilot.store.db import Database
from copilot.store.question_tables import AnswerLogRow, QuestionAskingRow, QuestionRow


def mark_posted(
    db: Database, community: str, answer_id: str, posted: list[str], asked_message_id: str
) -> None:
    """The copilot posted answer ``answer_id`` as message(s) ``posted`` in reply to
    ``asked_message_id``: a reaction on it rates the answer, a reply to a handoff answers it."""
    if not posted:
        return
    with db.session() as s:
        log = s.get(AnswerLogRow, (community, answer_id))
        if log is None:
            return
        log.posted_message_id = posted[0]
        if log.handoff and log.question_id:
            asking = s.scalars(
                select(QuestionAskingRow).where(
                    QuestionAskingRow.community == community,
                    QuestionAskingRow.question_id == log.question_id,
                    QuestionAskingRow.channel == log.channel,
                    QuestionAskingRow.chat_id == log.chat_id,
                    QuestionAskingRow.message_id == asked_message_id,
                )
            ).first()
            if asking is not None:
                asking.handoff_message_id = posted[0]


def answer_posted_as(
    db: Database, community: str, channel: str, chat_id: str, message_id: str
) -> str | None:
    """The answer id of the copilot's message ``message_id`` in that chat, if it was one."""
    query = select(AnswerLogRow.id).where(
        AnswerLogRow.community == community,
        AnswerLogRow.channel == channel,
        AnswerLogRow.chat_id == chat_id,
        AnswerLogRow.posted_message_id == message_id,
    )
    with db.session() as s:
        return s.scalars(query).first()


def chat_of_posted(db: Database, channel: str, message_id: str) -> str | None:
    """The chat the copilot posted message ``message_id`` in (platforms whose reaction events
    name only the message, e.g. Feishu; their message ids are unique across chats)."""
    if not message_id:
        return None
    query = select(AnswerLogRow.chat_id).where(
        AnswerLogRow.channel == channel, AnswerLogRow.posted_message_id == message_id
    )
    with db.session() as s:
        return s.scalars(query).first()


def handoff_replied_to(
    db: Database,
    community: str,
    channel: str,
    chat_id: str,
    *,
    reply_to: str | None,
    thread: str | None,
) -> tuple[str, str] | None:
    """(question id, asked message id) of the open item whose handoff this message answers:
    it replies to the copilot's handoff message (or to the question), or it is in the thread
    the handoff was posted in."""
    conditions = []
    if reply_to:
        conditions += [
            QuestionAskingRow.handoff_message_id == reply_to,
            QuestionAskingRow.message_id == reply_to,
        ]
    if thread:
        conditions.append(QuestionAskingRow.thread_id == thread)
    if not conditions:
        return None
    query = (
        select(QuestionAskingRow.question_id, QuestionAskingRow.message_id)
        .join(
            QuestionRow,
            (QuestionRow.community == QuestionAskingRow.community)
            & (QuestionRow.id == QuestionAskingRow.question_id),
        )
        .where(
            QuestionAskingRow.community == community,
            QuestionAskingRow.channel == channel,
            QuestionAskingRow.chat_id == chat_id,
            QuestionAskingRow.message_id != "",
            QuestionRow.status == "open",
            or_(*conditions),
        )
        .order_by(QuestionAskingRow.asked_at.desc())
    )
    with db.session() as s:
        row = s.execute(query).first()
        return (row[0], row[1]) if row else None


def pending_deliveries(
    db: Database, community: str, question_id: str
) -> list[tuple[int, dict[str, Any]]]:
    """(asking id, inbound message) of the chat askings the answer was not posted back to."""
    query = select(QuestionAskingRow).where(
        QuestionAskingRow.community == community,
        QuestionAskingRow.question_id == question_id,
        QuestionAskingRow.answered_back.is_(False),
    )
    with db.session() as s:
        return [(a.id, dict(a.message)) for a in s.scalars(query) if a.message]


def mark_answered_back(db: Database, asking_ids: list[int]) -> None:
    if not asking_ids:
        return
    with db.session() as s:
        for asking in s.scalars(
            select(QuestionAskingRow).where(QuestionAskingRow.id.in_(asking_ids))
        ):
            asking.answered_back = True
