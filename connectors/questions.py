"""The learning loop in the chats: handoffs are queued with where they were asked, an
operator's reply to a handoff answers the queue item, the answer is posted back to every chat
that asked it (through the route's review rules), and 👍/👎 reactions rate answers.

An operator's reply counts only where the platform signs the message body: elsewhere (Telegram,
DingTalk) whoever holds one valid request could write it, so answers there come from the CLI or
the HTTP API.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from copilot.knowledge.chat_exports.common import member_id
from copilot.service import Copilot
from copilot.skills.questions import Origin
from copilot.skills.questions.chats import (
    answer_posted_as,
    chat_of_posted,
    handoff_replied_to,
    mark_answered_back,
    mark_posted,
    pending_deliveries,
)

from .base import Connector, DeliveryError, InboundMessage, Posted
from .routing import is_operator
from .tables import Route, add_review, get_route

log = logging.getLogger("connectors.questions")

ANSWERED = {
    "zh": "管理员回复了你之前的问题：",
    "en": "An admin answered your question:",
}


class QuestionRelay:
    """What the connector worker does for the question queue."""

    def __init__(self, copilot: Copilot, connectors: Mapping[str, Connector]) -> None:
        self.copilot, self.db, self.connectors = copilot, copilot.db, connectors

    def origin(self, conn: Connector, msg: InboundMessage) -> Origin:
        """Where ``msg`` asked, for the queue (and to post the answer back to it)."""
        asker, kept = msg.user_id, msg
        if conn.capabilities.personal_user_ids:  # never the QQ number: the reply quotes instead
            asker = member_id(msg.platform, msg.user_id)
            kept = msg.model_copy(update={"user_id": asker, "user_name": None})
        return Origin(
            channel=msg.platform,
            asker=asker,
            chat_id=msg.chat_id,
            thread_id=conn.reply_thread(msg) or msg.thread_id or "",
            message_id=msg.message_id,
            message=kept.model_dump(mode="json"),
        )

    def posted(
        self, community: str, answer_id: str, msg: InboundMessage, ids: Posted | None
    ) -> None:
        mark_posted(self.db, community, answer_id, list(ids or []), msg.message_id)

    def answered_handoff(self, route: Route, msg: InboundMessage) -> tuple[str, str] | None:
        """(question id, asked message id) when ``msg`` is an operator's answer to a handoff."""
        conn = self.connectors.get(msg.platform)
        if (
            conn is None
            or not conn.capabilities.signs_body
            or not msg.text
            or msg.command
            or not is_operator(route, msg)
        ):
            return None
        threaded = conn.reply_thread(msg) if msg.thread_id else None
        return handoff_replied_to(
            self.db,
            route.community,
            msg.platform,
            msg.chat_id,
            reply_to=msg.reply_to,
            thread=threaded,
        )

    async def take_answer(self, route: Route, msg: InboundMessage, target: tuple[str, str]) -> int:
        """Store the operator's reply as the item's answer (approved knowledge), then post it
        to the other chats that asked; returns how many were told."""
        import anyio

        question_id, asked_in = target
        by = f"{msg.platform}:{msg.user_handle or msg.user_id}"
        await anyio.to_thread.run_sync(
            lambda: self.copilot.answer_question_item(route.community, question_id, msg.text, by=by)
        )
        return await self.post_back(route.community, question_id, msg.text, already=asked_in)

    async def post_back(
        self, community: str, question_id: str, text: str, *, already: str | None = None
    ) -> int:
        """Post ``text`` to every chat asking of the item not told yet, mentioning the asker
        (``already``: the asked message whose thread has the operator's own reply). A route in
        mode ``review`` gets it in the review queue instead. Returns how many were told."""
        told: list[int] = []
        for asking_id, data in pending_deliveries(self.db, community, question_id):
            msg = InboundMessage.model_validate(data)
            route = get_route(self.db, msg.platform, msg.chat_id)
            conn = self.connectors.get(msg.platform)
            if msg.message_id == already:
                told.append(asking_id)
                continue
            if route is None or route.community != community or conn is None:
                continue  # the chat left the community, or its platform is not set up here
            lead = ANSWERED["en" if msg.text.isascii() else "zh"]
            try:
                if route.mode == "review":
                    add_review(self.db, community, msg, f"{lead}\n{text}", [])
                else:
                    mention = [] if conn.capabilities.personal_user_ids else [msg.user_id]
                    try:
                        await conn.reply(msg, f"{lead}\n{text}", mention=mention)
                    except DeliveryError:  # the reply handle expired: post in the thread
                        await conn.send(msg.chat_id, f"{lead}\n{text}", thread_id=msg.thread_id)
            except DeliveryError as exc:
                log.warning(
                    "posting the answer to %s/%s failed: %s", msg.platform, msg.chat_id, exc
                )
                continue
            told.append(asking_id)
        mark_answered_back(self.db, told)
        return len(told)

    def locate(self, msg: InboundMessage) -> InboundMessage:
        """A reaction that names no chat (Feishu) gets the chat of the message it is on."""
        if msg.reaction is None or msg.chat_id:
            return msg
        chat = chat_of_posted(self.db, msg.platform, msg.message_id)
        return msg.model_copy(update={"chat_id": chat}) if chat else msg

    def rate(self, route: Route, msg: InboundMessage) -> bool:
        """A 👍/👎 on one of the copilot's answers; False when the message was not one."""
        answer_id = answer_posted_as(
            self.db, route.community, msg.platform, msg.chat_id, msg.message_id
        )
        if answer_id is None or msg.reaction is None:
            return False
        conn = self.connectors.get(msg.platform)
        asker = msg.user_id
        if conn is not None and conn.capabilities.personal_user_ids:
            asker = member_id(msg.platform, msg.user_id)
        self.copilot.feedback(
            route.community,
            answer_id,
            msg.reaction,
            by=f"{msg.platform}:{asker}",
            origin=Origin(channel=msg.platform, asker=asker, chat_id=msg.chat_id),
        )
        return True
