"""The chat summary returned by the summarize skill, and its group-postable digest."""

from __future__ import annotations

import re
from datetime import date as Date
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from copilot.skills.results.common import Provenance
from copilot.text import text_width, width_index

MoodLabel = Literal["positive", "neutral", "negative", "mixed"]
ContributionKind = Literal["helpful_answers", "resource_sharing"]

# Width (a Chinese character 1, a Latin letter ½): what fits one WeChat/Slack message without
# folding; an English digest says as much in twice the letters. Never over DIGEST_MAX_CHARS,
# below Discord's 2000-character limit.
DIGEST_BUDGET = 1200
DIGEST_MAX_CHARS = 1800


class Topic(BaseModel):
    title: str
    keywords: list[str]
    message_ids: list[str] = Field(description="Up to 20 example messages, oldest first.")
    messages: int = Field(default=0, description="Messages on this topic.")


class Decision(BaseModel):
    text: str
    details: list[str] = Field(
        default_factory=list,
        description="What was decided, line by line: the rest of the message, or the lines "
        "that followed a header such as '方案定下来了：' from the same author.",
    )
    date: str | None = Field(default=None, description="Date/time as written, e.g. '周六上午9点'.")
    on: Date | None = Field(default=None, description="`date` resolved against the message's day.")
    place: str | None = None
    owner: str | None = None
    message_id: str


class ActionItem(BaseModel):
    task: str
    owner: str | None = None
    due: str | None = None
    due_on: Date | None = None
    message_id: str


class QuestionRef(BaseModel):
    text: str
    author: str
    message_id: str


class FaqPair(BaseModel):
    question: str
    answer: str
    question_id: str
    answer_id: str


class Contribution(BaseModel):
    author: str
    kind: ContributionKind
    count: int
    reason: str
    message_ids: list[str]


class Mood(BaseModel):
    label: MoodLabel = "neutral"
    reason: str = ""
    positive: int = 0
    negative: int = 0
    insults: int = Field(default=0, description="Personal attacks: a quarrel happened.")


class SummaryStats(BaseModel):
    messages: int = 0
    participants: int = 0
    start: datetime | None = None
    end: datetime | None = None
    language: Literal["zh", "en"] = Field(
        default="zh", description="Majority language of the chat."
    )


class Summary(BaseModel):
    topics: list[Topic] = Field(default_factory=list)
    decisions: list[Decision] = Field(default_factory=list)
    action_items: list[ActionItem] = Field(default_factory=list)
    open_questions: list[QuestionRef] = Field(
        default_factory=list, description="Discussed, but no answer was accepted."
    )
    unanswered_questions: list[QuestionRef] = Field(
        default_factory=list, description="Nobody responded."
    )
    faq_candidates: list[FaqPair] = Field(default_factory=list)
    notable_contributions: list[Contribution] = Field(default_factory=list)
    mood: Mood = Field(default_factory=Mood)
    stats: SummaryStats = Field(default_factory=lambda: SummaryStats())

    def to_markdown(self, language: Literal["zh", "en"] = "zh") -> str:
        """Short digest to post back into the group (≤ ~1200 wide, at most 1800 characters; no
        contact data)."""
        return _render(self, _ZH if language == "zh" else _EN)


_ZH = {
    "title": "群聊摘要",
    "empty": "这段时间没有可总结的消息。",
    "span": "{span} · {n} 条消息 · {p} 人参与",
    "to": " 至 ",
    "and": "、",
    "topics": "话题",
    "decisions": "决定",
    "actions": "待办",
    "open": "讨论中的问题",
    "unanswered": "待回复的问题",
    "faq": "常见问答",
    "thanks": "特别感谢",
    "mood": "群氛围",
    "msgs": "{n} 条",
    "when": "时间",
    "where": "地点",
    "owner": "负责",
    "due": "截止",
    "q": "问",
    "a": "答",
    "helpful_answers": "解答了 {n} 个问题",
    "resource_sharing": "分享了 {n} 份资料",
    "positive": "积极",
    "neutral": "平稳",
    "negative": "偏负面",
    "mixed": "有褒有贬",
    "sep": "；",
    "colon": "：",
    "lp": "（",
    "rp": "）",
}
_EN = {
    "title": "Chat digest",
    "empty": "No messages to summarize in this period.",
    "span": "{span} · {n} messages · {p} people",
    "to": " to ",
    "and": ", ",
    "topics": "Topics",
    "decisions": "Decisions",
    "actions": "Action items",
    "open": "Still being discussed",
    "unanswered": "Waiting for an answer",
    "faq": "FAQ",
    "thanks": "Thanks to",
    "mood": "Mood",
    "msgs": "{n} msgs",
    "when": "when",
    "where": "where",
    "owner": "owner",
    "due": "due",
    "q": "Q",
    "a": "A",
    "helpful_answers": "answered {n} question(s)",
    "resource_sharing": "shared {n} resource(s)",
    "positive": "positive",
    "neutral": "calm",
    "negative": "rather negative",
    "mixed": "mixed",
    "sep": "; ",
    "colon": ": ",
    "lp": " (",
    "rp": ")",
}

_CONTACT = re.compile(
    r"[\w.+-]+@[\w-]+\.[\w.]+"  # e-mail
    r"|(?<!\d)1[3-9]\d{9}(?!\d)"  # mainland mobile
    r"|(?<!\d)\d{17}[\dXx](?!\d)"  # ID card
    r"|\+?\d[\d\s-]{9,}\d"  # other phone-like numbers
)


def _clean(text: str, limit: int = 70) -> str:
    """One line, no markdown control characters, no contact data, at most `limit` wide.

    Width counts a Chinese character as 1 and a Latin letter as ½: an English line says as
    much as a Chinese one twice as short ("Saturday December 19, 11:00 am to 1:00 pm at
    Granville Island" used to be cut at "Isla…"). "@" is dropped so a posted digest never
    pings anyone (@所有人, @everyone, @here).
    """
    text = re.sub(r"[`*_#>\[\]|@＠]", "", re.sub(r"\s+", " ", text)).strip(" -+")
    text = _CONTACT.sub("***", text)
    if text_width(text) <= limit:
        return text
    return text[: width_index(text, limit - 1)].rstrip() + "…"  # room for the "…"


def _render(s: Summary, t: dict[str, str]) -> str:
    lines = [f"**{t['title']}**"]
    st = s.stats
    if not st.messages:
        return "\n".join([*lines, t["empty"]])
    if st.start and st.end:
        start, end = st.start.strftime("%m-%d"), st.end.strftime("%m-%d")
        span = start if start == end else f"{start}{t['to']}{end}"
        lines.append(t["span"].format(span=span, n=st.messages, p=st.participants))
    thanks: dict[str, list[str]] = {}  # one line per person, in ranking order
    for c in s.notable_contributions:
        thanks.setdefault(c.author, []).append(t[c.kind].format(n=c.count))
    sections: list[tuple[str, list[str]]] = [
        (t["topics"], [_topic(x, t) for x in s.topics[:5]]),
        (t["decisions"], [_decision(x, t) for x in s.decisions]),
        (t["actions"], [_action(x, t) for x in s.action_items if not _in_decision(x, s)]),
        (t["unanswered"], [_clean(x.text) for x in s.unanswered_questions]),
        (t["open"], [_clean(x.text) for x in s.open_questions]),
        (t["faq"], [_faq(x, t) for x in s.faq_candidates[:3]]),
        (
            t["thanks"],
            [f"{_clean(a, 20)}{t['colon']}{t['and'].join(v)}" for a, v in list(thanks.items())[:3]],
        ),
    ]
    for header, kept in _within_budget(sections, sum(len(line) + 1 for line in lines)):
        lines += [f"\n**{header}**", *(f"- {item}" for item in kept)]
    lines.append(f"\n{t['mood']}{t['colon']}{t[s.mood.label]}")
    return "\n".join(lines)


FIRST_ITEMS = 2  # every section's first items are kept before any section's later ones


def _within_budget(sections: list[tuple[str, list[str]]], used: int) -> list[tuple[str, list[str]]]:
    """The items of each section that fit `DIGEST_BUDGET`, in section order: first each
    section's first `FIRST_ITEMS` (a long list of action items never pushes the unanswered
    questions out), then the rest in order; within a section, items stay in order."""
    budget = DIGEST_BUDGET - 40
    chars, width = used, float(used)  # `used`: the characters of the title and the span
    kept: list[list[str]] = [[] for _ in sections]
    for first_pass in (True, False):
        for i, (header, items) in enumerate(sections):
            for item in items[: FIRST_ITEMS if first_pass else None]:
                if item in kept[i]:
                    continue
                extra = 3 + (0 if kept[i] else len(header) + 6)
                cost, length = text_width(item) + extra, len(item) + extra
                if width + cost > budget or chars + length > DIGEST_MAX_CHARS - 40:
                    break
                kept[i].append(item)
                width += cost
                chars += length
    return [(header, k) for (header, _), k in zip(sections, kept, strict=True) if k]


def _in_decision(a: ActionItem, s: Summary) -> bool:
    """The task is a decision's own sentence (shown once, under the decision). A task with an
    owner and a due date is listed all the same unless the decision names that owner: the
    to-do list is where people look for what is theirs, and a decision's lines are cut short."""
    task = re.sub(r"\s+", "", a.task)
    dated = bool(a.owner and a.due)
    return any(
        task in re.sub(r"\s+", "", " ".join([d.text, *d.details]))
        and (not dated or a.owner == d.owner)
        for d in s.decisions
    )


DETAILS_SHOWN = 6  # detail lines under a decision: what a reader takes in at a glance


def _decision(d: Decision, t: dict[str, str]) -> str:
    """The decision, then its details as indented lines (or its date/place/owner)."""
    if d.details:
        lines = [_clean(x, 60) for x in d.details[:DETAILS_SHOWN]]
        return _clean(d.text, 80) + "".join(f"\n  - {x}" for x in lines if x)
    extra = [
        f"{t[k]}{t['colon']}{_clean(v, 20)}"
        for k, v in (("when", d.date), ("where", d.place), ("owner", d.owner))
        if v
    ]
    return _clean(d.text, 80) + (f"{t['lp']}{t['sep'].join(extra)}{t['rp']}" if extra else "")


def _action(a: ActionItem, t: dict[str, str]) -> str:
    due = a.due
    if due and a.due_on and not re.search(r"\d", due):  # "周五" → "周五 (11-13)"
        due = f"{due} {a.due_on:%m-%d}"
    extra = [
        f"{t[k]}{t['colon']}{_clean(v, 24)}" for k, v in (("owner", a.owner), ("due", due)) if v
    ]
    return _clean(a.task, 70) + (f"{t['lp']}{t['sep'].join(extra)}{t['rp']}" if extra else "")


def _topic(x: Topic, t: dict[str, str]) -> str:
    count = f"{t['lp']}{t['msgs'].format(n=x.messages)}{t['rp']}" if x.messages else ""
    return _clean(x.title, 30) + count


def _faq(f: FaqPair, t: dict[str, str]) -> str:
    q, a = _clean(f.question, 40), _clean(f.answer, 60)
    return f"{t['q']}{t['colon']}{q} {t['a']}{t['colon']}{a}"


class SummaryResult(Provenance):
    summary: Summary
    markdown: str
    language: str
    messages: int = Field(description="Messages in the window (before spam filtering).")
    batches: int = 0
    notice: str = Field("", description="Set when there was nothing to summarize.")
