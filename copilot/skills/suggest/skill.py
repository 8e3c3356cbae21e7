"""Suggest activities: the catalogue ranked against type, goals, measured health and the date.

The ranking is always computed offline (see `suggest_rank`), so it stays explainable; with an
LLM configured, only the pitch of each suggestion is polished, via the versioned prompt.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field

from copilot.analytics import HealthReport, compute_health
from copilot.llm import ChatLLM
from copilot.models import ChatMessage
from copilot.profile import CommunityProfile
from copilot.prompts import Prompt
from copilot.retrieval.retriever import Retriever
from copilot.skills.fallback import llm_else_offline, llm_provenance
from copilot.skills.language import language_name, localize
from copilot.skills.llm_json import parse_reply
from copilot.skills.results import (
    HealthNumbers,
    PlanStep,
    Suggestion,
    SuggestResult,
    UpcomingHoliday,
)
from copilot.skills.suggest.catalogue import Activity, load_catalogue, normalize_goals
from copilot.skills.suggest.holidays import calendar_hits, upcoming
from copilot.skills.suggest.needs import missing_needs
from copilot.skills.suggest.rank import Ranked, plan_dates, rank, start_date, watch_kpis
from copilot.skills.suggest.running import running_formats


@dataclass(frozen=True)
class SuggestPorts:
    retriever: Retriever | None
    llm: ChatLLM | None
    catalogue_path: Path | None = None


class _Pitch(BaseModel):
    activity_id: str
    pitch: str = Field(min_length=1, max_length=600)


class _Polished(BaseModel):
    suggestions: list[_Pitch] = Field(min_length=1)


def suggest_activities(
    ports: SuggestPorts,
    community: str,
    profile: CommunityProfile,
    messages: list[ChatMessage],
    *,
    today: date,
    prompt: str | None = None,
    limit: int = 5,
) -> SuggestResult:
    lang = "en" if profile.language == "en" else "zh"
    report = measure_health(messages, profile, today)
    calendar = calendar_hits(today)
    goals, unmatched = normalize_goals(profile.goals)
    catalogue = load_catalogue(ports.catalogue_path)
    running = running_formats(catalogue, community, ports.retriever, messages, profile.admins)
    lacking = missing_needs(catalogue, community, ports.retriever)
    fresh = [a for a in catalogue if a.id not in running and a.id not in lacking]
    ranked = rank(fresh, profile, report, calendar, goals, lang)[:limit]
    notes = []
    if report is None:
        notes.append(
            "还没有导入聊天记录：排序只用了社群类型、目标和日期。"
            if lang == "zh"
            else "No chat history imported yet: ranking used type, goals and the date only."
        )
    if unmatched:
        notes.append(
            (
                "这些目标没有对应的活动目标："
                if lang == "zh"
                else "Goals that match no catalogue goal: "
            )
            + ", ".join(unmatched)
        )
    for left_out, (zh, en) in ((lacking, _LACKING_NOTE), (running, _RUNNING_NOTE)):
        if left_out:
            listed = (f"{a.name(lang)} ({left_out[a.id]})" for a in catalogue if a.id in left_out)
            notes.append((zh if lang == "zh" else en) + ", ".join(listed))
    result = SuggestResult(
        suggestions=[_suggestion(r, report, today, lang) for r in ranked],
        health=_numbers(report),
        today=today,
        community_type=profile.type,
        goals=profile.goals,
        language=profile.language,
        notes=notes,
        upcoming=[
            UpcomingHoliday(
                id=h.id, name=h.name(lang), date=h.date, days_until=(h.date - today).days
            )
            for h in upcoming(today)
        ],
    )
    if result.suggestions:  # the ranking stands; the LLM may only rewrite the pitches
        offline = result
        result = llm_else_offline(
            ports.llm,
            prompt or "suggest",
            lambda llm, template: _polish(llm, template, offline, profile),
            lambda provenance: offline.model_copy(update=provenance.model_dump()),
        )
    return _localized(result, profile.language)


_LACKING_NOTE = (
    "这些形式需要你们资料里没有的东西，所以没有建议：",
    "Left out, as your knowledge shows none of what they need: ",
)
_RUNNING_NOTE = (
    "你们已经在做、所以没有再建议的形式：",
    "Formats you already run, so not suggested: ",
)


def measure_health(
    messages: list[ChatMessage], profile: CommunityProfile, today: date
) -> HealthReport | None:
    """Health as of the last message up to the end of `today` (an export is a snapshot)."""
    if not messages:
        return None
    zone = ZoneInfo(profile.timezone)
    end_of_today = datetime.combine(today + timedelta(days=1), time(0), zone)
    last = max(m.ts if m.ts.tzinfo else m.ts.replace(tzinfo=ZoneInfo("UTC")) for m in messages)
    return compute_health(
        messages, now=min(last, end_of_today), admins=profile.admins, tz=profile.timezone
    )


def _suggestion(r: Ranked, report: HealthReport | None, today: date, lang: str) -> Suggestion:
    a = r.activity
    start = start_date(r, today)
    end = start + timedelta(days=max(a.duration_days - 1, 0))
    steps = a.steps_in(lang)
    dates = plan_dates(len(steps), today, start, end, short=a.duration_days <= 1)
    sep = "；" if lang == "zh" else "; "
    reasons = sep.join(r.reasons)
    rationale = (
        f"{reasons}。{a.why(lang)}"
        if lang == "zh"
        else f"{reasons[:1].upper()}{reasons[1:]}. {a.why(lang)}"
    )
    kpis = watch_kpis(r.signals, report, lang) + [k.text(lang) for k in a.kpis]
    return Suggestion(
        activity_id=a.id,
        name=a.name(lang),
        score=r.score,
        rationale=rationale,
        pitch=_offline_pitch(a, start, kpis, lang),
        goal=a.goal,
        effort=a.effort,
        start=start,
        plan=[PlanStep(date=d, step=s) for d, s in zip(dates, steps, strict=True)],
        kpis=kpis,
        materials=a.materials_in(lang),
        signals_matched=r.signals,
        score_breakdown=dict(r.terms),
        sources=r.sources,
    )


def _offline_pitch(a: Activity, start: date, kpis: list[str], lang: str) -> str:
    watch = kpis[0] if kpis else ""
    if lang == "zh":
        text = f"「{a.name_zh}」：{a.why('zh')}建议 {start.month}月{start.day}日 开始"
        return text + (f"，重点看：{watch}。" if watch else "。")
    text = f"{a.name_en}: {a.why('en')} Start on {start:%b %d}"
    return text + (f", and watch {watch[:1].lower()}{watch[1:]}." if watch else ".")


def _numbers(report: HealthReport | None) -> HealthNumbers:
    if report is None:
        return HealthNumbers()
    days = max(len(report.messages_per_day), 1)
    return HealthNumbers(
        as_of=report.period_end,
        members=report.members_total,
        silent_members=len(report.silent_members),
        silent_ratio=report.silent_ratio,
        unanswered_questions=report.unanswered_count,
        messages_per_day=round(report.total_messages / days, 2),
        new_members=len(report.new_members),
        last_7_days=report.activity_trend.last_7_days,
        previous_7_days=report.activity_trend.previous_7_days,
        signals=list(report.signals),
    )


def _polish(
    llm: ChatLLM, template: Prompt, result: SuggestResult, profile: CommunityProfile
) -> SuggestResult:
    payload = [
        {
            "activity_id": s.activity_id,
            "name": s.name,
            "rationale": s.rationale,
            "start": s.start.isoformat(),
            "plan": [p.step for p in s.plan],
            "kpis": s.kpis[:3],
        }
        for s in result.suggestions
    ]
    messages = template.render(
        language=language_name(result.language, script="any"),
        community=json.dumps(
            {
                "name": profile.name,
                "type": profile.type,
                "goals": profile.goals,
                "voice": profile.voice,
            },
            ensure_ascii=False,
        ),
        health=json.dumps(result.health.model_dump(mode="json"), ensure_ascii=False, indent=1),
        suggestions=json.dumps(payload, ensure_ascii=False, indent=1),
    )
    reply = llm.complete(messages, json_mode=True)
    polished = parse_reply(reply.text, _Polished)
    pitches = {p.activity_id: p.pitch.strip() for p in polished.suggestions}
    suggestions = [
        s.model_copy(update={"pitch": pitches.get(s.activity_id, s.pitch)})
        for s in result.suggestions
    ]
    return result.model_copy(
        update={"suggestions": suggestions, **llm_provenance(template, reply).model_dump()}
    )


def _localized(result: SuggestResult, language: str) -> SuggestResult:
    if language != "zh-hant":
        return result
    suggestions = [
        s.model_copy(
            update={
                "name": localize(s.name, language),
                "rationale": localize(s.rationale, language),
                "pitch": localize(s.pitch, language),
                "kpis": [localize(k, language) for k in s.kpis],
                "materials": [localize(m, language) for m in s.materials],
                "plan": [p.model_copy(update={"step": localize(p.step, language)}) for p in s.plan],
            }
        )
        for s in result.suggestions
    ]
    return result.model_copy(update={"suggestions": suggestions})
