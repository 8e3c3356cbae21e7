"""How each copilot skill reads an OpenAI chat request and renders its result as chat text."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from pydantic import TypeAdapter, ValidationError

from copilot.errors import InputError
from copilot.keys import Role
from copilot.models import assume_utc
from copilot.service import Copilot
from copilot.skills.registry import skills
from copilot.skills.results import AnswerResult, Citation

if TYPE_CHECKING:
    from copilot.api.routes.chat import ChatCompletionIn

SOURCES_LABEL = {"zh": "来源：", "en": "Sources:"}


@dataclass(frozen=True)
class SkillOutput:
    """A skill's result, its chat text, its citations and the extra `copilot` field."""

    result: Any
    text: str
    citations: list[Citation] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ChatSkill:
    name: str
    role: Role
    run: Callable[[Copilot, str, ChatCompletionIn], SkillOutput]

    @property
    def model(self) -> str:
        return f"copilot-{self.name}"


def with_sources(text: str, citations: list[Citation], language: str) -> str:
    if not citations:
        return text
    label = SOURCES_LABEL.get(language, SOURCES_LABEL["en"])
    lines = [f"[{i}] {c.source}" for i, c in enumerate(citations, 1)]
    return text + "\n\n" + label + "\n" + "\n".join(lines)


def _ask(copilot: Copilot, community: str, request: ChatCompletionIn) -> SkillOutput:
    from copilot.skills.questions import Origin

    result: AnswerResult = copilot.ask(
        community, request.user_text, origin=Origin(channel="openai")
    )
    return SkillOutput(
        result=result,
        text=with_sources(result.answer, result.citations, result.language),
        citations=result.citations,
        meta={
            "skill": "ask",
            "mode": result.mode,
            "confidence": result.confidence,
            "handoff": result.handoff,
            "language": result.language,
            "prompt": result.prompt,
            "model": result.model,
            "answer_id": result.answer_id,
        },
    )


_MOMENT: TypeAdapter[datetime] = TypeAdapter(datetime)


def parse_time(name: str, value: str | None) -> datetime | None:
    """An ISO date or date-time from the request; UTC when it has no zone."""
    if not value:
        return None
    try:
        moment = _MOMENT.validate_python(value)
    except ValidationError:
        raise InputError(
            f"{name}: {value!r} is not a date or date-time "
            "(use ISO 8601, e.g. 2024-06-01T09:00:00+08:00)"
        ) from None
    return assume_utc(moment)


def _summarize(copilot: Copilot, community: str, request: ChatCompletionIn) -> SkillOutput:
    result = copilot.summarize(
        community,
        since=parse_time("since", request.since),
        until=parse_time("until", request.until),
        channel=request.channel,
    )
    return SkillOutput(
        result=result,
        text=result.notice or result.markdown,
        meta={
            "skill": "summarize",
            "mode": result.mode,
            "messages": result.messages,
            "language": result.language,
            "prompt": result.prompt,
            "model": result.model,
        },
    )


def _draft(copilot: Copilot, community: str, request: ChatCompletionIn) -> SkillOutput:
    result = copilot.draft(
        community,
        kind=request.kind or "announcement",
        topic=request.user_text,
        channel=request.channel or "wechat_group",
    )
    return SkillOutput(
        result=result,
        text=with_sources(result.text, result.citations, result.language),
        citations=result.citations,
        meta={
            "skill": "draft",
            "mode": result.mode,
            "kind": result.kind,
            "channel": result.channel,
            "language": result.language,
            "warnings": result.warnings,
            "prompt": result.prompt,
            "model": result.model,
        },
    )


def _suggest(copilot: Copilot, community: str, request: ChatCompletionIn) -> SkillOutput:
    result = copilot.suggest(community)
    lines = [f"{i}. {s.name}: {s.pitch}" for i, s in enumerate(result.suggestions, 1)]
    return SkillOutput(
        result=result,
        text="\n".join([*result.notes, *lines]),
        meta={
            "skill": "suggest",
            "mode": result.mode,
            "language": result.language,
            "activities": [s.activity_id for s in result.suggestions],
            "prompt": result.prompt,
            "model": result.model,
        },
    )


# How each registered skill reads a chat request and renders its result as chat text.
CHAT_RUNNERS: dict[str, Callable[[Copilot, str, ChatCompletionIn], SkillOutput]] = {
    "ask": _ask,
    "draft": _draft,
    "summarize": _summarize,
    "suggest": _suggest,
}
CHAT_SKILLS: dict[str, ChatSkill] = {
    spec.model: ChatSkill(spec.name, Role(spec.role), CHAT_RUNNERS[spec.name])
    for spec in skills().values()
}
