"""The week's digest from the chat: news, decisions, what got done, answered and open questions.

Ranked by what matters to members: the organisers' notices of events (with their day, place,
fee and deadline), other announcements and group decisions, what the organisers report as
done ("海报做好了", "34 made, target beaten"), then questions the group answered,
then questions still open. Routine posts never make it in: check-ins and other lines many
members post alike, red packets, stickers, spam, personal resolutions ("我决定继续学").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from copilot.analytics.conversation import ConversationIndex, Roles, normalize
from copilot.analytics.exchanges import is_noise, is_signup_chain, is_small_talk, link_questions
from copilot.analytics.spam import spam_ids
from copilot.models import ChatMessage
from copilot.profile import CommunityProfile
from copilot.skills.draft.notices import (
    RELATIVE_DAY,
    TURN_GAP,
    Notice,
    calendar_days,
    chat_notices,
    slots_of,
)
from copilot.skills.summarize.decisions import (
    find_decisions,
    is_detail_line,
    is_personal,
    without_verdict,
)
from copilot.text import (
    detect_language,
    fold_chinese,
    is_question,
    looks_like_injection,
    split_sentences,
    to_simplified,
    tokenize,
)

ITEM_CHARS = 120
QA_CHARS = {"zh": 48, "en": 80}
LIMITS = {"news": 3, "decision": 2, "done": 2, "answered": 2, "open": 2}
# What the organisers report as done this week: "领养日海报做好了", "今天一共做了34个，超额完成！",
# "Room 2A is booked", "tickets are live".
_DONE = re.compile(
    r"做好了|完成了?[!！。～~]|超额完成|搞定了|签好了|订好了|到位了|发出去了|上线了"
    r"|\b(?:is|are|'s|'re) (?:done|booked|live|up|sorted|finished|ready)\b|\ball done\b",
    re.IGNORECASE,
)
_ANNOUNCE = re.compile(
    r"^\s*(?:【[^】]{2,30}】|📢|\*\*[^*]{4,80}\*\*|(?:公告|通知|提醒|重要)[:：]|"
    r"(?:重要|紧急|緊急)(?:公告|通知|提醒)|"
    r"(?:heads up|announcement|reminder|update|psa)\b)",
    re.IGNORECASE,
)
# "你们就这么卖东西的？！" is a complaint, not a question the digest should pass on.
_EXCLAIMED = re.compile(r"[!！]")
_RED_PACKET = re.compile(r"红包|red (?:packet|envelope)", re.IGNORECASE)
# "@小鹿 明天之前把接龙挂到群公告", "@Brisk please put up the post": work among the organisers.
_TASK = re.compile(r"@\S+.{0,40}?(?:请|麻烦|负责|之?前把|记得|please|can you|could you)", re.I)
_ADDRESSED = re.compile(r"^\s*@\S+")  # said to one member, not to the group
_MODERATION = re.compile(r"已(?:移出|踢|撤回|禁言)|移出了|\b(?:banned|removed|kicked)\b", re.I)


@dataclass(frozen=True)
class DigestItem:
    section: str  # news | decision | done | answered | open
    text: str
    messages: tuple[ChatMessage, ...]  # the messages it quotes, for its citation


def digest_window(
    topic: str, messages: Sequence[ChatMessage], timezone: str
) -> tuple[datetime, datetime]:
    """The week the topic names ('11月9日—11月15日', 'October 26 - November 1'), in the
    community's time zone; without dates, the last seven days of the chat."""
    zone = ZoneInfo(timezone)
    last = max(m.ts for m in normalize(messages)).astimezone(zone)
    found = (_in_year(mo, d, last.date()) for mo, d in calendar_days(topic))
    days = sorted(d for d in found if d is not None)  # "2月30日" names no day
    if days:
        first = days[0]
        end = days[-1] if len(days) > 1 else first + timedelta(days=6)
        return _midnight(first, zone), _midnight(end + timedelta(days=1), zone)
    end_day = last.date() + timedelta(days=1)
    return _midnight(end_day - timedelta(days=7), zone), _midnight(end_day, zone)


def digest_items(
    messages: Sequence[ChatMessage],
    profile: CommunityProfile,
    since: datetime,
    until: datetime,
    language: str,
) -> list[DigestItem]:
    """The week's items, most important first, at most `LIMITS` of each section."""
    roles = Roles.of(profile.admins, ())
    window = [
        m
        for m in normalize(messages)
        if since <= m.ts < until
        and not m.is_service
        and not is_noise(m.text)
        and not looks_like_injection(m.text)
        and not _RED_PACKET.search(m.text)
    ]
    spam = spam_ids(window, profile.admins)
    routine = _routine_openings(window)
    # A sign-up list stays (chat_notices reads its title once: "#接龙 西贡越野赛 12月13日" dates
    # the organiser's announcement posted with it); check-in boilerplate goes.
    window = [
        m
        for m in window
        if m.id not in spam and (_opening(m.text) not in routine or is_signup_chain(m.text))
    ]
    wanted = "en" if language == "en" else "zh"
    items: list[DigestItem] = []
    used: set[str] = set()

    def add(section: str, text: str, *quoted: ChatMessage) -> None:
        text = text.strip()
        same_language = (detect_language(text) == "en") == (wanted == "en")
        if text and same_language and quoted[0].id not in used:
            items.append(DigestItem(section, text, quoted))
            used.add(quoted[0].id)

    news: list[tuple[float, str, ChatMessage]] = []
    notice_turns = set()
    for notice in chat_notices(window, profile.admins):
        first = _message_at(window, notice)
        if first is None:
            continue
        notice_turns.add(first.id)
        if is_signup_chain(first.text):
            continue  # a sign-up list is the members' answer to news, not news
        if notice.context or _TASK.search(notice.text) or _ADDRESSED.match(notice.text):
            continue  # an answer to a member (listed with its question), or organisers' work
        if RELATIVE_DAY.search(notice.text) and not calendar_days(notice.text):
            continue  # "明天…截止" was news that day, not in a look back at the week
        weight = len(notice.slots) + 2 * bool(_ANNOUNCE.search(notice.text)) + roles.is_admin(first)
        shown = _compact(notice, wanted)
        news.append((weight, shown, first))
        notice_turns |= _turn_of(window, notice, shown)  # its later messages shown in it
    for m in window:
        if m.id in notice_turns or is_question(m.text) or _TASK.search(m.text):
            continue
        if roles.is_admin(m) and _ANNOUNCE.search(m.text) and not _MODERATION.search(m.text):
            weight = 2 + len(slots_of(m.text)) + ("\n" in m.text.strip())
            news.append((weight, _clip(_one_line(m.text), ITEM_CHARS), m))
        elif roles.is_admin(m) and _DONE.search(to_simplified(m.text)) and len(m.text) >= 6:
            add("done", _clip(_one_line(m.text), ITEM_CHARS), m)
    for _, text, m in sorted(news, key=lambda n: -n[0]):
        if all(_overlap(text, i.text) < 0.3 for i in items if i.section == "news"):
            add("news", text, m)
    # Decisions not already news, as the summary reads them: the verdict with its details
    # ("方案定下来了：年末作品展照办。" then "时间12月27日…"), personal resolutions left out.
    by_id = {m.id: m for m in window}
    zone = ZoneInfo(profile.timezone)
    for decision in find_decisions(window, ConversationIndex(window, roles), roles, zone):
        if is_personal(decision.text):
            continue  # an admin's own plan ("我决定下周请假") is no news for the group
        said = by_id[decision.message_id]
        head, *details = (
            x.strip().rstrip("。.；;：:") for x in [decision.text, *decision.details[:2]]
        )
        colon, semicolon = ("：", "；") if wanted == "zh" else (": ", "; ")
        if re.search("[：:]", head):  # "方案定下来了：加开一场" has its colon already
            colon = semicolon
        text = _clip(
            _one_line(head + (colon + semicolon.join(details) if details else "")), ITEM_CHARS
        )
        if all(_overlap(text, i.text) < 0.3 for i in items if i.section == "news"):
            add("decision", text, said)
    exchanges = link_questions(window, profile.admins)
    width = QA_CHARS[wanted]
    answers_used: set[str] = set()
    # Answers by the organisers first, then the fullest answers.
    for e in sorted(
        (e for e in exchanges if e.answered and not _EXCLAIMED.search(e.question.text)),
        key=lambda e: (not roles.is_admin(e.answers[0]), -len(e.answers[0].text)),
    ):
        if e.answers[0].id in answers_used:
            continue  # one reply to two complaints is not two answered questions
        answers_used.add(e.answers[0].id)
        question, answer = _one_line(e.question.text), _one_line(e.answers[0].text)
        add(
            "answered", f"{_clip(question, width)} → {_clip(answer, width)}", e.question, *e.answers
        )
    for e in exchanges:
        # an invitation ("中午有人一起吃饭吗？") waits for company, not for an answer
        if (
            not e.answered
            and not _EXCLAIMED.search(e.question.text)
            and not is_small_talk(e.question.text)
        ):
            add("open", _clip(_one_line(e.question.text), width), e.question)
    counts: Counter[str] = Counter()
    ranked = []
    for section in LIMITS:
        for item in items:
            if item.section == section and counts[section] < LIMITS[section]:
                ranked.append(item)
                counts[section] += 1
    return ranked


def _compact(notice: Notice, language: str) -> str:
    """A notice in one line: its title, then day, time, place, fee, deadline as it states them."""
    lines = [re.sub(r"\*\*|__|`", "", ln).strip() for ln in notice.lines if ln.strip()]
    title = without_verdict(lines[0]).rstrip(":：").strip()
    rest = lines[1:]
    if rest and lines[0].endswith((":", "：")) and "date" not in slots_of(rest[0]):
        title, rest = rest[0], rest[1:]  # "方案定下来了：" then the event's name
    elif (
        rest
        and not slots_of(title)
        and (named := _NAMED_LINE.match(rest[0]))
        and not slots_of(named["name"])  # a name, not "时间：…" or "Saturday: …"
        and not is_detail_line(rest[0])  # nor "📅 日期：11月15日" under "方案定咗：石澳戶外抱石日"
    ):
        # "Alright, the plan is decided 🎉" then "Soldering 101: Saturday March 21 · …": the
        # event's name is the title, its details follow
        title, rest = named["name"].strip(), [named["rest"], *rest[1:]]
    sep, cut, comma = (
        ("; ", re.compile(r"\s\("), ", ") if language == "en" else ("；", re.compile("，"), "，")
    )
    details = []
    # "Soldering 101: Saturday March 21 · Room B · $15 · sign up by Wednesday March 18": each
    # of a line's ' · ' parts is a detail of its own
    rest = [p.strip() for line in rest for p in _PARTS.split(line) if p.strip()]
    for sentence in (x for line in rest for x in split_sentences(line)):
        # each clause that says when, where, how much or by when ("…定在12月19日上午9:00，
        # 地点是东门活动室，不在7幢": the day and the place, not the aside)
        # (a clause cut out of a bracket is no detail: "11月9日前確認 3 位評判）")
        kept = [
            c.strip(" 。.")
            for c in cut.split(sentence)
            if slots_of(c) & _KEY_SLOTS
            and c.count("）") <= c.count("（")
            and c.count(")") <= c.count("(")
        ]
        if kept:
            details.append(_balanced(comma.join(kept)))
    if details:  # "Decided: new rules from Monday 23 November: Every post…", no ".:"
        title = title.rstrip("。.!！ ") + ("：" if language == "zh" else ": ") + sep.join(details)
    text = title
    return _clip(text, ITEM_CHARS + 40)


_PARTS = re.compile(r"\s+[·•|]\s+")
_KEY_SLOTS = frozenset({"date", "time", "place", "fee", "deadline"})
_SIGN_UP_WORDS = frozenset("报名 接龙 截止 名额 sign up signup sign-up closes register".split())


def _words(text: str) -> set[str]:
    return {t for t in tokenize(text) if not t.isdigit() and t not in _SIGN_UP_WORDS | _DATE_PIECES}


_DATE_PIECES = frozenset("月 日 号 周 点 年".split())


_NAMED_LINE = re.compile(r"^(?P<name>[^:：\n]{3,40}?)\s*[:：]\s*(?P<rest>\S.*\d.*)$")


def _overlap(a: str, b: str) -> float:
    """Share of words two items have in common: not dates' pieces (月, 日, 12) nor the words
    of signing up, which every event's item has."""
    ta, tb = _words(a), _words(b)
    return len(ta & tb) / max(len(ta), len(tb)) if ta and tb else 0.0


def _balanced(text: str) -> str:
    """Cut at an unclosed bracket ('60元/人（两天' → '60元/人')."""
    for left, right in (("（", "）"), ("(", ")")):
        if text.count(left) > text.count(right):
            text = text[: text.rindex(left)].rstrip()
    return text


def _routine_openings(messages: Sequence[ChatMessage]) -> set[str]:
    """Openings many members post alike ('打卡 ✅ 第34天', '签到+滇红'): check-in boilerplate."""
    authors: dict[str, set[str]] = {}
    lengths: dict[str, list[int]] = {}
    for m in messages:
        opening = _opening(m.text)
        authors.setdefault(opening, set()).add(m.author)
        lengths.setdefault(opening, []).append(len(m.text.strip()))
    # Check-ins are short ones alike; "领养日海报做好了…" only opens with the group's topic word.
    return {
        opening
        for opening, who in authors.items()
        if opening and len(who) >= 3 and sorted(lengths[opening])[len(lengths[opening]) // 2] <= 16
    }


def _opening(text: str) -> str:
    folded = fold_chinese(text).strip()
    match = re.match(r"#?[\u4e00-\u9fff]{2}|#?[a-z]+", folded)
    return match.group(0) if match and len(folded) <= 40 else ""


def _by_admin(notice: Notice, roles: Roles, window: Sequence[ChatMessage]) -> bool:
    first = _message_at(window, notice)
    return first is not None and roles.is_admin(first)


def _turn_of(window: Sequence[ChatMessage], notice: Notice, shown: str) -> set[str]:
    """Ids of the chat notice's messages (one person's consecutive messages) that its news item
    `shown` already tells, so its second message ("**Soldering 101**: Saturday March 21 · …")
    is not news a second time; another announcement in the same turn still is."""
    told = fold_chinese(re.sub(r"\*\*|__|`", "", shown))
    out = set()
    for m in window:
        if m.author != notice.author or notice.ts is None:
            continue
        if not timedelta(0) <= m.ts - notice.ts <= TURN_GAP * len(notice.lines):
            continue
        opening = re.sub(r"\*\*|__|`", "", m.text).strip().split("\n")[0]
        if fold_chinese(re.split(r"[:：]", opening)[0].strip()[:20]) in told:
            out.add(m.id)
    return out


def _message_at(window: Sequence[ChatMessage], notice: Notice) -> ChatMessage | None:
    return next((m for m in window if m.ts == notice.ts and m.author == notice.author), None)


def _one_line(text: str) -> str:
    return re.sub(r"\s*\n\s*", " / ", re.sub(r"\*\*|__|`", "", text.strip()))


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _in_year(month: int, day: int, near: date) -> date | None:
    """The date with that month and day closest to `near` (a digest of late December in
    January, or the reverse)."""
    options = []
    for year in (near.year - 1, near.year, near.year + 1):
        try:
            options.append(date(year, month, day))
        except ValueError:
            continue
    return min(options, key=lambda d: abs((d - near).days), default=None)


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), zone)
