"""Who is who in a chat, and which messages respond to which.

Response rules (shared by health, summaries and FAQ mining, so they agree). A message
R *responds to* a message Q when R is by a different member, is not from a bot, is
sent at or after Q and no later than `within` (24 h by default), and one of these holds:

1. explicit reply: ``R.reply_to == Q.id``;
2. Q opened a thread: ``R.thread == Q.id`` (Slack-style threads keyed by the parent);
3. nearby: R is in Q's channel and Q's thread (`flow`: None for top-level messages),
   at most `window` (30 min) after Q, does not explicitly reply to another message (replying
   to the thread's root, as every Slack thread reply does, is not replying to another),
   and either @-mentions Q's author or is written by an admin — or by anyone, when
   the caller asks for ``anyone_nearby`` (FAQ mining, where acceptance is checked
   separately).

Sharing a long-lived thread is not enough on its own: topic threads (Telegram forum
topics, Feishu topic groups) hold many conversations. Rule 3 is deliberately narrow:
the next messages are often a different conversation, so by default only an admin
speaking right after, or someone addressing the asker, counts.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from copilot.models import ChatMessage
from copilot.models import assume_utc as aware  # re-exported for analytics and skills
from copilot.text import fold_chinese

RESPONSE_WITHIN = timedelta(hours=24)
NEARBY_WINDOW = timedelta(minutes=30)

# Telegram bot usernames must end in "bot"; camel/underscore forms only, so "Abbot" is a person.
_BOT_NAME = re.compile(r"(?:Bot|_bot|[\s\-][Bb]ot|^[Bb]ot|BOT)$|机器人$")


def member_key(msg: ChatMessage) -> str:
    """Stable identity of a sender: platform user id when known, else display name."""
    return msg.author_id or msg.author


def normalize(messages: Iterable[ChatMessage]) -> list[ChatMessage]:
    """Messages sorted by (time, id), with naive timestamps made UTC-aware."""
    fixed = [
        m if m.ts.tzinfo is not None else m.model_copy(update={"ts": aware(m.ts)}) for m in messages
    ]
    return sorted(fixed, key=lambda m: (m.ts, m.id))


@dataclass(frozen=True)
class Roles:
    """Admins and bots, named by display name or platform user id."""

    admins: frozenset[str] = frozenset()
    bots: frozenset[str] = frozenset()

    @classmethod
    def of(cls, admins: Collection[str] = (), bots: Collection[str] = ()) -> Roles:
        return cls(frozenset(admins), frozenset(bots))

    def is_admin(self, msg: ChatMessage) -> bool:
        return msg.author in self.admins or (msg.author_id or "") in self.admins

    def is_bot(self, msg: ChatMessage) -> bool:
        """Marked as an app by its export, listed as a bot, or named like one ("CopilotBot",
        "xx_bot", "群助手机器人")."""
        if msg.is_bot or msg.author in self.bots or (msg.author_id or "") in self.bots:
            return True
        return bool(_BOT_NAME.search(msg.author.strip()))


def mentions(text: str, name: str) -> bool:
    """Does `text` @-mention `name` (folded: case, width and script insensitive), by the whole
    name or the one members call them by ("@Ingrid" for Ingrid Olsen, "@阿豪" for 管理-阿豪)?"""
    if not name or ("@" not in text and "＠" not in text):  # cheap pre-check; folding is not
        return False
    folded = fold_chinese(text)
    return any(_named_at(folded, f"@{who}") for who in _called(name))


def addresses(text: str, name: str) -> bool:
    """Does `text` @-mention `name`, or open with it ("Sasha K no, only Mon/Wed/Thu", "Aisha
    yes — …")? Many members address someone by name without the @."""
    if mentions(text, name):
        return True
    folded = fold_chinese(text).lstrip()
    return any(len(who) >= 2 and _named_at(folded, who, start=True) for who in _called(name))


def address_starts(name: str) -> frozenset[str]:
    """The letters a message that `addresses` `name` without an @ opens with: the first of each
    name they are called by. A cheap test before `addresses` when scanning a day's messages."""
    return frozenset(who[:1] for who in _called(name) if who)


def names(text: str, name: str) -> bool:
    """Does `text` name `name` as a word anywhere ("Not for this one, sorry Emma, …")? Only
    Latin names of three letters or more: a Chinese name is a substring of too many words."""
    folded = fold_chinese(text)
    return any(
        who.isascii() and len(who) >= 3 and re.search(rf"(?<![\w@]){re.escape(who)}(?!\w)", folded)
        for who in _called(name)
    )


@lru_cache(maxsize=4096)  # asked for every message a question's window holds
def _called(name: str) -> tuple[str, ...]:
    """The folded names a member is called by: the whole name, the first of a Latin name's
    words ("ingrid" for "Ingrid Olsen"), the part after a role prefix ("阿豪" for "管理-阿豪")."""
    whole = fold_chinese(name).strip()
    out = [whole] if whole else []
    words = whole.split()
    latin = [w for w in words if w.isascii() and w.isalpha()]
    if len(words) > 1 and latin and len(latin[0]) >= 3:
        out.append(latin[0])  # "ingrid" for "Ingrid Olsen", "mei" for "陈美玲 Mei Chen"
    for sep in ("-", "－", "—"):
        tail = whole.rsplit(sep, 1)[-1].strip()
        if sep in whole and len(tail) >= 2:
            out.append(tail)
    return tuple(out)


def _named_at(folded: str, who: str, *, start: bool = False) -> bool:
    """`who` in `folded` (at its start when `start`) as a whole name, not a longer word's head."""
    at = 0 if start else folded.find(who)
    while at != -1:
        if folded.startswith(who, at):
            rest = folded[at + len(who) :]
            if not rest or not (rest[0].isalnum() or rest[0] == "_"):
                return True
        if start:
            return False
        at = folded.find(who, at + 1)
    return False


class ConversationIndex:
    """Indexes conversation messages so response lookups are cheap (10k+ messages)."""

    def __init__(
        self, messages: Sequence[ChatMessage], roles: Roles, exclude: Collection[str] = ()
    ):
        self.roles = roles
        skip = set(exclude)
        self.messages = [
            m
            for m in normalize(messages)
            if not m.is_service and m.id not in skip and not roles.is_bot(m)
        ]
        self.by_id = {m.id: m for m in self.messages}
        self._replies: dict[str, list[ChatMessage]] = defaultdict(list)
        self._threads: dict[str, list[ChatMessage]] = defaultdict(list)
        self._channels: dict[str, list[ChatMessage]] = defaultdict(list)
        for m in self.messages:
            if m.reply_to:
                self._replies[m.reply_to].append(m)
            if m.thread:
                self._threads[m.thread].append(m)
            self._channels[m.channel].append(m)
        self._channel_ts = {ch: [m.ts for m in ms] for ch, ms in self._channels.items()}

    def following(self, q: ChatMessage, window: timedelta) -> list[ChatMessage]:
        """Messages in q's channel after q, up to `window` later."""
        msgs = self._channels.get(q.channel, [])
        times = self._channel_ts.get(q.channel, [])
        start = bisect.bisect_left(times, aware(q.ts))
        end = bisect.bisect_right(times, aware(q.ts) + window)
        return [m for m in msgs[start:end] if m.id != q.id]

    def responses(
        self,
        q: ChatMessage,
        *,
        within: timedelta = RESPONSE_WITHIN,
        window: timedelta = NEARBY_WINDOW,
        anyone_nearby: bool = False,
    ) -> list[ChatMessage]:
        """Messages responding to `q` under the module's rules, earliest first."""
        q_ts = aware(q.ts)
        asker = member_key(q)
        candidates = self._replies.get(q.id, []) + self._threads.get(q.id, [])
        for m in self.following(q, window):
            if flow(m) != flow(q) or replies_elsewhere(m, q):
                continue
            if anyone_nearby or self.roles.is_admin(m) or mentions(m.text, q.author):
                candidates.append(m)
        found: dict[str, ChatMessage] = {}
        for m in candidates:
            if member_key(m) == asker or m.ts < q_ts or m.ts - q_ts > within:
                continue
            found[m.id] = m
        return sorted(found.values(), key=lambda m: (m.ts, m.id))


def flow(m: ChatMessage) -> str | None:
    """The conversation a message is part of: its thread, or None for the channel's main flow.
    A thread's root belongs to the main flow: Slack gives a message that got replies
    ``thread_ts == ts``, so without this one top-level message would sit "in another thread"
    than the next one merely because somebody replied to it."""
    return None if m.thread == m.id else m.thread


def replies_elsewhere(m: ChatMessage, q: ChatMessage) -> bool:
    """Does `m` explicitly reply to a message other than `q`? Replying to the root of the thread
    both are in is not a reply to anyone in particular: Slack exports give every thread reply
    ``reply_to == thread_ts``, and a post in a Telegram forum topic replies to the topic's first
    message, so the answer to a question asked inside a thread looks like that."""
    if not m.reply_to or m.reply_to == q.id:
        return False
    return not (m.thread and m.reply_to == m.thread and flow(m) == flow(q))


def minutes_between(a: datetime, b: datetime) -> float:
    return round((aware(b) - aware(a)).total_seconds() / 60.0, 2)
