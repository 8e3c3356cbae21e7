"""Case models, one per skill. Inputs (INPUTS, part of the cache key) are what the target sees;
every other field is an expectation that scoring checks."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, ClassVar, Literal

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)


def _as_text(v: Any) -> Any:
    """YAML reads `35` or `22:30`-less numbers as int/float; expectations are text."""
    if isinstance(v, int | float) and not isinstance(v, bool):
        return str(v)
    if isinstance(v, list):
        return [_as_text(x) for x in v]
    return v


Text = Annotated[str, BeforeValidator(_as_text)]
# A string, or a list of alternatives of which any one must appear.
Expect = Annotated[str | list[str], BeforeValidator(_as_text)]

CHECK_TYPES = frozenset(
    {
        "contains",
        "not-contains",
        "regex",
        "not-regex",
        "max-length",
        "min-length",
        "language",
        "json-schema",
        "cites-source",
        "citation-validity",
        "handoff",
        "latency",
        "tokens",
        "cost",
        "no-pii",
        "overlap",
        "similarity",
        "judge",
        "draft-checks",
    }
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Check(_Strict):
    """One assertion. `field` is a dotted path into the output (default: the skill's text)."""

    type: str
    value: Any = None
    field: str | None = None
    threshold: float | None = None
    name: str | None = None  # label in reports; default derived from type and value

    @field_validator("type")
    @classmethod
    def _known(cls, v: str) -> str:
        if v not in CHECK_TYPES:
            raise ValueError(f"unknown check type '{v}' (known: {', '.join(sorted(CHECK_TYPES))})")
        return v

    @property
    def label(self) -> str:
        if self.name:
            return self.name
        if self.value is None or isinstance(self.value, dict | bool):
            return self.type
        shown = "|".join(self.value) if isinstance(self.value, list) else str(self.value)
        return f"{self.type}:{shown[:40]}"


class Message(_Strict):
    """One chat message of an inline transcript (summarize, suggest history, replay)."""

    id: str | None = None
    author: str
    text: str
    ts: datetime | None = None
    reply_to: str | None = None
    channel: str | None = None
    mentioned: bool = False  # replay: the bot was @-mentioned
    expect: Literal["answer", "silent"] | None = None  # replay label
    must_contain: list[Expect] = Field(default_factory=list)  # replay: checks on the bot's reply


class CaseBase(_Strict):
    INPUTS: ClassVar[tuple[str, ...]] = ()

    id: str
    description: str = ""
    tags: list[str] = Field(default_factory=list)
    language: str | None = None  # expected output language: zh | en
    must_contain: list[Expect] = Field(default_factory=list)
    must_not_contain: list[Text] = Field(default_factory=list)
    max_length: int | None = None
    min_length: int | None = None
    reference: str | None = None  # reference text for overlap / similarity metrics
    rubric: str | None = None  # LLM-judge rubric (only scored when an LLM is configured)
    checks: list[Check] = Field(default_factory=list, alias="assert")

    def inputs(self) -> dict[str, Any]:
        """The fields the target sees (the cache key is built from these)."""
        return self.model_dump(mode="json", include=set(self.INPUTS))

    @property
    def display_input(self) -> str:
        return self.description or self.id


class AskCase(CaseBase):
    INPUTS = ("question", "top_k")
    question: str
    top_k: int | None = None
    sources: list[str] = Field(default_factory=list)  # labelled relevant sources (paths)
    handoff: bool | None = None

    @property
    def display_input(self) -> str:
        return self.question


class DraftCase(CaseBase):
    INPUTS = ("kind", "topic", "channel", "tone", "language")  # language is also asked for
    kind: str
    topic: str
    channel: str = "wechat_group"
    tone: str | None = None
    banned_words: list[Text] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)  # grounding: cite at least one of these
    draft_checks: bool = True  # the draft's own rule checks must all pass

    @property
    def display_input(self) -> str:
        return f"{self.kind} · {self.channel} · {self.topic}"


class SummarizeCase(CaseBase):
    INPUTS = ("transcript", "file", "channel", "since", "until")
    transcript: list[Message] | None = None
    file: str | None = None
    channel: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    decisions: list[Expect] = Field(default_factory=list)
    owners: list[Text] = Field(default_factory=list)
    questions: list[Expect] = Field(default_factory=list)
    no_pii: bool = True

    @model_validator(mode="after")
    def _one_source(self) -> SummarizeCase:
        if self.transcript is not None and self.file is not None:
            raise ValueError("give either 'transcript' or 'file', not both")
        return self

    @property
    def display_input(self) -> str:
        if self.transcript:
            return "\n".join(f"{m.author}: {m.text}" for m in self.transcript)
        return f"file: {self.file}" if self.file else self.description or self.id


class SuggestCase(CaseBase):
    INPUTS = ("profile", "history", "history_file", "today")
    profile: dict[str, Any] = Field(default_factory=dict)
    history: list[Message] | None = None
    history_file: str | None = None
    today: date | None = None
    expect_activities: list[Expect] = Field(default_factory=list)  # ids or names, in the top_n
    exclude_activities: list[Text] = Field(default_factory=list)  # must not be in the top_n
    top_n: int = 3

    @property
    def display_input(self) -> str:
        return yaml.safe_dump(self.profile, allow_unicode=True, sort_keys=False).strip()


class ReplayCase(CaseBase):
    """A group conversation replayed message by message: should the bot answer or stay silent?

    Either inline `messages` (labelled with `expect`) or a real chat export `file` (Telegram,
    Slack, Discord, WeChat, generic JSONL) with `labels` keyed by message id. In a file, a
    message mentions the bot when its text contains `bot_mention`; the bot's own messages
    (`bot_author`) are skipped.
    """

    INPUTS = ("messages", "file", "mode", "bot_mention", "bot_author")
    mode: str = "mention"  # router mode passed to copilot.router.should_answer
    messages: list[Message] = Field(default_factory=list)
    file: str | None = None
    bot_mention: str = "@copilot_bot"
    bot_author: str | None = None
    labels: dict[str, Literal["answer", "silent"]] = Field(default_factory=dict)
    replies: dict[str, list[Expect]] = Field(default_factory=dict)  # id -> must_contain

    @model_validator(mode="after")
    def _labelled(self) -> ReplayCase:
        if bool(self.messages) == bool(self.file):
            raise ValueError("give either inline 'messages' or a chat export 'file'")
        for i, m in enumerate(self.messages):
            if m.id is None:
                m.id = f"m{i + 1}"
        if not self.expectations():
            raise ValueError("label at least one message (expect: answer|silent, or labels:)")
        return self

    def expectations(self) -> list[tuple[str, str, list[Expect]]]:
        """(message id, 'answer'|'silent', reply must-contain) for every labelled message."""
        out: list[tuple[str, str, list[Expect]]] = [
            (str(m.id), m.expect, m.must_contain) for m in self.messages if m.expect
        ]
        out += [(str(k), v, self.replies.get(str(k), [])) for k, v in self.labels.items()]
        return out

    @property
    def display_input(self) -> str:
        if self.file:
            labels = ", ".join(f"{k}→{v}" for k, v in self.labels.items())
            return f"file: {self.file}\nlabels: {labels}"
        return "\n".join(
            f"[{m.id}] {m.author}{' (@bot)' if m.mentioned else ''}: {m.text}  → {m.expect or '-'}"
            for m in self.messages
        )


CASE_MODELS: dict[str, type[CaseBase]] = {
    "ask": AskCase,
    "draft": DraftCase,
    "summarize": SummarizeCase,
    "suggest": SuggestCase,
    "replay": ReplayCase,
}
Case = AskCase | DraftCase | SummarizeCase | SuggestCase | ReplayCase
