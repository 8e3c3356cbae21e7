"""The app layer's work for one inbound message: dedupe, route, rate-limit, answer, deliver.

``accept`` runs inside the webhook request (cheap: one route lookup and one insert), so the
platform gets its ack within its deadline; ``process`` runs afterwards as an asyncio task and
calls the (CPU-bound, blocking) facade in a worker thread. The event row written by ``accept``
is both the dedupe key and the durable work log: ``recover`` re-runs rows still 'received'.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from collections import defaultdict, deque
from collections.abc import Callable, Coroutine, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import anyio

from copilot.knowledge.chat_exports.common import member_id
from copilot.models import ChatMessage
from copilot.service import Copilot
from copilot.skills.results import AnswerResult, Citation

from .base import Connector, DeliveryError, Expiring, InboundMessage
from .questions import QuestionRelay
from .routing import Decision, decide, summary_since
from .tables import (
    Route,
    add_review,
    finish_event,
    get_route,
    keep_first,
    pending_events,
    purge_events,
    record_event,
)

log = logging.getLogger("connectors.worker")
T = TypeVar("T")

TEXTS = {
    "zh": {
        "sources": "来源",
        "rate": "提问有点多啦，请稍等一分钟再问我～",
        "refuse": "抱歉，这个指令只对本群的运营同学开放。有问题可以直接 @我 提问。",
        "hint": "想问什么？在 @我 后面直接写问题就好，例如：@我 活动几点开始？",
        "handoff": "我已请管理员来看看：",
        "error": "抱歉，我这边出了点问题，已记录下来，请稍后再试。",
        "held": "收到。这个平台的回调不签名消息内容，为防冒充，结果已放进审核队列，"
        "请运营在后台确认后再发到群里。",
    },
    "en": {
        "sources": "Sources",
        "rate": "That's a lot of questions at once. Please give me a minute and ask again.",
        "refuse": "Sorry, that command is for this group's operators. You can ask me a question "
        "by mentioning me.",
        "hint": "What would you like to know? Mention me followed by your question.",
        "handoff": "I've asked an admin to help:",
        "error": "Sorry, something went wrong on my side; it has been logged. Please try again.",
        "held": "Got it. This platform does not sign message contents, so to rule out an "
        "impostor the result waits in the review queue until an operator approves it.",
    },
}


def lang_of(text: str) -> str:
    return "zh" if any("\u4e00" <= ch <= "\u9fff" for ch in text) else "en"


def format_answer(
    answer: str, citations: list[Citation] | list[dict[str, Any]], language: str
) -> str:
    """Answer text plus its numbered sources: ``…[1]\\n\\n来源: [1] faq.md``."""
    sources = [c.source if isinstance(c, Citation) else str(c.get("source", "")) for c in citations]
    if not sources:
        return answer
    word = TEXTS["en" if language == "en" else "zh"]["sources"]
    # File names only: members need to recognise the document, not the server's paths.
    listed = "  ".join(
        f"[{i}] {s.replace(chr(92), '/').rsplit('/', 1)[-1]}" for i, s in enumerate(sources, 1)
    )
    return f"{answer}\n\n{word}: {listed}"


class RateLimiter:
    """Sliding one-minute windows per chat and per user, in memory (per process).

    Over the limit, the caller gets one friendly notice per window, then silence, so a
    flood does not turn into a flood of notices."""

    def __init__(
        self,
        per_chat: int = 20,
        per_user: int = 5,
        window: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limits = {"chat": per_chat, "user": per_user}
        self.window, self.clock = window, clock
        self._hits: dict[tuple[str, str], deque[float]] = defaultdict(deque)
        self._noticed: dict[tuple[str, str], float] = {}

    def check(self, msg: InboundMessage) -> str:
        """'ok', 'notice' (over the limit, tell them once) or 'silent'."""
        now = self.clock()
        keys = [
            ("chat", f"{msg.platform}:{msg.chat_id}"),
            ("user", f"{msg.platform}:{msg.chat_id}:{msg.user_id}"),
        ]
        for key in keys:
            hits = self._hits[key]
            while hits and hits[0] <= now - self.window:
                hits.popleft()
        over = [k for k in keys if self.limits[k[0]] and len(self._hits[k]) >= self.limits[k[0]]]
        if not over:
            for key in keys:
                self._hits[key].append(now)
            return "ok"
        key = over[0]
        if now - self._noticed.get(key, -1e18) < self.window:
            return "silent"
        self._noticed[key] = now
        return "notice"


class ConnectorWorker:
    def __init__(
        self,
        copilot: Copilot,
        connectors: Mapping[str, Connector],
        limiter: RateLimiter | None = None,
        capacity: anyio.CapacityLimiter | None = None,
    ) -> None:
        self.copilot, self.db, self.connectors = copilot, copilot.db, connectors
        self.limiter = limiter or RateLimiter()
        self.capacity = capacity
        self.questions = QuestionRelay(copilot, connectors)
        self.tasks: set[asyncio.Task[None]] = set()
        self._purged_at = -1e18

    # -- request side --------------------------------------------------------------------
    def first_use(self, platform: str, proof: Expiring, body: bytes) -> bool:
        """False when ``proof`` was already used for another body (a captured DingTalk sign
        replayed with a rewritten body). The same body again is the platform's retry: it
        passes, and the event id dedupes it."""
        key = hashlib.sha256(proof.value.encode()).hexdigest()
        digest = hashlib.sha256(body).hexdigest()
        kept, _ = keep_first(self.db, platform, "sign", key, digest, proof.expires)
        return kept == digest

    def bind_reply(self, conn: Connector, msg: InboundMessage) -> InboundMessage:
        """Answer through the first reply URL this chat gave until it expires: a body nothing
        signed cannot point the chat's answers at another conversation."""
        target = conn.reply_target(msg)
        if target is None:
            return msg
        value, expires = keep_first(
            self.db, msg.platform, "reply", msg.chat_id, target.value, target.expires
        )
        return (
            msg if value == target.value else conn.with_reply_target(msg, Expiring(value, expires))
        )

    def accept(self, msg: InboundMessage) -> InboundMessage | None:
        """Record the event if it needs work and return what to process: the message as it is
        stored, redacted and without what no step needs. None for duplicates and drops."""
        msg = self.questions.locate(self.stored_form(msg))
        route = get_route(self.db, msg.platform, msg.chat_id)
        wanted = route is not None and (
            msg.reaction is not None
            or route.capture
            or self.questions.answered_handoff(route, msg) is not None
        )
        if decide(msg, route).action == "ignore" and not wanted:
            return None
        self._purge_old_events()
        return msg if record_event(self.db, msg) else None

    def stored_form(self, msg: InboundMessage) -> InboundMessage:
        """Personal data out before anything is stored (event log, review queue, capture); the
        quoted message is dropped: nothing answers from it."""
        from copilot.knowledge.redact import redact

        changes: dict[str, Any] = {"quoted_text": None}
        if self.copilot.settings.redact_chat:
            changes |= {"text": redact(msg.text), "args": redact(msg.args)}
        return msg.model_copy(update=changes)

    def _purge_old_events(self) -> None:
        """Finished events are kept (as dedupe keys, without content) for the retention period
        and then deleted; checked at most once an hour per process."""
        now = time.monotonic()
        if now - self._purged_at < 3600:
            return
        self._purged_at = now
        days = self.copilot.settings.connector_event_retention_days
        purge_events(self.db, datetime.now(UTC) - timedelta(days=days))

    def spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self.tasks.add(task)  # keep a reference: the loop holds tasks only weakly
        task.add_done_callback(self.tasks.discard)

    async def drain(self) -> None:
        """Wait for scheduled work (tests, shutdown)."""
        while self.tasks:
            await asyncio.gather(*list(self.tasks), return_exceptions=True)

    def recover(self) -> int:
        """Schedule events acked before a restart but never finished."""
        events = [m for m in pending_events(self.db) if m.platform in self.connectors]
        for msg in events:
            self.spawn(self.process(msg))
        return len(events)

    # -- background side -----------------------------------------------------------------
    async def process(self, msg: InboundMessage) -> None:
        try:
            await self._process(msg)
        except Exception as exc:  # never lose the loop; the row says what happened
            log.exception("connector event %s/%s failed", msg.platform, msg.event_id)
            finish_event(self.db, msg.platform, msg.event_id, "failed", repr(exc))
        else:
            finish_event(self.db, msg.platform, msg.event_id, "done")

    async def _process(self, msg: InboundMessage) -> None:
        conn = self.connectors[msg.platform]
        route = get_route(self.db, msg.platform, msg.chat_id)
        if route is None:
            return
        msg = await self._run(self.bind_reply, conn, msg)
        if msg.reaction is not None:
            await self._run(self.questions.rate, route, msg)
            return
        decision = decide(msg, route, body_signed=conn.capabilities.signs_body)
        if route.capture and not msg.command and msg.text:
            await self._run(self._capture, route, msg)
        answered = await self._run(self.questions.answered_handoff, route, msg)
        if answered is not None:  # an operator's reply to a handoff: the item's answer
            await self.questions.take_answer(route, msg, answered)
            return
        if decision.action == "ignore":
            return
        texts = TEXTS[lang_of(msg.text or msg.args) if msg.text or msg.args else "zh"]
        verdict = self.limiter.check(msg)
        if verdict != "ok":
            if verdict == "notice" and decision.addressed:
                await conn.reply(msg, texts["rate"])
            return
        if decision.action in ("refuse", "hint"):
            await conn.reply(msg, texts[decision.action])
            return
        try:
            await self._act(conn, route, msg, decision)
        except DeliveryError:
            raise
        except Exception:
            if decision.addressed:  # an honest error beats silence for someone who asked
                await conn.reply(msg, texts["error"])
            raise

    async def _act(
        self, conn: Connector, route: Route, msg: InboundMessage, decision: Decision
    ) -> None:
        community = route.community
        if decision.action in ("summary", "draft"):
            text, citations, language = await self._operator_output(community, decision)
            if decision.held:  # the second factor: an operator key approves it in the queue
                await self._run(add_review, self.db, community, msg, text, citations)
                await conn.reply(msg, TEXTS[lang_of(msg.text or msg.args)]["held"])
            else:
                await conn.reply(msg, format_answer(text, citations, language))
        else:
            answer: AnswerResult = await self._run(
                self.copilot.ask,
                community,
                decision.text,
                origin=self.questions.origin(conn, msg),
                queue_handoff=decision.addressed,  # a silent handoff told nobody anything
            )
            if answer.handoff and not decision.addressed:
                return  # mode all/review: stay quiet unless confident
            if decision.action == "review":  # nothing is posted until an operator approves
                add_review(
                    self.db,
                    community,
                    msg,
                    answer.answer,
                    [c.model_dump() for c in answer.citations],
                )
            elif answer.handoff:
                texts = TEXTS["en" if answer.language == "en" else "zh"]
                admins = route.admins
                text = f"{answer.answer}\n\n{texts['handoff']}" if admins else answer.answer
                posted = await conn.reply(msg, text, mention=admins)
                await self._run(self.questions.posted, community, answer.answer_id, msg, posted)
            else:
                posted = await conn.reply(
                    msg, format_answer(answer.answer, answer.citations, answer.language)
                )
                await self._run(self.questions.posted, community, answer.answer_id, msg, posted)

    async def _operator_output(
        self, community: str, decision: Decision
    ) -> tuple[str, list[dict[str, Any]], str]:
        """The digest or draft an operator command asked for: text, citations, language."""
        if decision.action == "summary":
            since = summary_since(decision.hours, datetime.now(UTC), self._timezone(community))
            result = await self._run(self.copilot.summarize, community, since=since)
            text = result.notice or result.markdown
            return text, [], lang_of(text)
        kind, _, topic = decision.text.partition(" ")
        from copilot.skills.draft import normalize_kind

        if normalize_kind(kind) is None:
            kind, topic = "announcement", decision.text
        draft = await self._run(self.copilot.draft, community, kind=kind, topic=topic or kind)
        return draft.text, [c.model_dump() for c in draft.citations], draft.language

    def _capture(self, route: Route, msg: InboundMessage) -> None:
        """Store the group message (redacted inside ingest_messages) and re-index today's
        windows of this chat: one source per chat and day, so indexing stays incremental."""
        from copilot.store.messages import load_messages

        now = datetime.now(UTC)
        channel = f"{msg.platform}:{msg.chat_id}"
        user_id = msg.user_id
        if self.connectors[msg.platform].capabilities.personal_user_ids:
            user_id = member_id(msg.platform, msg.user_id)  # never store the QQ number
        new = ChatMessage(
            id=msg.message_id or msg.event_id,
            community=route.community,
            channel=channel,
            author=msg.user_name or user_id,
            author_id=user_id,
            ts=now,
            text=msg.text,
            thread=msg.thread_id,
        )
        start = now.replace(hour=0, minute=0, second=0, microsecond=0)
        day = load_messages(self.db, route.community, since=start, channel=channel)
        known = {m.id for m in day}
        batch = day + ([new] if new.id not in known else [])
        self.copilot.ingest_messages(route.community, batch, source=f"{channel}:{start:%Y-%m-%d}")

    def _timezone(self, community: str) -> str:
        try:
            return str(self.copilot.profile(community).timezone)
        except Exception:  # a missing profile must not block a summary
            return "Asia/Shanghai"

    async def _run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        return await anyio.to_thread.run_sync(lambda: fn(*args, **kwargs), limiter=self.capacity)

    # -- review queue --------------------------------------------------------------------
    async def deliver_review(
        self, msg: InboundMessage, text: str, citations: list[dict[str, Any]]
    ) -> None:
        """Post an approved answer in the asker's thread; fall back to a plain post when the
        reply handle expired (Discord tokens, DingTalk session webhooks, WeCom response_url)."""
        conn = self.connectors[msg.platform]
        body = format_answer(text, citations, lang_of(text))
        try:
            await conn.reply(msg, body)
        except DeliveryError:
            await conn.send(msg.chat_id, body, thread_id=msg.thread_id)
