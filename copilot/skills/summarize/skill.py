"""Summarize a window of group chat: deterministic facts, plus LLM map-reduce when configured.

The offline summarizer always runs: it supplies the numbers, unanswered questions, FAQ
candidates and contributions. With an LLM, each token-budgeted batch of quoted messages is
summarized (map) and the batches are merged deterministically (reduce); spam and
prompt-injection messages never reach the model, and personal data is redacted again on the
way out in case a model repeats it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Literal, TypeVar

from pydantic import BaseModel, Field

from copilot.analytics.spam import is_spam
from copilot.knowledge.redact import redact
from copilot.llm import ChatLLM
from copilot.models import ChatMessage
from copilot.prompts import Prompt
from copilot.skills.fallback import llm_else_offline
from copilot.skills.language import language_name, localize
from copilot.skills.llm_json import parse_reply
from copilot.skills.results import (
    ActionItem,
    Decision,
    Mood,
    Provenance,
    QuestionRef,
    Summary,
    SummaryResult,
    Topic,
)
from copilot.skills.summarize.offline import summarize_offline
from copilot.text import detect_language, looks_like_injection
from copilot.tokens import count_tokens

BATCH_TOKENS = 3000
T = TypeVar("T")
MAX_ITEMS = 8
EMPTY = {
    "zh": "这段时间里群里没有消息，没有可总结的内容。",
    "en": "There are no messages in this window, so there is nothing to summarize.",
}
ALL_FILTERED = {
    "zh": "这段时间里的 {n} 条消息都像广告或指令注入，不作总结内容，也没有发给模型。",
    "en": (
        "All {n} messages in this window look like spam or injected instructions: they are "
        "not summarized, and none were sent to the model."
    ),
}


@dataclass(frozen=True)
class SummarizePorts:
    llm: ChatLLM | None


class _Partial(BaseModel):
    """What the map prompt returns for one batch (lenient: models omit optional fields)."""

    topics: list[dict[str, object]] = Field(default_factory=list)
    decisions: list[dict[str, object]] = Field(default_factory=list)
    action_items: list[dict[str, object]] = Field(default_factory=list)
    open_questions: list[dict[str, object]] = Field(default_factory=list)
    mood: dict[str, object] = Field(default_factory=dict)


def summarize_messages(
    ports: SummarizePorts,
    messages: list[ChatMessage],
    *,
    language: str | None = None,
    prompt: str | None = None,
    admins: Collection[str] = (),
    tz: str = "Asia/Shanghai",
) -> SummaryResult:
    asked = language or _majority_language(messages)
    lang: Literal["zh", "en"] = "zh" if asked.startswith("zh") else "en"
    script = "zh-hant" if asked == "zh-hant" else lang  # labels and quotes in one script
    if not [m for m in messages if not m.is_service]:
        return SummaryResult(
            summary=Summary(),
            markdown=localize(EMPTY[lang], script),
            language=script,
            messages=0,
            notice=localize(EMPTY[lang], script),
        )
    offline_summary = summarize_offline(
        messages, max_items=MAX_ITEMS, admins=admins, tz=tz, language=lang
    )
    batches = 0  # batches the model summarized (kept when a later one fails)
    clean = [
        m
        for m in messages
        if not m.is_service and not is_spam(m.text) and not looks_like_injection(m.text)
    ]
    notice = "" if clean else localize(ALL_FILTERED[lang].format(n=len(messages)), script)

    def online(llm: ChatLLM, template: Prompt) -> tuple[Summary, Provenance]:
        nonlocal batches
        partials = []
        usage = {"prompt_tokens": 0, "completion_tokens": 0}
        for batch in _batches(clean):
            reply = llm.complete(
                template.render(messages=batch, language=language_name(lang, script="any")),
                json_mode=True,
            )
            partials.append(parse_reply(reply.text, _Partial))
            for key in usage:
                usage[key] += reply.usage.get(key, 0)
            batches += 1
        provenance = Provenance(mode="llm", prompt=template.ref, model=reply.model, usage=usage)
        return _reduce(offline_summary, partials), provenance

    summary, provenance = llm_else_offline(
        ports.llm if clean else None,  # nothing the model may read
        prompt or "summarize",
        online,
        lambda p: (offline_summary, p),
    )
    return SummaryResult(
        summary=summary,
        # members' names as they write them: "Cherry 岩舍前台" is never respelled 巖
        markdown=redact(localize(summary.to_markdown(lang), script, {m.author for m in messages})),
        language=script,
        messages=len(messages),
        batches=batches,
        notice=notice,
        **provenance.model_dump(),
    )


def _batches(messages: list[ChatMessage]) -> list[str]:
    """Quoted message lines grouped so each batch stays within the token budget."""
    out: list[str] = []
    lines: list[str] = []
    size = 0
    for m in messages:
        line = f"[{m.id}] {m.ts:%m-%d %H:%M} {m.author}: {' '.join(m.text.split())[:500]}"
        n = count_tokens(line)
        if lines and size + n > BATCH_TOKENS:
            out.append("\n".join(lines))
            lines, size = [], 0
        lines.append(line)
        size += n
    if lines:
        out.append("\n".join(lines))
    return out


def _reduce(base: Summary, partials: list[_Partial]) -> Summary:
    """Merge batch summaries: de-duplicated lists capped at MAX_ITEMS, mood by majority."""

    def text(d: dict[str, object], key: str) -> str:
        return redact(str(d.get(key) or "").strip())

    def opt(d: dict[str, object], key: str) -> str | None:
        return text(d, key) or None

    def merge(field: str, key: str, build: Callable[[dict[str, object]], T]) -> list[T]:
        """One list of all batches' items, skipping empty ones; `key` is also the dedupe key."""
        items = [build(d) for p in partials for d in getattr(p, field) if text(d, key)]
        return _unique(items, key)

    topics = merge(
        "topics",
        "title",
        lambda t: Topic(
            title=text(t, "title"), message_ids=[], keywords=_strings(t.get("keywords"))[:8]
        ),
    )
    decisions = merge(
        "decisions",
        "text",
        lambda d: Decision(
            text=text(d, "text"),
            date=opt(d, "date"),
            place=opt(d, "place"),
            owner=opt(d, "owner"),
            message_id=text(d, "message_id"),
        ),
    )
    actions = merge(
        "action_items",
        "task",
        lambda a: ActionItem(
            task=text(a, "task"),
            owner=opt(a, "owner"),
            due=opt(a, "due"),
            message_id=text(a, "message_id"),
        ),
    )
    questions = merge(
        "open_questions",
        "text",
        lambda q: QuestionRef(
            text=text(q, "text"), author=text(q, "author"), message_id=text(q, "message_id")
        ),
    )
    labels = [str(p.mood.get("label")) for p in partials if p.mood.get("label")]
    mood = base.mood
    if labels:
        label = max(set(labels), key=labels.count)
        reason = next(
            (text(p.mood, "reason") for p in partials if str(p.mood.get("label")) == label), ""
        )
        if label in ("positive", "neutral", "negative", "mixed"):
            mood = Mood(label=label, reason=reason)  # type: ignore[arg-type]
    return base.model_copy(
        update={
            "topics": topics or base.topics,
            "decisions": decisions or base.decisions,
            "action_items": actions or base.action_items,
            "open_questions": questions or base.open_questions,
            "mood": mood,
        }
    )


def _strings(value: object) -> list[str]:
    """A model's list of strings, tolerating null or a single string."""
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value] if isinstance(value, list) else []


def _unique(items: list[T], key: str) -> list[T]:
    seen: set[str] = set()
    out: list[T] = []
    for item in items:
        value = getattr(item, key)
        if value not in seen:
            seen.add(value)
            out.append(item)
    return out[:MAX_ITEMS]


def _majority_language(messages: list[ChatMessage]) -> str:
    sample = " ".join(m.text for m in messages[:200] if not m.is_service)
    return "zh" if detect_language(sample) == "zh" else "en"
