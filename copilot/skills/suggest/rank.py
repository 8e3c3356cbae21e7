"""Explainable activity ranking: a transparent additive score, one term per reason.

score = type fit + health-signal match + season/holiday + goal match + effort. Formats the
community already runs are left out before ranking (see `running`).
Every term is kept in `score_breakdown`, and every non-zero term has a sentence in the
rationale that quotes the number behind it, so an operator can see (and argue with) the ranking.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from copilot.analytics.report import HealthReport
from copilot.profile import CommunityProfile
from copilot.skills.suggest.catalogue import Activity, Goal
from copilot.skills.suggest.holidays import CalendarHit

TYPE_FIT, TYPE_MISFIT = 2.0, -1.0
SIGNAL = 3.0  # per measured health signal the activity addresses
SEASON_NEAR, SEASON_SOON = 2.5, 1.0  # its festival/season within 14 days (or under way) / 30 days
NEAR_DAYS = 14
HOLIDAY_TRIGGER = 1.0  # a festival-friendly activity when any holiday is within 14 days
GOAL = 1.5
EFFORT = {"low": 0.0, "medium": -0.5, "high": -1.5}
LEAD_DAYS = {"low": 2, "medium": 7, "high": 14}  # preparation time before the activity starts

TYPE_NAMES = {
    "zh": {
        "consumer": "消费型",
        "learning": "学习型",
        "interest": "兴趣型",
        "industry": "行业型",
        "brand": "品牌型",
    },
    "en": {
        "consumer": "consumer",
        "learning": "learning",
        "interest": "interest",
        "industry": "industry",
        "brand": "brand",
    },
}
GOAL_NAMES_ZH = {
    "activation": "促活",
    "retention": "留存",
    "growth": "拉新",
    "conversion": "转化",
    "knowledge": "学习成长",
    "bonding": "连接与归属",
}
EFFORT_NAMES = {
    "zh": {"low": "低", "medium": "中", "high": "高"},
    "en": {"low": "low", "medium": "medium", "high": "high"},
}


@dataclass
class Ranked:
    activity: Activity
    terms: dict[str, float]
    reasons: list[str]
    signals: list[str]
    season: CalendarHit | None = None
    sources: list[str] = field(default_factory=list)

    @property
    def score(self) -> float:
        return round(sum(self.terms.values()), 2)


def rank(
    activities: list[Activity],
    profile: CommunityProfile,
    report: HealthReport | None,
    calendar: dict[str, CalendarHit],
    goals: set[Goal],
    language: str,
) -> list[Ranked]:
    """Score every activity that can run now; best first (ties: lower effort, then id)."""
    lang = "en" if language == "en" else "zh"
    signals = set(report.signals) if report else set()
    out: list[Ranked] = []
    for activity in activities:
        season = _season_hit(activity, calendar)
        if activity.holiday_bound and season is None:
            continue  # a Mid-Autumn activity in March is not a suggestion
        terms: dict[str, float] = {}
        reasons: list[str] = []
        fits = profile.type in activity.fits
        terms["type_fit"] = TYPE_FIT if fits else TYPE_MISFIT
        type_name = TYPE_NAMES[lang][profile.type]
        reasons.append(
            f"适合{type_name}社群"
            if lang == "zh" and fits
            else f"不是为{type_name}社群设计的"
            if lang == "zh"
            else f"fits {type_name} communities"
            if fits
            else f"not designed for {type_name} communities"
        )
        matched: list[str] = [s for s in activity.triggers if s in signals]
        terms["signals"] = SIGNAL * len(matched)
        reasons += [signal_sentence(s, report, lang) for s in matched if report]
        terms["season"] = 0.0
        if season is not None:
            near = season.days_until <= NEAR_DAYS
            terms["season"] = SEASON_NEAR if near else SEASON_SOON
            reasons.append(_season_sentence(season, lang))
        elif "holiday" in activity.triggers:
            nearest = _nearest_holiday(calendar)
            if nearest is not None:
                terms["season"] = HOLIDAY_TRIGGER
                reasons.append(_season_sentence(nearest, lang))
        goal_hit = activity.goal in goals
        terms["goal"] = GOAL if goal_hit else 0.0
        if goal_hit:
            reasons.append(
                f"服务于你的目标：{GOAL_NAMES_ZH[activity.goal]}"
                if lang == "zh"
                else f"serves your goal: {activity.goal}"
            )
        terms["effort"] = EFFORT[activity.effort]
        if activity.effort != "low":
            reasons.append(
                f"投入{EFFORT_NAMES[lang][activity.effort]}"
                if lang == "zh"
                else f"{activity.effort} effort"
            )
        out.append(Ranked(activity, terms, reasons, matched, season))
    order = list(EFFORT)
    out.sort(key=lambda r: (-r.score, order.index(r.activity.effort), r.activity.id))
    return out


def signal_sentence(signal: str, report: HealthReport, lang: str) -> str:
    """The measured fact behind a health signal, with its numbers."""
    members = report.members_total
    days = max(len(report.messages_per_day), 1)
    per_day = report.total_messages / days
    trend = report.activity_trend
    if signal == "many_silent_members":
        silent = len(report.silent_members)
        pct = round(100 * report.silent_ratio)
        return (
            f"{members} 位成员中有 {silent} 位（{pct}%）已沉默 7 天以上"
            if lang == "zh"
            else f"{silent} of {members} members ({pct}%) have been silent for 7+ days"
        )
    if signal == "unanswered_questions":
        n, q = report.unanswered_count, report.question_count
        return (
            f"最近 {days} 天的 {q} 个提问中有 {n} 个没人回复"
            if lang == "zh"
            else f"{n} of {q} questions in the last {days} days got no reply"
        )
    if signal == "low_activity":
        return (
            f"最近 {days} 天日均只有 {per_day:.1f} 条消息"
            if lang == "zh"
            else f"only {per_day:.1f} messages a day over the last {days} days"
        )
    if signal == "many_newcomers":
        new = len(report.new_members)
        unreplied = sum(1 for m in report.new_members if not m.got_reply)
        pct = round(100 * new / members) if members else 0
        return (
            f"最近 {days} 天新来了 {new} 位成员（占 {pct}%），其中 {unreplied} 位还没人回应"
            if lang == "zh"
            else f"{new} newcomers joined in the last {days} days ({pct}% of "
            f"members); {unreplied} of them have had no reply yet"
        )
    if signal == "declining_activity":
        change = round(
            100 * (trend.last_7_days - trend.previous_7_days) / max(trend.previous_7_days, 1)
        )
        return (
            f"消息量从前一周的 {trend.previous_7_days} 条降到最近一周的 {trend.last_7_days} 条"
            f"（{change}%）"
            if lang == "zh"
            else f"messages fell from "
            f"{trend.previous_7_days} to {trend.last_7_days} week over week ({change}%)"
        )
    if signal == "high_activity":
        return (
            f"日均 {per_day:.0f} 条消息，热度正高"
            if lang == "zh"
            else f"{per_day:.0f} messages a day on average: the group has energy to channel"
        )
    return signal


def watch_kpis(signals: list[str], report: HealthReport | None, lang: str) -> list[str]:
    """KPIs tied to today's numbers for the signals an activity addresses."""
    if report is None:
        return []
    out = []
    members = report.members_total
    for s in signals:
        if s == "many_silent_members":
            silent = len(report.silent_members)
            goal = max(int(members * 0.5) - 1, 0)
            out.append(
                f"沉默成员：现在 {silent}/{members}，两周内降到 {goal} 以下"
                if lang == "zh"
                else f"Silent members: {silent} of {members} now; below {goal} in two weeks"
            )
        elif s == "unanswered_questions":
            out.append(
                f"未回复提问：现在 {report.unanswered_count} 个，一周内清零"
                if lang == "zh"
                else f"Unanswered questions: {report.unanswered_count} now; 0 within a week"
            )
        elif s in ("low_activity", "declining_activity"):
            prev, last = report.activity_trend.previous_7_days, report.activity_trend.last_7_days
            target = max(prev, round(last * 1.3), 21)
            out.append(
                f"每周消息数：最近一周 {last} 条，目标 {target} 条以上"
                if lang == "zh"
                else f"Messages per week: {last} last week; aim for {target}+"
            )
        elif s == "many_newcomers":
            new = len(report.new_members)
            replied = sum(1 for m in report.new_members if m.got_reply)
            out.append(
                f"新人获得回应：现在 {replied}/{new}，目标全部"
                if lang == "zh"
                else f"Newcomers who got a reply: {replied} of {new} now; aim for all"
            )
    return out


def plan_dates(n: int, today: date, start: date, end: date, short: bool) -> list[date]:
    """Dates for n steps: prep from today, the main step on `start`, wrap-up the day after `end`.

    The main step is the second-to-last for a one-day event (prep…, event, follow-up) and the
    second for a multi-day one (announce, kick-off, …, wrap-up).
    """
    if n <= 1:
        return [start] * n
    main = n - 2 if short and n >= 3 else 1
    prep_span = max((start - today).days - 1, 0)
    dates = [today + timedelta(days=round(i * prep_span / max(main - 1, 1))) for i in range(main)]
    dates.append(start)
    after = n - main - 1
    span = (end + timedelta(days=1) - start).days
    dates += [start + timedelta(days=round(j * span / after)) for j in range(1, after + 1)]
    return dates


def start_date(ranked: Ranked, today: date) -> date:
    """Festival activities start on the festival; others after their preparation time."""
    season = ranked.season
    if season is not None and season.days_until >= 1:
        return season.label.date
    return today + timedelta(days=LEAD_DAYS[ranked.activity.effort])


def _season_hit(activity: Activity, calendar: dict[str, CalendarHit]) -> CalendarHit | None:
    hits = [calendar[s] for s in activity.seasons if s in calendar]
    return min(hits, key=lambda h: abs(h.days_until)) if hits else None


def _nearest_holiday(calendar: dict[str, CalendarHit]) -> CalendarHit | None:
    near = [h for h in calendar.values() if 0 <= h.days_until <= NEAR_DAYS]
    return min(near, key=lambda h: h.days_until) if near else None


def _season_sentence(hit: CalendarHit, lang: str) -> str:
    name, day = hit.label.name(lang), hit.label.date
    if hit.days_until > 0:
        return (
            f"{name}还有 {hit.days_until} 天（{day.month}月{day.day}日）"
            if lang == "zh"
            else f"{name} is in {hit.days_until} days ({day:%b %d})"
        )
    return f"正值{name}" if lang == "zh" else f"it is {name} now"
