"""Event notices: where the community itself announced an event, and which one a topic means.

A notice is a chat turn (one person's consecutive messages, e.g. "方案定下来了：" then the
details) or a playbook passage that states at least a day and one more detail (time, place,
fee, owner, sign-up deadline). A draft about an event is built from the one notice that names
the same event: its name words, and its dates when the topic gives a date ("12月品鉴会" is
not the November one). Facts of other events never enter, because only that notice is used.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from copilot.analytics.conversation import member_key, mentions, names, normalize
from copilot.analytics.exchanges import is_noise, is_signup_chain, link_questions
from copilot.analytics.extract import find_place, resolve_date
from copilot.analytics.keywords import is_time_word
from copilot.analytics.spam import spam_ids
from copilot.embeddings import Embedder
from copilot.models import ChatMessage
from copilot.retrieval.lexicon import load_lexicon
from copilot.retrieval.results import RetrievedChunk
from copilot.text import (
    fold_chinese,
    is_question,
    looks_like_injection,
    split_sentences,
    to_simplified,
    tokenize,
)

TURN_GAP = timedelta(minutes=5)
MIN_MATCH = 0.5  # share of the topic's event words a notice must hold
RARE_MATCH = 0.4  # …and of their weight by rarity: not just "接龙", which every sign-up has
MAX_LINES = 9

_MONTHS_EN = "jan feb mar apr may jun jul aug sep oct nov dec".split()
_EN_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
# "11月9日", "11月9日（周一）—15日", and a range's first day without its 日: "11 月 16—22 日"
_ZH_DAY = re.compile(
    r"(\d{1,2})\s*月\s*(\d{1,2})\s*"
    r"(?:[日号](?:\s*[（(][^）)]{1,4}[）)])?|(?=[—–\-~至到]\s*(?:\d{1,2}\s*月\s*)?\d{1,2}\s*[日号]))"
    r"(?:\s*[—–\-~至到]\s*(?:(\d{1,2})\s*月\s*)?(\d{1,2})\s*[日号])?"
)
_SLASH_DAY = re.compile(r"(?<![\d/.])(1[0-2]|0?[1-9])/(3[01]|[12]\d|0?[1-9])(?![\d/])")
_EN_DAY = re.compile(
    rf"\b{_EN_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:\s*[—–\-]\s*(\d{{1,2}})\b)?"
    rf"|\b(\d{{1,2}})(?:st|nd|rd|th)?\s+{_EN_MONTH}\b",
    re.IGNORECASE,
)
# "9-15 November", "9th–15th Nov": a range of days before the month.
_EN_DAY_RANGE = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s*[—–\-]\s*(\d{{1,2}})(?:st|nd|rd|th)?\s+{_EN_MONTH}\b",
    re.IGNORECASE,
)
_ZH_MONTH = re.compile(r"(?<!\d)(\d{1,2})\s*月(?!\s*\d{1,2}\s*[日号])")
_EN_MONTH_ONLY = re.compile(rf"\b{_EN_MONTH}\b(?!\s+\d)", re.IGNORECASE)
_WEEKDAY = re.compile(
    r"(?:周|星期|礼拜)[一二三四五六日天]|\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b|明天|后天|tomorrow",
    re.IGNORECASE,
)
# A clock followed by 前 ("20:00前") is a deadline, not when the event happens.
_CLOCK = re.compile(
    r"(?:(?<!\d)\d{1,2}\s*[:：]\s*\d{2}|\d{1,2}\s*点半?|(?<![一二三四五六七八九十两])[一二三四五六七八九十两]{1,3}点半?"
    r"|\b\d{1,2}\s*[ap]\.?m\b)(?!\s*(?:之?前|截止))",
    re.I,
)
_FEE = re.compile(
    r"\d+(?:\.\d+)?\s*(?:元|块|rmb)|[¥￥$£€]\s*\d+|免费|\bfree\b|费用|价格|收费|摊位费|保证金|\bfee\b"
    r"|\bprice\b|\bprizes?\b|早鸟",
    re.IGNORECASE,
)
_DEADLINE = re.compile(
    r"截止|报名(?![费])|接龙|\d\s*(?:之?前)|sign[ -]?ups?\b|\bregister\b|\bregistration\b|deadline"
    r"|\bby (?:mon|tues|wednes|thurs|fri|satur|sun)day"
    r"|\bby (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)",
    re.IGNORECASE,
)
_OWNER = re.compile(
    r"负责人|负责|主持|主讲|联系人|带队|组织者|\bhost(?:ed by)?\b|\borgani[sz](?:er|ing)\b"
    r"|\bguest\b|\bleading\b|\bled by\b|\bin charge\b",
    re.IGNORECASE,
)
_PLACE_CUE = re.compile(
    r"地点|地址|场地|📍|\bvenue\b|\blocation\b|\bwhere\b|voice channel|\bstage\b|twitch|腾讯会议"
    r"|zoom|直播间",
    re.IGNORECASE,
)
# Words that say what kind of post is wanted, not which event: never a reason to match.
_POST_WORDS = frozenset(
    "报名 通知 提醒 即将 截止 开启 开始 开放 启动 欢迎 公告 活动 安排 本周 下周 这周 本月 下月 "
    "招募 参加 一起 来了 啦 上架 新品 早鸟 即将截止 "
    "sign signups sign-ups up open opens close closes closing soon reminder announcement "
    "event our the a an and for of on in at with now this next week month tomorrow today "
    "new join "
    # The details a post should carry ("date, meeting point and sign-up"), not the event's name.
    "时间 日期 地点 地址 集合 集合点 费用 价格 详情 信息 名额 流程 须知 "
    "date dates time times meeting point venue place location fee fees price prices cost "
    "details detail info information deadline "
    # Who the post is for, or its language: "for English-speaking members", "给英文会员".
    "english chinese speaking english-speaking members member who don't doesn't read speak "
    "about 英文 中文 英文版 中文版 会员 会员们 成员 大家".split()
)
_MD = re.compile(r"\*\*|__|`")
_LABELLED_LINE = re.compile(r"^[^\W\d_]{1,8}\s*[：:]\s*\S")
_LIST_MARK = re.compile(r"^\s*(?:[-*•>]\s+|[（(]\d{1,2}[）)]\s*|\d{1,2}[、.)]\s*(?!\d))")
_ACK = re.compile(r"^(?:是的|对的?|没错|好的|嗯|yes|yep|okay|ok|sure)[，,、!！.。\s]+", re.I)
# A run's own number: a version ("4.9", "v4.8.1") or an edition ("Playtest #7", "第28届"). A
# notice naming another and not the topic's is about another run of the event.
_RUN_NUMBER = re.compile(
    r"(?<![\w.:/])v?(\d{1,2}\.\d{1,2}(?:\.\d{1,2})?)(?![\w.:/%]|\s*(?:元|块|km|kg|公里))"
    r"|#(\d{1,4})\b|第\s*(\d{1,4})\s*[届期次]",
    re.IGNORECASE,
)


def run_numbers(text: str) -> set[str]:
    return {next(g for g in m.groups() if g) for m in _RUN_NUMBER.finditer(text)}


_TOLD_DAY = re.compile(r"大后天|后天|明天|今天|今晚|明晚|\btoday\b|\btomorrow\b|\btonight\b", re.I)


def _told_days(notice: Notice) -> set[tuple[int, int]]:
    """The day a chat notice's "后天见" or "tomorrow" meant on the day it was said."""
    if notice.kind != "chat" or notice.ts is None:
        return set()
    found = _TOLD_DAY.search(fold_chinese(notice.text))
    day = resolve_date(found.group(), notice.ts.date()) if found else None
    return {(day.month, day.day)} if day else set()


def _another_run(line: str, topic_runs: set[str]) -> bool:
    """The line names a run of the event, and not the topic's."""
    return bool(topic_runs) and bool(runs := run_numbers(line)) and not topic_runs & runs


RELATIVE_DAY = re.compile(r"今天|明天|今晚|明晚|明早|\btoday\b|\btomorrow\b|\btonight\b", re.I)
_FIRST_PERSON = re.compile(r"(?<![自你他她])我(?!们)")


@dataclass(frozen=True)
class Notice:
    """One announcement of an event, as the community wrote it."""

    lines: tuple[str, ...]  # the announcement's lines, first person resolved
    source: str
    kind: str  # chat | playbook
    author: str = ""
    ts: datetime | None = None
    context: str = ""  # what it answers (the question it replies to), for matching only
    heading: str = ""
    # The whole heading path ("【西貢海岸越野賽】組團須知 > 比賽日期：12月13日"): a section
    # of a one-event guide names the event only in the document's title.
    path: str = ""
    chunk: RetrievedChunk | None = None  # the passage it came from (playbook notices)
    slots: frozenset[str] = field(default_factory=frozenset)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def slots_of(text: str) -> frozenset[str]:
    """Which event details a text states: date, time, place, fee, deadline, owner (in either
    Chinese script: '週六' is '周六')."""
    text = to_simplified(text)
    found = set()
    if calendar_days(text) or _WEEKDAY.search(text):
        found.add("date")
    if _CLOCK.search(text):
        found.add("time")
    if _PLACE_CUE.search(text) or find_place(text):
        found.add("place")
    if _FEE.search(text):
        found.add("fee")
    if _DEADLINE.search(text):
        found.add("deadline")
    if _OWNER.search(text):
        found.add("owner")
    return frozenset(found)


def calendar_days(text: str) -> set[tuple[int, int]]:
    """(month, day) of every calendar date written in the text, ranges included."""
    text = to_simplified(text)
    days: set[tuple[int, int]] = set()
    for m in _ZH_DAY.finditer(text):
        month = int(m[1])
        days.add((month, int(m[2])))
        if m[4]:
            days.add((int(m[3] or month), int(m[4])))
    for m in _SLASH_DAY.finditer(text):
        days.add((int(m[1]), int(m[2])))
    for m in _EN_DAY_RANGE.finditer(text):
        month = _MONTHS_EN.index(m[3].lower()[:3]) + 1
        days |= {(month, int(m[1])), (month, int(m[2]))}
    for m in _EN_DAY.finditer(text):
        if m[1]:
            month = _MONTHS_EN.index(m[1].lower()[:3]) + 1
            days.add((month, int(m[2])))
            if m[3]:
                days.add((month, int(m[3])))
        else:
            days.add((_MONTHS_EN.index(m[5].lower()[:3]) + 1, int(m[4])))
    return {(mo, d) for mo, d in days if 1 <= mo <= 12 and 1 <= d <= 31}


def months_named(text: str) -> set[int]:
    """Months a text names without a day ('12 月品鉴会', 'December meetup')."""
    months = {int(m[1]) for m in _ZH_MONTH.finditer(text) if 1 <= int(m[1]) <= 12}
    months |= {_MONTHS_EN.index(m[1].lower()[:3]) + 1 for m in _EN_MONTH_ONLY.finditer(text)}
    return months


def event_words(topic: str, community_name: str = "", notices: Sequence[Notice] = ()) -> set[str]:
    """The words of a topic that name the event: not its date, not the kind of post, not
    the community's own name ('毛孩子' in every notice of 成都毛孩子同城会). With the
    community's `notices`, an English word none of them writes is looked for by its Chinese
    translation ("November meetup" → 聚会 in "下個月聚會：11月9日…")."""
    words = _ordered_event_words(topic, community_name)
    if not notices or not any(w.isascii() for w in words):
        return set(words)
    texts = [fold_chinese(n.text) for n in notices]
    written = "\n".join(texts)
    lexicon = load_lexicon()
    # a translation most notices write names no event: "night" → 晚上, "time" → 时间
    most = max(1, len(texts) // 3)
    out = set()
    for word in words:
        if not word.isascii() or _names((word,), written):
            out.add(word)
            continue
        found = [
            t
            for t in lexicon.translations(word)
            if len(t) >= 2
            and t in written
            and not is_time_word(t)
            and sum(t in text for text in texts) <= most
        ]
        out.add(found[0] if found else word)
    return out


# "（已改期）", "(updated)": the state of the plan, not the event's name
_STATUS_ASIDE = re.compile(
    r"[（(]\s*(?:已经?)?(?:改期|延期|取消|更新|调整|变更)了?\s*[）)]"
    r"|\((?:updated|postponed|rescheduled|moved|new date)\)",
    re.I,
)


def _ordered_event_words(topic: str, community_name: str = "") -> list[str]:
    bare = _STATUS_ASIDE.sub(" ", fold_chinese(topic))
    bare = _EN_DAY.sub(" ", _EN_DAY_RANGE.sub(" ", _ZH_DAY.sub(" ", bare)))
    bare = _ZH_MONTH.sub(" ", _EN_MONTH_ONLY.sub(" ", _WEEKDAY.sub(" ", bare)))
    name = fold_chinese(community_name)
    words: list[str] = []
    run = ""  # jieba cuts unknown names into characters ('线','上','月','考'): join them back
    for token in [*tokenize(bare), ""]:
        if len(token) == 1 and not token.isascii():
            run += token
            continue
        for word in (run, token):
            named = bool(name) and not word.isascii() and word in name
            if (
                word
                and (word.isascii() or len(word) >= 2)
                and word not in _POST_WORDS
                and not named
                and word not in words
            ):
                words.append(word)
        run = ""
    return words


# What a Chinese event name ends in: 杯测会, 品鉴会, 拉花比赛, 陶艺课, 遛狗局, 冬令营, 音乐节.
_ZH_EVENT_HEAD = re.compile(r"[\u4e00-\u9fff]{1,2}[会赛课局营节展]$")
_ZH_POST_TAIL = re.compile(r"(?:报名|提醒|通知|公告|开始|开启|开放|招募|预告|啦|了)+$")


def event_head(topic: str) -> str:
    """The kind of event a Chinese topic names, the end of its name ('澜山烘焙会员杯测会，欢迎
    报名' → '杯测会'): a notice of the sponsor's other event (its 拉花比赛) shares the name,
    not the kind."""
    first = re.split(r"[，,。！!？?：:（(\s]", fold_chinese(topic), maxsplit=1)[0]
    head = _ZH_EVENT_HEAD.search(_ZH_POST_TAIL.sub("", first))
    return head.group() if head else ""


_SIGNUP_OPENS = re.compile(
    r"(?:接龙|报名)(?:开始|开放|开启)|(?:开始|开放|开启)(?:接龙|报名)"
    r"|\bsign-?ups? (?:are |is )?open",
    re.I,
)


def chat_notices(messages: Sequence[ChatMessage], admins: Collection[str] = ()) -> list[Notice]:
    """Every chat turn that announces something: a day plus one more detail."""
    clean = [
        m
        for m in normalize(messages)
        if not m.is_service and not is_noise(m.text) and not looks_like_injection(m.text)
    ]
    spam = spam_ids(clean, admins)
    clean = [m for m in clean if m.id not in spam]
    asked = {a.id: e.question.text for e in link_questions(clean, admins) for a in e.answers}
    by_id = {m.id: m for m in clean}
    notices: list[Notice] = []
    chains: set[str] = set()  # sign-up list headers seen: a copy with one more name adds none
    under = _replies_under(clean)
    for turn in _turns(clean):
        lines = [
            ln.strip() for m in turn for ln in _notice_text(m, chains).splitlines() if ln.strip()
        ]
        if not lines:
            continue
        lines += _owners_replies(turn, under, "\n".join(lines))
        text = "\n".join(lines)
        slots = slots_of(text)
        # a day and one more detail; or a sign-up opened with its deadline ("12月值班表接龙开始了，
        # 大家25日前把自己的班报上")
        announces = ("date" in slots and len(slots) >= 2) or (
            "deadline" in slots and bool(_SIGNUP_OPENS.search(fold_chinese(text)))
        )
        if not announces or all(map(is_question, split_sentences(text))):
            continue
        first = turn[0]
        context = asked.get(first.id, "")
        if first.reply_to and first.reply_to in by_id:
            context = by_id[first.reply_to].text
        notices.append(
            Notice(
                lines=tuple(_resolve_first_person(ln, first.author) for ln in lines),
                source=first.source or "chat",
                kind="chat",
                author=first.author,
                ts=first.ts,
                context=context,
                slots=slots,
            )
        )
    return notices


def _notice_text(m: ChatMessage, chains: set[str]) -> str:
    """What a message says as a notice: a 接龙 sign-up list says its header ("#接龙 周六长距离
    11月21日 6:30 春茧南门") the first time, never the names under it, and its copies (each
    member adds a name) say nothing."""
    if not is_signup_chain(m.text):
        return m.text
    header = m.text.strip().splitlines()[0]
    key = fold_chinese(header)
    if key in chains:
        return ""
    chains.add(key)
    return header


def playbook_notices(chunks: Sequence[RetrievedChunk]) -> list[Notice]:
    """Retrieved playbook passages that state an event's day and another detail."""
    out = []
    for chunk in chunks:
        if chunk.kind == "chat":
            continue
        notice = _chunk_notice(chunk)
        if "date" in notice.slots and len(notice.slots) >= 2:
            out.append(notice)
    return out


def _chunk_notice(chunk: RetrievedChunk) -> Notice:
    """A playbook passage read as a notice: its lines and the event details they state (its
    section's name may be the day: '比賽日期：2026年12月13日（星期日）' over the start and fee)."""
    heading = chunk.heading.split(">")[-1].strip()
    return Notice(
        lines=tuple(ln.strip() for ln in chunk.text.splitlines() if ln.strip()),
        source=chunk.source,
        kind="playbook",
        # its own section's name: the document title may name a sibling event
        heading=heading,
        path=chunk.heading,
        chunk=chunk,
        slots=slots_of(f"{heading}\n{chunk.text}"),
    )


def section_notices(best: Notice, chunks: Sequence[RetrievedChunk]) -> list[Notice]:
    """The other sections of a playbook notice's own document ('## 费用' under the meetup
    guide): they describe the same event although they name no day."""
    if best.kind != "playbook" or best.chunk is None:
        return []
    return [
        _chunk_notice(c)
        for c in chunks
        if c.kind != "chat" and c.source == best.source and c.chunk_id != best.chunk.chunk_id
    ]


def event_lines(
    best: Notice,
    notices: Sequence[Notice],
    topic: str,
    name: str = "",
    sections: Sequence[Notice] = (),
) -> list[tuple[str, Notice]]:
    """The notice's lines, plus the details it lacks from another notice of the same event
    (a chat reminder names the day, the playbook section gives the time and place) or from
    the other `sections` of its document; each line with the notice it comes from, for its
    citation."""
    wanted = event_words(topic, name, [*notices, *sections])
    topic_days = calendar_days(topic)
    topic_weekdays = weekdays_named(topic)
    topic_runs = run_numbers(topic)
    lines = [
        (line, best)
        for line in notice_lines(best, wanted, topic_days)
        if not _another_run(line, topic_runs) and not _HEADER_ROW.match(line)
    ]
    missing = {"time", "place", "fee", "deadline", "owner"} - slots_of(
        "\n".join(line for line, _ in lines)
    )
    if not any(closes(line) for line, _ in lines):
        missing.add("closes")  # "报名费…经跑团统一报名" says how to sign up, not until when
    days = calendar_days(best.text)
    best_days = _event_days(best)  # read once for every other notice's comparison
    weights = _word_weights(wanted, [*notices, *sections])
    same_document = {id(n) for n in sections}
    notes = 0
    head = event_head(topic)
    for other in [*notices, *sections]:
        if other is best or (not missing and id(other) not in same_document):
            continue
        if (
            id(other) not in same_document
            and (_match(wanted, other) < MIN_MATCH or _rare_match(weights, other) < RARE_MATCH)
            and not _same_days_event(wanted, best, best_days, other)
        ):
            continue  # (a notice sharing only "接龙" with the topic is another sign-up)
        if head and not _of_kind(head, other, same_document):
            continue  # the sponsor's contest, or the guide's course section: another event
        other_days = calendar_days(other.text) or _told_days(other)
        run_days = topic_days or days  # the topic's days decide when it names them
        if id(other) not in same_document and other_days and run_days and not other_days & run_days:
            continue  # another run of the event; its own document's lines are read one by one
        listing = _focus(wanted, other) < 1  # a list of the week's events: its lines on this one
        for line in notice_lines(other, wanted, topic_days):
            if is_signup_chain(line):
                continue  # a sign-up list's title names one run, maybe not this one
            if listing and not _names(wanted, line):
                continue  # "📅 This week at Maker Hub" names no event: no place of this one
            found = (slots_of(line) | ({"closes"} if closes(line) else set())) & missing
            if _another_run(line, topic_runs):
                continue  # the 4.8 row of a release calendar, for a post on 4.9
            # "4.9 | Tue 8 Dec 2026, 18:00 CET | …": that run's own line
            own_run = bool(topic_runs & run_numbers(line))
            if fold_chinese(line) == fold_chinese(other.heading) or len(line) < 6:
                continue  # a section's name ('费用') states no detail
            if _HEADER_ROW.match(line):
                continue  # a table's header names no detail of any event
            if _another_weekday(line, topic_weekdays) and not _DEADLINE.search(line):
                continue  # "每月第二个周三…" for a Saturday event; "周五截止" is its sign-up
            # a calendar's line for one of the topic's days is that run's whole notice
            # and the line that names the event with its when and where is its core, however long
            # ("Latte Art Throwdown: Saturday 28 November, 3pm–6pm, upstairs at The Foundry…")
            fits = (
                len(line) <= 100
                or own_run
                or bool(calendar_days(line[:24]) & topic_days)
                or (len(found) >= 2 and len(line) <= 160 and _names(wanted, line))
            )
            # a note of the event's own document that names it ("草莓每户限2盒") says what
            # members must know about it, though it fills no detail
            about = (
                not found
                and id(other) in same_document
                and notes < MAX_NOTES
                and _named_share(wanted, line) >= NOTE_SHARE
            )
            if (found or about or own_run) and fits and all(line != seen for seen, _ in lines):
                lines.append((line, other))
                missing -= found
                notes += about
    return lines


# "活动 | 频率 | 时间 | 地点 | 费用": the labels of a table's columns, no detail of any event
# ("RC1 | Release manager" too: a label may hold a digit, a detail holds a number or a time)
_HEADER_ROW = re.compile(
    r"^(?!.*(?:\d{2}|\d\s*[:：.]\s*\d))\s*\|?\s*[^|]{1,20}(?:\s*\|\s*[^|]{1,20}){2,}\s*\|?\s*$"
)
_WEEKDAY_NAMES = {
    **{f"{p}{d}": i for p in ("周", "星期", "礼拜") for i, d in enumerate("一二三四五六日", 1)},
    **{f"{p}天": 7 for p in ("周", "星期", "礼拜")},
    **{
        f"{d}day": i
        for i, d in enumerate(("mon", "tues", "wednes", "thurs", "fri", "satur", "sun"), 1)
    },
}


def weekdays_named(text: str) -> set[int]:
    """The weekdays a text names (1 = Monday), not 明天 or tomorrow."""
    return {
        _WEEKDAY_NAMES[w]
        for w in (m.group().lower() for m in _WEEKDAY.finditer(fold_chinese(text)))
        if w in _WEEKDAY_NAMES
    }


def _another_weekday(line: str, topic_weekdays: set[int]) -> bool:
    """The line names weekdays, none of them the topic's: another event's day."""
    named = weekdays_named(line)
    return bool(topic_weekdays and named and not named & topic_weekdays)


def _of_kind(head: str, notice: Notice, same_document: set[int]) -> bool:
    """Is `notice` about an event of the topic's kind ('杯测会')? A section of the event's own
    document is, unless its heading names another kind ('烘焙入门课'); another notice must
    name the kind."""
    if id(notice) in same_document:
        other = event_head(notice.heading)
        return not other or other == head
    return _match({head}, notice, notice.path or notice.heading) > 0


def notice_lines(
    notice: Notice, wanted: Collection[str] = (), days: Collection[tuple[int, int]] = ()
) -> list[str]:
    """The notice's lines as a post can carry them: no intro lines ('方案定下来了：'), no
    questions, no Markdown; a long passage keeps only its lines with details or the event.
    With the topic's `days`, a line that opens with another day and says when or where is
    another event of a calendar ("SAT 13 MAR 2027 'Rivers and Tides' … Call 6:00 pm")."""
    out: list[str] = []
    # (a price list's rows are items too, each product with its own cut-off)
    items = [ln for ln in notice.lines if _is_item(ln) and "date" in slots_of(ln)]
    named = [raw for raw in items if wanted and _names(wanted, raw)]
    several = len(items) >= 2 and 0 < len(named) < len(items)  # a list of the week's events
    # A calendar (lines that open with their own day, each day's 集合/路线 lines below it), or
    # a passage without the topic's day: the lines under another day are that day's event.
    topic_days = set(days)
    opened = {frozenset(calendar_days(ln[:24])) for ln in notice.lines} - {frozenset()}
    entries = len(opened) >= CALENDAR_ENTRIES or (
        len(opened) >= 2 and not calendar_days(notice.text) & topic_days
    )
    another_entry = own_entry = False
    for raw in notice.lines:
        if raw.rstrip().endswith((":", "：")) or raw.count("\t") >= 2:
            continue  # an intro ("Okay, it's decided:") or table rows glued together
        if several and _is_item(raw) and raw not in named:
            continue  # another event's item ("• Fusion 360 early bird ends March 25")
        if days and _another_days_event(raw, days):
            another_entry, own_entry = entries, False
            continue
        opens_with = calendar_days(raw[:24])
        if opens_with and not closes(raw):
            another_entry = False
            own_entry = entries and bool(opens_with & topic_days)
        if another_entry:
            continue
        pieces = [raw] if len(raw) <= 60 else _clauses(raw)
        for piece in pieces:
            line = _clean_line(piece)
            if not line or line.endswith((":", "：")) or is_question(line):
                continue
            if len(line) <= 4 and not any(ch.isdigit() for ch in line):
                continue  # a bare section name in an outline ('费用'): no detail
            if (len(notice.lines) > 3 or len(pieces) > 1) and not (
                own_entry
                or slots_of(line)
                or any(w in fold_chinese(line) for w in wanted)
                or (notice.kind == "chat" and _LABELLED_LINE.match(line))
            ):
                continue  # a long notice's chatter; its labelled lines ("说书人：小鱼") are details
            out.append(line)
    if len(out) > MAX_LINES:  # a long guide: its lines with details first, in their order
        keep = {i for i, line in enumerate(out) if slots_of(line)}
        keep |= set(list(set(range(len(out))) - keep)[: max(0, MAX_LINES - len(keep))])
        out = [line for i, line in enumerate(out) if i in sorted(keep)[:MAX_LINES]]
    return out


CALENDAR_ENTRIES = 3  # lines that open with their own day: a calendar, each day's lines below it
_COMMA = re.compile(r"[，,、；;]")
_HAN_GAP = re.compile(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")


def _clauses(text: str) -> list[str]:
    """Sentences of a long line; a voice-to-text paragraph with no punctuation ("早上六点半在
    春茧南门集合 六点四十准时出发 …") is cut at the spaces between its Chinese clauses."""
    pieces = split_sentences(text)
    # (a line with commas is punctuated: "地点 杭州市…66号 麦香工作室2楼" is one address)
    if len(pieces) == 1 and len(text) > 60 and _HAN_GAP.search(text) and not _COMMA.search(text):
        return [p for p in _HAN_GAP.split(text) if p.strip()]
    return pieces


def _clean_line(text: str) -> str:
    line = _MD.sub("", text).strip()
    line = _LIST_MARK.sub("", line)
    line = _ACK.sub("", line).strip()
    return line.rstrip("；;，,")


def best_notice(
    topic: str,
    notices: Sequence[Notice],
    embedder: Embedder | None = None,
    community_name: str = "",
) -> Notice | None:
    """The notice of the event the topic names, or None when no notice clearly names it."""
    wanted = event_words(topic, community_name, notices)
    if not wanted or not notices:
        return None
    head = event_head(topic)
    topic_days, topic_months = calendar_days(topic), months_named(topic)
    topic_place = fold_chinese(find_place(topic) or "")
    topic_runs = run_numbers(topic)
    weights = _word_weights(wanted, notices)
    moved_topic = bool(_STATUS_ASIDE.search(fold_chinese(topic)) or _MOVED.search(topic))
    scored: list[tuple[float, int, Notice]] = []
    for order, notice in enumerate(notices):
        if _another_run(f"{notice.heading} {notice.text}", topic_runs):
            continue  # "Freeze week for 4.8" is no notice of the 4.9 freeze
        days = calendar_days(notice.text) | calendar_days(notice.heading)
        named_by = ""  # the heading that names the event: the section's own, or its document's
        match = _match(wanted, notice)
        if match < MIN_MATCH and days and notice.path and (topic_days & days or not topic_days):
            # the section states a day (the topic's, when it names one) and its document's
            # title names the event: "中英组术语库说明 > 季度线上校对会: 下一次：12月12日…"
            named_by = notice.path
        if match < MIN_MATCH and head and notice.path and head in fold_chinese(notice.heading):
            # the section is named by the event's kind ("会员杯测会") under a document that
            # names the rest ("澜山烘焙_杯测及课程")
            named_by = notice.path
        if named_by:
            match = _match(wanted, notice, named_by)
        if match < MIN_MATCH:
            continue
        place = find_place(notice.text)
        if topic_place and place and topic_place not in fold_chinese(notice.text):
            continue  # the topic's own place is elsewhere: another event
        # The fuller notice of a run wins over a one-line reminder of it ("a week on Thursday at
        # Ohm & Wheel"): which details it states, and on how many lines.
        detailed = sum(1 for line in _pieces(notice)[:MAX_LINES] if slots_of(line))
        score = (match + _rare_match(weights, notice, named_by)) / 2
        score += 0.05 * len(notice.slots) + 0.03 * min(detailed, 5)
        score -= FOCUS_WEIGHT * (1 - _focus(wanted, notice))
        if head and _match({head}, notice, notice.path or notice.heading) == 0.0:
            score -= HEAD_MISS  # the sponsor's other event: the name without the kind
        if topic_days:
            if topic_days & days:
                score += 1.0
            elif days:
                continue  # another date: another event (or another run of it)
        if topic_months and days:
            # "12月排班接龙…11月30日截止" is about December although its one date is in November
            if not topic_months & ({mo for mo, _ in days} | months_named(notice.text)):
                continue
            score += 0.5
        elif topic_months & months_named(notice.text):
            score += 0.5  # "12月值班表接龙开始了，大家25日前…": the month's run, its day unstated
        if _MOVED.search(fold_chinese(notice.text)):
            # "…延期到11月21日（周六），时间地点不变": the plan as it now stands, the more so when
            # the topic says the plan moved ("搭小拱棚劳动日（已改期）提醒")
            score += MOVED_BONUS * (2 if moved_topic else 1)
        if notice.kind == "chat":
            score += 0.2  # the chat is newer than the playbook and names this run of the event
            if all(is_signup_chain(line) for line in notice.lines):
                score -= CHAIN_ONLY  # a sign-up list's title: the thinnest statement of it
            if RELATIVE_DAY.search(notice.text):
                score -= 0.3  # "明天…截止" was true the day it was said, not when this is posted
        scored.append((score, order, notice))
    if not scored:
        return None
    if embedder is not None and len(scored) > 1:
        vectors = embedder.embed(
            [fold_chinese(topic)] + [fold_chinese(_title(n)) for _, _, n in scored]
        )
        scored = [
            (s + 0.5 * float(cos), o, n)
            for (s, o, n), cos in zip(scored, vectors[1:] @ vectors[0], strict=True)
        ]
    # Ties go to the later notice: a plan restated later supersedes the first one.
    return max(scored, key=lambda t: (round(t[0], 6), t[1]))[2]


# When sign-up closes: a deadline word with a calendar day ("报名截止…2026年11月25日晚上10点").
_CLOSES = re.compile(r"截止|deadline|\bcloses?\b|\bby\b|之?前", re.IGNORECASE)


def closes(line: str) -> bool:
    """Says when sign-up closes: '报名截止…11月25日', '接龙截止时间是周五晚上九点',
    'sign-up closes Wednesday 9 pm'."""
    return bool(_CLOSES.search(line) and (calendar_days(line) or _WEEKDAY.search(line)))


# A notice that moves the event to another day (or time, or place) supersedes its plan. Not
# summarize.decisions' _MOVED_TO: that one counts "提前到" as news, which in a playbook's standing
# rule ("夏天…提前到 7:00-9:00") is no move of this run.
_MOVED = re.compile(
    r"(?:延期|推迟|顺延|改期|挪|改|调整?)(?:到|至|为|成)|改期|"
    r"\b(?:postponed|moved|rescheduled|pushed back)\s+(?:to|until)\b",
    re.I,
)
MOVED_BONUS = 0.6
FOCUS_WEIGHT = 0.3
HEAD_MISS = 0.5
CHAIN_ONLY = 0.3
# "Soldering 101: Saturday March 21, 1:00–4:00 pm · Room B · $15 · max 12 people": one line,
# several details.
_DETAIL_SEPARATOR = re.compile(r"\s+[·•|]\s+|；|;\s+")


def _pieces(notice: Notice) -> list[str]:
    """The notice's lines, a line of details joined by ' · ' or '；' counted as its details."""
    return [p for line in notice.lines for p in _DETAIL_SEPARATOR.split(line) if p.strip()]


def _focus(wanted: Collection[str], notice: Notice) -> float:
    """1, unless the notice is a list of several events ("📅 This week: • Soldering 101… •
    Open Build Night… • Fusion 360 early bird…"): then the share of its items that name this
    one. A notice of the event with other lines (its time, place, fee) stays at 1."""
    items = _dated_items(notice.lines)
    if len(items) < 2:
        return 1.0
    return sum(1 for line in items if _names(wanted, line)) / len(items)


def _another_days_event(line: str, days: Collection[tuple[int, int]]) -> bool:
    """A line that opens with a day not among `days` and states a time or place of its own:
    another event's line in a calendar. A deadline of this event ('12月6日报名截止') is none."""
    own = calendar_days(line[:24])
    if not own or own & set(days) or closes(line):
        return False
    return bool(slots_of(line) & {"time", "place"})


def _dated_items(lines: Sequence[str]) -> list[str]:
    """List items that carry their own day: the events of a week's list ("• Thursday: Open
    Build Night, 7–10 pm"), not one event's detail items ("- 地点：B 区")."""
    return [line for line in lines if _LIST_MARK.match(line) and "date" in slots_of(line)]


def _is_item(line: str) -> bool:
    """A list item, or a table row (a price list's products, each with its own cut-off)."""
    return bool(_LIST_MARK.match(line)) or line.count("|") >= 2


MAX_NOTES = 2
NOTE_SHARE = 1 / 3  # of the event's words: "Tickets at the door…" names only "tickets"


def _named_share(wanted: Collection[str], text: str) -> float:
    return sum(_names((w,), text) for w in wanted) / len(wanted) if wanted else 0.0


def _names(wanted: Collection[str], text: str) -> bool:
    folded = fold_chinese(text)
    return any(
        re.search(rf"(?<![a-z0-9]){re.escape(w)}(?![a-z0-9])", folded)
        if w.isascii()
        else w in folded
        for w in wanted
    )


def _same_days_event(
    wanted: Collection[str], best: Notice, best_days: set[tuple[int, int]], other: Notice
) -> bool:
    """The announcement of the event a notice is about (`best_days`: `_event_days(best)`): the
    same calendar day, and an event word both name ("Throwdown judging rules (Sat 28 Nov)"
    under "Latte Art Throwdown: Saturday 28 November, 3pm–6pm…"), though the topic's other
    words are the rules'."""
    if not best_days:
        return False
    shared = any(_names((w,), best.text) and _names((w,), other.text) for w in wanted)
    return shared and bool(best_days & _event_days(other))


def _event_days(notice: Notice) -> set[tuple[int, int]]:
    """The days a notice's sentences name, but for sign-up deadlines ("3月20日截止")."""
    sentences = (s for line in notice.lines for s in split_sentences(line))
    return {day for s in sentences if not closes(s) for day in calendar_days(s)}


def _match(wanted: set[str], notice: Notice, heading: str = "") -> float:
    """Share of the event words found in the notice (its title lines count, and its context;
    `heading`: the heading to read, default its own section's)."""
    return len(_found_words(wanted, notice, heading)) / len(wanted)


def _found_words(wanted: Collection[str], notice: Notice, heading: str = "") -> set[str]:
    """The event words the notice holds (see `_match`)."""
    haystack = fold_chinese(" ".join([heading or notice.heading, notice.context, *notice.lines]))
    return {
        w
        for w in wanted
        if (
            re.search(rf"(?<![a-z0-9]){re.escape(w)}(?![a-z0-9])", haystack)
            if w.isascii()
            else w in haystack
        )
    }


def _word_weights(wanted: Collection[str], notices: Sequence[Notice]) -> dict[str, float]:
    """A word most notices write ("接龙", "报名") tells the event less than one few do ("值班"):
    each event word weighs by how rare it is among the notices. One none of them writes
    ("最后一次") tells them apart no more than it tells which is the event: it weighs nothing."""
    held = Counter(w for n in notices for w in _found_words(wanted, n))
    return {w: math.log(1 + len(notices) / held[w]) for w in wanted if held[w]}


def _rare_match(weights: dict[str, float], notice: Notice, heading: str = "") -> float:
    """`_match` with each word weighed by its rarity."""
    if not weights:  # no event word any notice writes (each weight is above 0)
        return 0.0
    found = _found_words(weights, notice, heading)
    return sum(v for w, v in weights.items() if w in found) / sum(weights.values())


def _title(notice: Notice) -> str:
    return " ".join([notice.heading, *notice.lines[:2]])


OWNER_REPLY_WINDOW = timedelta(hours=2)


def _replies_under(clean: Sequence[ChatMessage]) -> dict[str, list[tuple[int, ChatMessage]]]:
    """Each message's replies and thread messages, with their place in the chat: looked up once,
    not scanned for every notice."""
    under: dict[str, list[tuple[int, ChatMessage]]] = {}
    for i, m in enumerate(clean):
        for parent in {m.thread, m.reply_to} - {None, m.id}:
            under.setdefault(str(parent), []).append((i, m))
    return under


def _owners_replies(
    turn: list[ChatMessage], under: dict[str, list[tuple[int, ChatMessage]]], text: str
) -> list[str]:
    """What the people a notice names say under it ("Mei collects the glossaries by Monday" /
    Mei, in its thread: "On it — send me your files as .xlsx or .tbx"): part of the notice,
    with who said it."""
    found = {i: m for parent in turn for i, m in under.get(parent.id, [])}
    out: list[str] = []
    for _, m in sorted(found.items()):
        if m.ts <= turn[-1].ts or m.ts - turn[-1].ts > OWNER_REPLY_WINDOW:
            continue
        if member_key(m) == member_key(turn[0]) or is_question(m.text):
            continue
        if names(text, m.author) or mentions(text, m.author):
            out.append(f"{m.author}: {m.text.strip()}")
    return out[:2]


def _turns(messages: Sequence[ChatMessage]) -> list[list[ChatMessage]]:
    turns: list[list[ChatMessage]] = []
    for m in messages:
        last = turns[-1][-1] if turns else None
        if (
            last is not None
            and member_key(last) == member_key(m)
            and m.channel == last.channel
            and m.ts - last.ts <= TURN_GAP
        ):
            turns[-1].append(m)
        else:
            turns.append([m])
    return turns


_EN_FIRST_PERSON = [
    (re.compile(r"\bI(?:'m| am)\b"), "{} is"),
    (re.compile(r"\bI(?:'ll| will)\b"), "{} will"),
    (re.compile(r"\bI(?:'ve| have)\b"), "{} has"),
]


def _resolve_first_person(line: str, author: str) -> str:
    """'有问题直接@我' in an admin's notice reads '@助教-阿周' in a post the operator sends, and
    "I'm leading" reads "Priya Nair is leading"."""
    if not author:
        return line
    if not re.search(r"[\u4e00-\u9fff]", line):
        for pattern, phrase in _EN_FIRST_PERSON:
            line = pattern.sub(phrase.format(author), line)
        return line
    return _FIRST_PERSON.sub(author, line)
