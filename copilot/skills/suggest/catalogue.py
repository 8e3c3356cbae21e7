"""The activity catalogue (`catalogue.yaml` beside this module, package data): loaded once,
validated.

Operators edit the YAML; a mistake there (unknown community type, trigger or season, duplicate
id) is reported with the entry and field instead of silently skewing the ranking.
"""

from __future__ import annotations

import contextlib
import re
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, Field, ValidationError, model_validator

from copilot.profile import CommunityType

CATALOGUE_PATH = Path(str(files(__package__ or __name__) / "catalogue.yaml"))

Goal = Literal["activation", "retention", "growth", "conversion", "knowledge", "bonding"]
Effort = Literal["low", "medium", "high"]
Trigger = Literal[
    "many_silent_members",
    "unanswered_questions",
    "low_activity",
    "many_newcomers",
    "declining_activity",
    "high_activity",
    "holiday",
]
Season = Literal[
    "spring_festival", "mid_autumn", "new_year", "summer", "back_to_school", "double_11"
]

# Operators write goals in their own words; these map them onto the catalogue's six goals.
GOAL_ALIASES: dict[Goal, tuple[str, ...]] = {
    "activation": (
        "activation",
        "activate",
        "engagement",
        "engage",
        "active",
        "participation",
        "促活",
        "活跃",
        "激活",
        "唤醒",
        "参与",
        "互动",
    ),
    "retention": (
        "retention",
        "retain",
        "churn",
        "loyalty",
        "habit",
        "留存",
        "续费",
        "流失",
        "忠诚",
        "习惯",
        "粘性",
        "黏性",
    ),
    "growth": (
        "growth",
        "grow",
        "acquisition",
        "referral",
        "recruit",
        "拉新",
        "增长",
        "裂变",
        "招募",
        "扩大",
        "新成员",
    ),
    "conversion": (
        "conversion",
        "sales",
        "revenue",
        "purchase",
        "monetization",
        "转化",
        "成交",
        "销售",
        "复购",
        "付费",
        "变现",
    ),
    "knowledge": (
        "knowledge",
        "learning",
        "learn",
        "education",
        "content",
        "skill",
        "学习",
        "知识",
        "成长",
        "输出",
        "分享",
        "答疑",
        "干货",
    ),
    "bonding": (
        "bonding",
        "connection",
        "belonging",
        "friendship",
        "networking",
        "relationship",
        "连接",
        "归属",
        "关系",
        "交友",
        "人脉",
        "凝聚",
        "感情",
    ),
}


class Kpi(BaseModel):
    metric: str
    target: str
    metric_en: str = ""
    target_en: str = ""

    def text(self, language: str) -> str:
        if language == "en":
            return f"{self.metric_en or self.metric}: {self.target_en or self.target}"
        return f"{self.metric}：{self.target}"


class Activity(BaseModel):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name_zh: str
    name_en: str
    also_called: list[str] = Field(default_factory=list)  # names that show it already runs
    # what it cannot run without (a points scheme): the knowledge must name it, and not deny it
    needs: list[str] = Field(default_factory=list)
    goal: Goal
    fits: list[CommunityType] = Field(min_length=1)
    effort: Effort
    duration: str = ""
    steps: list[str] = Field(min_length=1)
    steps_en: list[str] = Field(default_factory=list)
    materials: list[str] = Field(default_factory=list)
    materials_en: list[str] = Field(default_factory=list)
    kpis: list[Kpi] = Field(default_factory=list)
    triggers: list[Trigger] = Field(default_factory=list)
    seasons: list[Season] = Field(default_factory=list)
    why_zh: str = ""
    why_en: str = ""

    @property
    def holiday_bound(self) -> bool:
        """A festival activity (e.g. Mid-Autumn reading night) only makes sense in its season."""
        return "holiday" in self.triggers and bool(self.seasons)

    @property
    def duration_days(self) -> int:
        """Calendar days the activity runs: '21 days' → 21, '2 weeks' → 14, '90 minutes' → 0."""
        text = self.duration.lower()
        match = re.search(r"(\d+)(?:\s*-\s*(\d+))?\s*(day|week)", text)
        if match:
            n = int(match.group(2) or match.group(1))
            return n * (7 if match.group(3) == "week" else 1)
        return 7 if "ongoing" in text or "a week" in text else 0

    def name(self, language: str) -> str:
        return self.name_en if language == "en" else self.name_zh

    @property
    def names(self) -> list[str]:
        """Every name the format goes by, for finding whether a community already runs it."""
        return [self.name_zh, self.name_en, *self.also_called]

    def why(self, language: str) -> str:
        return (self.why_en if language == "en" else self.why_zh) or self.why_zh or self.why_en

    def steps_in(self, language: str) -> list[str]:
        return self.steps_en if language == "en" and self.steps_en else self.steps

    def materials_in(self, language: str) -> list[str]:
        return self.materials_en if language == "en" and self.materials_en else self.materials


class Catalogue(BaseModel):
    activities: list[Activity] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> Catalogue:
        seen: set[str] = set()
        for activity in self.activities:
            if activity.id in seen:
                raise ValueError(f"duplicate activity id {activity.id!r}")
            seen.add(activity.id)
        return self


class CatalogueError(ValueError):
    """The catalogue file is missing or invalid; the message names the entry and field."""


def load_catalogue(path: Path | None = None) -> list[Activity]:
    path = path or CATALOGUE_PATH
    try:
        stamp = path.stat().st_mtime_ns
    except FileNotFoundError:
        raise CatalogueError(f"activity catalogue not found: {path}") from None
    return _load(path, stamp)


@lru_cache(maxsize=8)
def _load(path: Path, stamp: int) -> list[Activity]:  # stamp: reload when the file changes
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return Catalogue.model_validate(data).activities
    except yaml.YAMLError as exc:
        raise CatalogueError(f"{path}: not valid YAML: {exc}") from None
    except ValidationError as exc:
        raise CatalogueError(f"{path}: {_describe(exc, data)}") from None


def normalize_goals(goals: list[str]) -> tuple[set[Goal], list[str]]:
    """Profile goals → catalogue goals, plus the goals nothing matched (reported to the user)."""
    matched: set[Goal] = set()
    unmatched: list[str] = []
    for goal in goals:
        folded = goal.strip().lower()
        hits = {g for g, aliases in GOAL_ALIASES.items() if any(a in folded for a in aliases)}
        matched |= hits
        if not hits:
            unmatched.append(goal)
    return matched, unmatched


def _describe(exc: ValidationError, data: object) -> str:
    parts = []
    for error in exc.errors()[:5]:
        loc = list(error["loc"])
        where = ".".join(str(p) for p in loc)
        if len(loc) >= 2 and loc[0] == "activities" and isinstance(data, dict):
            with contextlib.suppress(KeyError, IndexError, TypeError, AttributeError):
                where = f"activity {data['activities'][loc[1]].get('id', loc[1])!r}, " + ".".join(
                    str(p) for p in loc[2:]
                )
        parts.append(f"{where}: {error['msg']}")
    return "; ".join(parts)
