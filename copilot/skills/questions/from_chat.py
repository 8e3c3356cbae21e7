"""Chat questions nobody answered (the chat Q→A links) join the queue when chat is ingested."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import timedelta

from copilot.analytics.exchanges import NEARBY_WINDOW, link_questions
from copilot.embeddings import Embedder
from copilot.models import ChatMessage
from copilot.skills.questions.models import Origin
from copilot.skills.questions.queue import Asking, already_recorded, record_many
from copilot.store.db import Database

# A question younger than this (before the newest message) may still get its answer: a later
# ingest of the same chat (captured chats re-index every message) decides.
GRACE = NEARBY_WINDOW
MAX_PER_INGEST = 2000  # a years-long export: the newest questions are the ones worth asking


def queue_unanswered(
    db: Database,
    embedder: Embedder,
    community: str,
    messages: Sequence[ChatMessage],
    admins: Collection[str] = (),
    grace: timedelta = GRACE,
) -> int:
    """Add the chat's unanswered member questions to the queue; returns how many were new."""
    if not messages:
        return 0
    newest = max(m.ts for m in messages)
    unanswered = [
        e.question
        for e in link_questions(messages, admins)
        if not e.answered and e.question.ts <= newest - grace
    ][-MAX_PER_INGEST:]
    seen = already_recorded(db, community, [m.id for m in unanswered])
    askings: list[Asking] = [
        (
            m.text,
            Origin(
                channel="chat",
                asker=m.author,
                chat_id=m.channel,
                thread_id=m.thread or "",
                message_id=m.id,
            ),
            m.ts,
        )
        for m in unanswered
        if m.id not in seen
    ]
    return len(record_many(db, embedder, community, askings, reason="chat"))
