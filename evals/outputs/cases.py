"""What an evaluation community's operator outputs must carry: `outputs.yaml`, as pydantic models.

The format is described in `evals/communities/README.md` (section outputs.yaml). Every
expected fact is a string or a list of alternatives (any one of them will do); matching folds
traditional→simplified, full-width→half-width and case (`evals.metrics.text.contains`).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

Fact = str | list[str]  # one string, or any one of several


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DraftCase(_Strict):
    id: str
    kind: str = Field(description="announcement | welcome | promotion | digest | reminder")
    topic: str
    channel: str = "wechat_group"
    language: str | None = None
    sources: list[str] = Field(default_factory=list)
    must_contain: list[Fact] = Field(default_factory=list)
    must_not_contain: list[str] = Field(default_factory=list)


class OwnerDate(_Strict):
    owner: str
    due: list[str] = Field(description="Any one of these ways of writing the due date.")

    @field_validator("due", mode="before")
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        return [value] if isinstance(value, str) else value


class SummaryCase(_Strict):
    id: str
    since: datetime | None = None
    until: datetime | None = None
    channel: str | None = None
    language: str | None = None
    decisions: list[Fact] = Field(default_factory=list)
    decision_details: list[Fact] = Field(default_factory=list)
    owners: list[str] = Field(default_factory=list)
    owner_dates: list[OwnerDate] = Field(default_factory=list)
    questions: list[Fact] = Field(default_factory=list, description="Open: must be listed.")
    answered: list[Fact] = Field(default_factory=list, description="Must NOT be listed as open.")
    must_not_contain: list[str] = Field(default_factory=list)


class StatsCase(_Strict):
    """Hand counts; each must be matched within `tolerance` (±1 by default)."""

    id: str
    since: datetime | None = None
    until: datetime | None = None
    messages: int | None = None
    members: int | None = None
    spam: int | None = None
    questions: int | None = None
    unanswered: int | None = None
    tolerance: int = 1


class SuggestionsSpec(_Strict):
    id: str = "suggestions"
    today: str | None = Field(default=None, description="YYYY-MM-DD; default: after the chat.")
    runs_already: list[str] = Field(default_factory=list)
    rules: list[str] = Field(default_factory=list)
    must_not_contain: list[str] = Field(default_factory=list)


class Outputs(_Strict):
    drafts: list[DraftCase] = Field(default_factory=list)
    summaries: list[SummaryCase] = Field(default_factory=list)
    stats: list[StatsCase] = Field(default_factory=list)
    suggestions: SuggestionsSpec | None = None


class OutputsError(ValueError):
    """outputs.yaml cannot be read; the message names the file and the field."""


def load_outputs(path: Path) -> Outputs:
    """Parse one `outputs.yaml`; a bad file raises OutputsError naming the file and field."""
    try:
        raw = yaml.safe_load(path.read_text("utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise OutputsError(f"{path}: {exc}") from None
    try:
        return Outputs.model_validate(raw)
    except ValidationError as exc:
        where = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()[:5]
        )
        raise OutputsError(f"{path}: {where}") from None


__all__ = [
    "DraftCase",
    "Fact",
    "Outputs",
    "OutputsError",
    "OwnerDate",
    "StatsCase",
    "SuggestionsSpec",
    "SummaryCase",
    "load_outputs",
]
