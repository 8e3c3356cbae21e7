"""Split documents into heading-aware, token-sized chunks; group chat into conversation windows."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import replace
from datetime import timedelta

from copilot.analytics.exchanges import (
    Exchange,
    defers,
    is_member_question,
    is_noise,
    is_signup_chain,
    link_questions,
)
from copilot.analytics.extract import is_decision
from copilot.analytics.spam import spam_ids
from copilot.knowledge.pieces import Piece, chunk_id, unique
from copilot.knowledge.sections import split_document
from copilot.models import ChatMessage
from copilot.retrieval.units import Unit, bounded
from copilot.text import is_media_only, looks_like_injection
from copilot.tokens import count_tokens, split_tokens

CHAT_GAP = timedelta(minutes=30)
TURN_GAP = timedelta(minutes=3)

__all__ = [
    "Piece",
    "chat_line",
    "chat_pieces",
    "chat_windows",
    "chunk_id",
    "split_document",
    "split_markdown",
]
split_markdown = split_document  # the name callers knew; it reads plain text as well


def chat_pieces(
    messages: list[ChatMessage], *, max_tokens: int, admins: Collection[str] = ()
) -> list[Piece]:
    """Chat as evidence: answered questions as exchanges, the rest as conversation windows.

    A member's question is never evidence for its own answer: answered questions become one
    piece each (the question is what a new question is matched with, the reply is what the
    answer quotes); unanswered ones are left out; windows hold only statements.
    """
    # Only answers strong enough to quote: a late message that merely shares a word is not one.
    exchanges = link_questions(messages, admins, late_answers=False)
    asked = {e.question.id for e in exchanges}
    # A reply that puts the answer off stays a plain statement: the decision posted later, not
    # "过几天定下来", answers the question.
    quoted = [e for e in exchanges if e.answered and not all(defers(a.text) for a in e.answers)]
    answering = {a.id for e in quoted for a in e.answers}
    excluded = spam_ids(messages, admins)
    statements = [
        m
        for m in messages
        if not m.is_service
        and m.id not in asked | answering | excluded
        and not is_noise(m.text)
        and not looks_like_injection(m.text)
        and not _proposal(m.text)
        and not _bare_chain(m.text)
    ]
    pieces = [_exchange_piece(e) for e in quoted]
    return unique(pieces + chat_windows(statements, max_tokens=max_tokens))


# Putting options to the group ("跟大家商量个事：…在12月12日和12月19日里选，大家说说意见",
# "Thinking of the 12th or the 19th, thoughts?"), which ends on no question mark
_ASKS_OPINION = re.compile(
    r"商量(?:个|一下|下)?事|说说(?:意见|看法|想法)|(?:大家|各位)(?:觉得|投票|选一下|看看选)|投个票"
    r"|征求(?:一下)?(?:意见|大家)|(?:在|从)[^。！!]{1,30}(?:里|中)(?:选|挑)"
    r"|\b(?:what do you (?:all )?think|thoughts|which (?:do|would) you prefer|vote for)\b",
    re.IGNORECASE,
)


_CHAIN_ENTRY = re.compile(r"^\s*\d{1,3}\s*(?:[.、．)]|\s)")
# what a chain's title may state besides the event's name: a clock time, a place, a fee
_DETAIL = re.compile(r"\d{1,2}[:：]\d{2}|地点|地址|集合|费用|\d+\s*元|¥|\$")


def _bare_chain(text: str) -> bool:
    """A 接龙 list under a one-line title ("#接龙 12月5日法棍线下工作坊 / 1. 小满 / 2. 小鱼"):
    it names who signed up, and its title would answer "when, where, how much?" with the
    event's name; the notice says the rest. A chain whose head states details stays."""
    if not is_signup_chain(text):
        return False
    title, *rest = text.strip().splitlines()
    entries = [ln for ln in rest if ln.strip()]
    first = _CHAIN_ENTRY.split(title, maxsplit=1)[0]  # "#接龙 …标题 1. 周薇 2. 老陈" on one line
    return not _DETAIL.search(first) and all(_CHAIN_ENTRY.match(ln) for ln in entries)


def _proposal(text: str) -> bool:
    """A one-line message that asks ("大家觉得12月6日周日早上怎么样？", an admin's poll) or puts
    options to the group: what it names is not decided, so it is no evidence; the decision
    that follows is. A notice that ends on a prompt ("【本周预告】周三 20:00 分享会…本周话题：
    …是什么？") announces, and a vote's result ("投票结果：…") is decided."""
    if _ASKS_OPINION.search(text) and not is_decision(text):
        return True
    return "\n" not in text.strip() and is_member_question(text)


def chat_windows(messages: list[ChatMessage], *, max_tokens: int) -> list[Piece]:
    """Conversation windows: consecutive turns of one channel, cut at 30-minute gaps and at the
    token budget, never inside a turn (unless one turn alone is over the budget)."""
    pieces: list[Piece] = []
    ordered = sorted(
        (m for m in messages if not m.is_service and m.text.strip() and not is_media_only(m.text)),
        key=lambda m: (m.channel, m.ts, m.id),
    )
    window: list[list[ChatMessage]] = []
    size = 0
    for turn in _turns(ordered):
        n = sum(count_tokens(chat_line(m)) for m in turn)
        last = window[-1][-1] if window else None
        if last and (
            turn[0].channel != last.channel
            or turn[0].ts - last.ts > CHAT_GAP
            or size + n > max_tokens
        ):
            pieces.append(_window_piece(window))
            window, size = [], 0
        window.append(turn)
        size += n
    if window:
        pieces.append(_window_piece(window))
    # Hard bound: one message longer than the budget becomes several pieces of its window.
    return unique([part for piece in pieces for part in _bounded(piece, max_tokens)])


def _bounded(piece: Piece, max_tokens: int) -> list[Piece]:
    """`piece` cut by tokens when over the budget, at line ends (an announcement's "报名：…" line
    whole in one part, so its unit is kept); a line alone over the budget is cut inside. Each
    part keeps the units it holds."""
    if count_tokens(piece.text) <= max_tokens:
        return [piece]
    texts: list[str] = []
    lines: list[str] = []
    size = 0
    for line in piece.text.split("\n"):
        n = count_tokens(line) + 1  # its line break
        if lines and size + n > max_tokens:
            texts.append("\n".join(lines))
            lines, size = [], 0
        if n > max_tokens:
            texts += split_tokens(line, max_tokens)
            continue
        lines.append(line)
        size += n
    if lines:
        texts.append("\n".join(lines))
    parts = []
    for text in texts:
        flat = " ".join(text.split())
        units = tuple(u for u in piece.units if u.text in flat)
        parts.append(replace(piece, text=text, units=units))
    return parts


def chat_line(message: ChatMessage) -> str:
    return f"[{message.ts:%m-%d %H:%M}] {message.author}: {message.text.strip()}"


def _meta(first: ChatMessage, last: ChatMessage, count: int) -> dict[str, str | int | float | bool]:
    return {
        "channel": first.channel,
        "start": first.ts.isoformat(),
        "end": last.ts.isoformat(),
        "first_message": first.id,
        "messages": count,
    }


def _window_piece(window: list[list[ChatMessage]]) -> Piece:
    messages = [m for turn in window for m in turn]
    first, last = messages[0], messages[-1]
    heading = f"#{first.channel} {first.ts:%Y-%m-%d %H:%M}"
    units = tuple(u for n, turn in enumerate(window) for u in _turn_units(turn, n))
    text = "\n".join(chat_line(m) for m in messages)
    return Piece(heading, text, _meta(first, last, len(messages)), units)


def _turn_units(turn: list[ChatMessage], group: int) -> list[Unit]:
    """A turn of one line is one unit; a turn of several lines ("方案定下来了：" / "时间：…" /
    "地点：…") is a list, each line a unit under the turn's opening line."""
    author = turn[0].author
    lines = [" ".join(ln.split()) for m in turn for ln in m.text.splitlines() if ln.strip()]
    if len(lines) == 1:
        return [Unit("message", part, author=author) for part in bounded(lines[0])]
    lead = lines[0]  # the announcement's opening line gives each detail line its context
    return [
        Unit("message", part, group=group, lead=lead, author=author)
        for line in lines
        for part in bounded(line)
    ]


def _turns(messages: list[ChatMessage]) -> list[list[ChatMessage]]:
    """Consecutive messages of one author a few minutes apart, in one channel, read as one
    turn: people split a thought over several messages ("方案定下来了：" then the details)."""
    turns: list[list[ChatMessage]] = []
    for message in messages:
        last = turns[-1][-1] if turns else None
        if (
            last
            and last.author == message.author
            and last.channel == message.channel
            and message.ts - last.ts <= TURN_GAP
        ):
            turns[-1].append(message)
        else:
            turns.append([message])
    return turns


def _exchange_piece(exchange: Exchange) -> Piece:
    q, answers = exchange.question, exchange.answers
    heading = f"#{q.channel} {q.ts:%Y-%m-%d %H:%M}"
    reply = " ".join(" ".join(a.text.split()) for a in answers)
    meta = _meta(q, answers[-1], 1 + len(answers)) | {"exchange": True}
    unit = Unit("reply", reply, key=" ".join(q.text.split()), author=answers[0].author)
    return Piece(heading, "\n".join(chat_line(m) for m in (q, *answers)), meta, (unit,))
