"""Community health from chat history: activity, members, questions, topics, signals.

Pure and deterministic: the same messages and `now` give the same report. Definitions
(thresholds are module constants so operators and tests can see them):

- counted message: not a service notice, not from a bot, not spam (spam is reported
  separately in `spam_messages`);
- period: from local midnight of max(first message day, now - window_days + 1) to `now`
  (or from `since`), days in the community time zone;
- member: anyone who posted (non-spam) or joined (a service notice, or a "欢迎 @X"
  welcome — see `members`) and has not left since; admins and bots are not members;
- silent member: a member with no counted message in the last `silent_days` days;
- new member: joined during the period; when the history has no join events at all,
  a member whose first message is in the period, but only if the history reaches back
  before the period (otherwise everyone would look new);
- response / answered: see `copilot.analytics.conversation` (explicit reply, a reply in
  the thread the question opened, or — within 30 min in the same channel/thread — an
  admin's message or one @-mentioning the asker), within 24 h;
- newcomer got a reply: someone responded to one of their messages, or @-mentioned them
  within 24 h of joining; `first_reply_minutes` runs from joining to that first response;
- question: a member's message that asks something (`link_questions`: not spam, an insult,
  prompt injection, or a reply that answers; admins' questions are polls and prompts, not
  requests for help, so they are left out);
- unanswered question: nobody else answered it (the Q→A links) or replied to it (a reply,
  or a message within 30 min that is not an echo, a sticker, a routine post such as a
  check-in, or someone else's new question);
- every time in the report is in the community time zone.
"""

from __future__ import annotations

import bisect
import math
import statistics
from collections import Counter
from collections.abc import Collection, Iterable
from datetime import UTC, date, datetime, time, timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo

from pydantic import BaseModel

from copilot.analytics.conversation import (
    RESPONSE_WITHIN,
    ConversationIndex,
    Roles,
    aware,
    member_key,
    mentions,
    minutes_between,
    normalize,
)
from copilot.analytics.exchanges import common_words, is_noise, link_questions, responds_to
from copilot.analytics.keywords import top_keywords
from copilot.analytics.members import Roster, build_roster
from copilot.analytics.report import (
    SIGNAL_ORDER,
    ActiveMembers,
    ActivityTrend,
    DayCount,
    HealthReport,
    HourCount,
    KeywordCount,
    MemberCount,
    NewMember,
    QuestionItem,
    Signal,
    SilentMember,
    Via,
)
from copilot.analytics.spam import spam_ids
from copilot.errors import InputError
from copilot.models import ChatMessage
from copilot.text import fold_chinese, is_question, looks_like_injection

SILENT_RATIO = 0.5  # many_silent_members: silent / members at or above this…
MIN_MEMBERS_FOR_RATIOS = 3  # …with at least this many members
UNANSWERED_MIN = 2
LOW_PER_DAY = 3.0  # low_activity: fewer counted messages per period day
HIGH_PER_DAY = 50.0  # high_activity: at least this many per period day
MAX_PERIOD_DAYS = 3 * 366  # a report has one row per day: since= decades back is refused
DECLINE_RATIO = 0.7  # declining_activity: last 7 days / previous 7 days below this…
DECLINE_MIN_PREVIOUS = 5  # …when the previous week had enough messages to judge
NEWCOMERS_MIN = 3  # many_newcomers: at least this many, and…
NEWCOMERS_SHARE = 0.2  # …at least this share of members
LIST_CAP = 100
TOP_MEMBERS = 10
ROUTINE_REPEATS = 3  # a text posted this often is a broadcast (check-in), never a reply


def compute_health(
    messages: Iterable[ChatMessage],
    *,
    now: datetime | None = None,
    admins: Collection[str] = frozenset(),
    bots: Collection[str] = frozenset(),
    silent_days: int = 7,
    tz: str = "Asia/Shanghai",
    since: datetime | None = None,
    window_days: int = 30,
) -> HealthReport:
    """Health report of one community's chat history as of `now` (default: the newest message
    that is not a notice or a bot's)."""
    zone = ZoneInfo(tz)
    roles = Roles.of(admins, bots)
    msgs = normalize(messages)
    if now is None:  # the newest message, not a later join or pin notice
        spoken = [m for m in msgs if not m.is_service and not roles.is_bot(m)]
        now = (spoken or msgs)[-1].ts if msgs else datetime.now(UTC)
    now = aware(now)
    history = [m for m in msgs if m.ts <= now and not roles.is_bot(m)]
    spam = spam_ids(history, roles.admins)
    counted = [m for m in history if not m.is_service and m.id not in spam]
    start = _period_start(history, now, zone, since, window_days)
    if now - start > timedelta(days=MAX_PERIOD_DAYS):  # the report has one row per day
        raise InputError(
            f"the period from {start:%Y-%m-%d} to {now:%Y-%m-%d} is {(now - start).days} days; "
            f"stats cover at most {MAX_PERIOD_DAYS} days: pass a later `since`"
        )
    in_period = [m for m in counted if m.ts >= start]
    roster = build_roster(history, roles, spam)
    members = roster.members()
    index = ConversationIndex(history, roles, exclude=spam)

    silent = _silent(roster, members, now - timedelta(days=silent_days))
    questions = _questions(in_period, history, index, zone)
    answered = sorted(
        q.first_response_minutes for q in questions if q.first_response_minutes is not None
    )
    unanswered = [q for q in questions if not q.answered]
    hours = [0] * 24
    for m in in_period:
        hours[m.ts.astimezone(zone).hour] += 1
    trend = _trend(counted, now)
    names = set(roster.names.values()) | set(roles.admins)
    topics = top_keywords(
        [m.text for m in in_period if not looks_like_injection(m.text)], k=10, exclude=names
    )

    report = HealthReport(
        community=msgs[0].community if msgs else "",
        timezone=tz,
        period_start=start,
        period_end=now,
        total_messages=len(in_period),
        last_message_at=counted[-1].ts if counted else None,
        spam_messages=sum(1 for m in history if m.id in spam and m.ts >= start),
        senders=len({member_key(m) for m in history if not m.is_service and m.ts >= start}),
        members_total=len(members),
        messages_per_day=_per_day(in_period, start, now, zone),
        active_members=_active(in_period, roster),
        silent_members=silent,
        silent_ratio=round(len(silent) / len(members), 4) if members else 0.0,
        new_members=_newcomers(history, counted, roster, members, index, start),
        question_count=len(questions),
        unanswered_count=len(unanswered),
        questions=questions[-LIST_CAP:],
        unanswered_questions=unanswered[-LIST_CAP:],
        median_first_response_minutes=round(statistics.median(answered), 2) if answered else None,
        p90_first_response_minutes=_percentile(answered, 0.9),
        hourly_histogram=hours,
        peak_hours=[
            HourCount(hour=h, count=c)
            for h, c in sorted(enumerate(hours), key=lambda hc: (-hc[1], hc[0]))[:3]
            if c
        ],
        top_topics=[KeywordCount(keyword=w, count=c) for w, c in topics],
        activity_trend=trend,
    )
    report.signals = _signals(report, has_history=bool(history))
    return in_zone(report, zone)


M = TypeVar("M")


def in_zone(value: M, zone: ZoneInfo) -> M:
    """Every time in a report in the community's time zone (dates are already local days)."""
    if isinstance(value, datetime):
        return value.astimezone(zone)
    if isinstance(value, BaseModel):
        fields = type(value).model_fields
        return value.model_copy(update={k: in_zone(getattr(value, k), zone) for k in fields})
    if isinstance(value, list):
        return [in_zone(v, zone) for v in value]  # type: ignore[return-value]
    return value


def _period_start(
    history: list[ChatMessage], now: datetime, zone: ZoneInfo, since: datetime | None, days: int
) -> datetime:
    if since is not None:
        return min(aware(since), now)
    today = now.astimezone(zone).date()
    first = today - timedelta(days=max(days, 1) - 1)
    # Never before the first message (or before today, for an empty history).
    first = max(first, history[0].ts.astimezone(zone).date() if history else today)
    return datetime.combine(min(first, today), time(0), zone)


def _per_day(
    msgs: list[ChatMessage], start: datetime, now: datetime, zone: ZoneInfo
) -> list[DayCount]:
    counts = Counter(m.ts.astimezone(zone).date() for m in msgs)
    first: date = start.astimezone(zone).date()
    days = (now.astimezone(zone).date() - first).days + 1
    return [
        DayCount(date=d, count=counts.get(d, 0))
        for d in (first + timedelta(i) for i in range(days))
    ]


def _active(msgs: list[ChatMessage], roster: Roster) -> ActiveMembers:
    counts = Counter(member_key(m) for m in msgs)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], roster.names.get(kv[0], kv[0]), kv[0]))
    top = [MemberCount(member=roster.names.get(k, k), member_id=k, messages=c) for k, c in ranked]
    return ActiveMembers(count=len(counts), top=top[:TOP_MEMBERS])


def _silent(roster: Roster, members: list[str], cutoff: datetime) -> list[SilentMember]:
    out = [
        SilentMember(
            member=roster.names.get(k, k), member_id=k, last_active=roster.last_post.get(k)
        )
        for k in members
        if (last := roster.last_post.get(k)) is None or last <= cutoff
    ]
    # Never-posted first, then longest silent.
    return sorted(out, key=lambda s: (s.last_active is not None, s.last_active or cutoff, s.member))


def _questions(
    in_period: list[ChatMessage],
    history: list[ChatMessage],
    index: ConversationIndex,
    zone: ZoneInfo,
) -> list[QuestionItem]:
    """Members' questions in the period (`link_questions`: not spam, insults or replies that
    answer), each answered when someone else answered it or responded to it."""
    period = {m.id for m in in_period}
    roles = index.roles
    routine = _routine(history)
    common = common_words(index.messages)
    out = []
    for exchange in link_questions(history, admins=roles.admins, bots=roles.bots):
        m = exchange.question
        if m.id not in period or looks_like_injection(m.text):
            continue
        responses = [
            r
            for r in index.responses(m, anyone_nearby=True)
            if _replies_to(r, m, routine) and responds_to(index, m, r, common)
        ]
        first = min(
            [a.ts for a in exchange.answers[:1]] + [r.ts for r in responses[:1]], default=None
        )
        out.append(
            QuestionItem(
                message_id=m.id,
                channel=m.channel,
                author=m.author,
                ts=m.ts.astimezone(zone),
                text=m.text[:200],
                answered=first is not None,
                first_response_minutes=minutes_between(m.ts, first) if first else None,
            )
        )
    return out


def _replies_to(r: ChatMessage, q: ChatMessage, routine: Collection[str]) -> bool:
    """A response that says something to the asker: not an echo, a sticker or a routine post
    (a text many people post: check-ins), and not someone else's new question unless it
    replies to or addresses the asker ("@小王 你是哪个校区的？")."""
    if is_noise(r.text) or fold_chinese(r.text).strip() in routine:
        return False
    return not is_question(r.text) or r.reply_to == q.id or mentions(r.text, q.author)


def _routine(messages: list[ChatMessage]) -> set[str]:
    """Texts posted ROUTINE_REPEATS times or more ("打卡 ✅", "早"): broadcasts, not replies."""
    counts = Counter(fold_chinese(m.text).strip() for m in messages)
    return {text for text, n in counts.items() if n >= ROUTINE_REPEATS}


def _newcomers(
    history: list[ChatMessage],
    counted: list[ChatMessage],
    roster: Roster,
    members: list[str],
    index: ConversationIndex,
    start: datetime,
) -> list[NewMember]:
    present = set(members)
    via: Via
    if roster.has_join_events:
        via, since = "join_event", roster.joined
    elif history and history[0].ts < start:
        via, since = "first_message", roster.first_post
    else:
        return []
    joined = {k: t for k, t in since.items() if t >= start and k in present}
    times = [m.ts for m in counted]
    by_member: dict[str, list[ChatMessage]] = {}
    for m in counted:
        by_member.setdefault(member_key(m), []).append(m)
    out = []
    for key, at in sorted(joined.items(), key=lambda kv: (kv[1], kv[0])):
        name = roster.names.get(key, key)
        # Engagement: a response to any of their messages, or an @-mention (a welcome).
        replies = [
            r.ts for m in by_member.get(key, []) if m.ts >= at for r in index.responses(m)[:1]
        ]
        lo, hi = bisect.bisect_left(times, at), bisect.bisect_right(times, at + RESPONSE_WITHIN)
        replies += [  # after joining: a welcome that marks the join is not a reply
            m.ts
            for m in counted[lo:hi]
            if m.ts > at and member_key(m) != key and mentions(m.text, name)
        ][:1]
        first = min(replies, default=None)
        out.append(
            NewMember(
                member=name,
                member_id=key,
                joined_at=at,
                via=via,
                got_reply=first is not None,
                first_reply_minutes=minutes_between(at, first) if first else None,
            )
        )
    return out


def _trend(counted: list[ChatMessage], now: datetime) -> ActivityTrend:
    week = timedelta(days=7)
    last = sum(1 for m in counted if now - week < m.ts <= now)
    prev = sum(1 for m in counted if now - 2 * week < m.ts <= now - week)
    return ActivityTrend(
        last_7_days=last, previous_7_days=prev, ratio=round(last / prev, 3) if prev else None
    )


def _percentile(sorted_values: list[float], q: float) -> float | None:
    """Linear-interpolation percentile (numpy's default) of an ascending list."""
    if not sorted_values:
        return None
    pos = q * (len(sorted_values) - 1)
    lo, hi = math.floor(pos), math.ceil(pos)
    value = sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (pos - lo)
    return round(value, 2)


def _signals(report: HealthReport, *, has_history: bool) -> list[Signal]:
    if not has_history:  # nothing imported yet: no evidence either way
        return []
    days = max(len(report.messages_per_day), 1)
    per_day = report.total_messages / days
    members = report.members_total
    ratio = report.activity_trend.ratio
    fired: set[Signal] = set()
    if members >= MIN_MEMBERS_FOR_RATIOS and report.silent_ratio >= SILENT_RATIO:
        fired.add("many_silent_members")
    if report.unanswered_count >= UNANSWERED_MIN:
        fired.add("unanswered_questions")
    if per_day < LOW_PER_DAY:
        fired.add("low_activity")
    newcomers = len(report.new_members)
    if newcomers >= NEWCOMERS_MIN and newcomers >= NEWCOMERS_SHARE * members:
        fired.add("many_newcomers")
    if (
        ratio is not None
        and ratio < DECLINE_RATIO
        and report.activity_trend.previous_7_days >= DECLINE_MIN_PREVIOUS
    ):
        fired.add("declining_activity")
    if per_day >= HIGH_PER_DAY:
        fired.add("high_activity")
    return [s for s in SIGNAL_ORDER if s in fired]
