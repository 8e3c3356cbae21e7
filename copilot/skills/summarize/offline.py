"""Offline, extractive chat summary: topics, decisions, action items, questions, mood.

Pattern-based and deterministic (no LLM), linear-ish in the number of messages.
Messages are data: spam and prompt-injection messages are dropped before any
extraction, and nothing a message says changes what this code does.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from datetime import datetime
from typing import Literal, TypeVar
from zoneinfo import ZoneInfo

from copilot.analytics.conversation import ConversationIndex, Roles, aware, member_key, normalize
from copilot.analytics.exchanges import (
    asks_too,
    common_words,
    is_noise,
    is_small_talk,
    link_questions,
    responds_to,
)
from copilot.analytics.mood import MoodCount, mood_of
from copilot.analytics.spam import spam_ids
from copilot.analytics.topics import cluster_topics
from copilot.models import ChatMessage
from copilot.skills.faq.mining import mine_faq
from copilot.skills.results import (
    Contribution,
    FaqPair,
    Mood,
    QuestionRef,
    Summary,
    SummaryStats,
    Topic,
)
from copilot.skills.summarize.actions import find_actions
from copilot.skills.summarize.decisions import find_decisions
from copilot.text import (
    URL_RE,
    is_question,
    looks_like_injection,
)

T = TypeVar("T")
EXAMPLES = 20
_SHARE = re.compile(
    r"分享|整理(?:了|好)|放(?:到|在)?群文件|发(?:到|在)?群文件|已发群文件|上传了|https?://"
    r"|\bshar(?:e|ing)\b|uploaded|here (?:is|are) the|slides (?:are|is)|notes (?:are|is)",
    re.IGNORECASE,
)
_HAN = re.compile(r"[\u4e00-\u9fff]")


def select_messages(
    messages: Iterable[ChatMessage],
    since: datetime | None = None,
    until: datetime | None = None,
    channel: str | None = None,
) -> list[ChatMessage]:
    """Messages with since <= ts < until (naive = UTC) in `channel` (None = all), by time."""
    lo = aware(since) if since else None
    hi = aware(until) if until else None
    return [
        m
        for m in normalize(messages)
        if (channel is None or m.channel == channel)
        and (lo is None or m.ts >= lo)
        and (hi is None or m.ts < hi)
    ]


def summarize_offline(
    messages: Iterable[ChatMessage],
    *,
    max_items: int = 8,
    admins: Collection[str] = frozenset(),
    bots: Collection[str] = frozenset(),
    tz: str = "Asia/Shanghai",
    language: Literal["zh", "en"] | None = None,
) -> Summary:
    """Extractive summary of a chat history; every list holds at most `max_items`."""
    zone = ZoneInfo(tz)
    roles = Roles.of(admins, bots)
    cap = max(max_items, 0)
    convo = [m for m in normalize(messages) if not m.is_service and not roles.is_bot(m)]
    spam = spam_ids(convo, roles.admins)  # admins quote ads in warnings, and post prices
    real = [m for m in convo if m.id not in spam]
    clean = [m for m in real if not looks_like_injection(m.text)]
    index = ConversationIndex(clean, roles)
    names = {m.author for m in real} | set(roles.admins)

    decisions = find_decisions(clean, index, roles, zone, names)
    actions = find_actions(clean, zone, roles, decisions, names)
    unanswered, open_qs, helped = _questions(clean, index, roles)
    faq = mine_faq(clean, admins=roles.admins, bots=roles.bots)[:cap]
    mood = mood_of(m.text for m in clean)
    lang = language or _language(real)
    return Summary(
        topics=_topics(clean, names, cap),
        decisions=_best(
            decisions, cap, lambda d: sum(x is not None for x in (d.date, d.place, d.owner))
        ),
        action_items=_best(actions, cap, lambda a: 2 * (a.owner is not None) + (a.due is not None)),
        open_questions=[_ref(q) for q in open_qs][-cap:] if cap else [],
        unanswered_questions=[_ref(q) for q in unanswered][-cap:] if cap else [],
        faq_candidates=[
            FaqPair(
                question=f.question,
                answer=f.answer,
                question_id=f.question_id,
                answer_id=f.answer_id,
            )
            for f in faq
        ],
        notable_contributions=_contributions(clean, helped, roles)[:cap],
        mood=Mood(
            label=mood.label,
            reason=_mood_reason(mood, lang),
            positive=mood.positive,
            negative=mood.negative,
            insults=mood.insults,
        ),
        stats=SummaryStats(
            messages=len(real),
            participants=len({member_key(m) for m in real}),
            start=real[0].ts.astimezone(zone) if real else None,
            end=real[-1].ts.astimezone(zone) if real else None,
            language=_language(real),
        ),
    )


def _ref(m: ChatMessage) -> QuestionRef:
    return QuestionRef(text=m.text.strip()[:200], author=m.author, message_id=m.id)


def _wordlike(text: str) -> int:
    return len(re.findall(r"[^\W_]", text))


def _best(items: list[T], cap: int, score: Callable[[T], int]) -> list[T]:
    """The `cap` most specific items (ties: latest), kept in chronological order."""
    if len(items) <= cap:
        return items
    ranked = sorted(range(len(items)), key=lambda i: (-score(items[i]), -i))[:cap]
    return [items[i] for i in sorted(ranked)]


def _questions(
    clean: list[ChatMessage], index: ConversationIndex, roles: Roles
) -> tuple[list[ChatMessage], list[ChatMessage], dict[str, list[ChatMessage]]]:
    """(unanswered, open, answers credited per member), from the chat's Q→A links.

    Answered: someone else answered it (`link_questions`: a reply, an admin or an @-mention
    soon after, or one of the next messages that speaks to it). Open: others responded to it
    (`responds_to`: not merely posted something else nearby), but nothing answered it.
    Unanswered: nobody else said anything to it.
    """
    unanswered: list[ChatMessage] = []
    open_qs: list[ChatMessage] = []
    helped: dict[str, list[ChatMessage]] = defaultdict(list)
    common = common_words(index.messages)
    for exchange in link_questions(clean, admins=roles.admins, bots=roles.bots):
        q = exchange.question
        if exchange.answered:
            credited = exchange.answers[0]
            if not roles.is_admin(credited):
                helped[member_key(credited)].append(credited)
        elif is_small_talk(q.text):
            continue  # "有人一起去爬山吗": company wanted, no question for the organisers
        elif any(  # "同问" says the question matters to others: open, not ignored
            (asks_too(r.text) or not is_noise(r.text)) and responds_to(index, q, r, common)
            for r in index.responses(q, anyone_nearby=True)
        ):
            open_qs.append(q)
        else:
            unanswered.append(q)
    return unanswered, open_qs, helped


def _contributions(
    clean: list[ChatMessage], helped: dict[str, list[ChatMessage]], roles: Roles
) -> list[Contribution]:
    """Members (not admins) who answered others' questions or shared resources."""
    shared: dict[str, list[ChatMessage]] = defaultdict(list)
    for m in clean:
        if roles.is_admin(m) or is_question(m.text) or not _SHARE.search(m.text):
            continue
        if _wordlike(URL_RE.sub("", m.text)) >= 6:  # a bare link is not a contribution
            shared[member_key(m)].append(m)
    out: list[Contribution] = []
    for kind, source, reason in (
        ("helpful_answers", helped, "answered {n} question(s)"),
        ("resource_sharing", shared, "shared {n} resource(s)"),
    ):
        for msgs in source.values():
            out.append(
                Contribution(
                    author=msgs[-1].author,
                    kind=kind,  # type: ignore[arg-type]
                    count=len(msgs),
                    reason=reason.format(n=len(msgs)),
                    message_ids=[m.id for m in msgs][:EXAMPLES],
                )
            )
    return sorted(out, key=lambda c: (-c.count, c.kind, c.author))


def _topics(clean: list[ChatMessage], names: set[str], cap: int) -> list[Topic]:
    return [
        Topic(title=c.title, keywords=c.keywords, message_ids=c.message_ids, messages=c.messages)
        for c in cluster_topics(clean, exclude=names, limit=cap)
    ]


def _mood_reason(mood: MoodCount, language: str) -> str:
    if language == "zh":
        reason = f"{mood.total} 条消息中 {mood.positive} 条积极、{mood.negative} 条消极"
        return reason + (f"，有 {mood.insults} 条人身攻击（发生了争执）" if mood.insults else "")
    reason = f"{mood.positive} positive and {mood.negative} negative messages out of {mood.total}"
    return reason + (f"; {mood.insults} personal attack(s): a quarrel" if mood.insults else "")


def _language(msgs: list[ChatMessage]) -> Literal["zh", "en"]:
    """zh when at least half of the messages contain Chinese characters, else en."""
    if not msgs:
        return "zh"
    han = sum(1 for m in msgs if _HAN.search(m.text))
    return "zh" if 2 * han >= len(msgs) else "en"
