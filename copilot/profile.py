"""The community profile: who the community is and how its posts must sound.

Drafts are checked against it (banned words, required hashtags, call to action) and activity
suggestions are ranked against its type and goals. One profile per community, in SQL.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, Field, field_validator

from copilot.errors import InputError, check_community
from copilot.store.db import Database
from copilot.store.profile_table import ProfileRow

CommunityType = Literal["consumer", "learning", "interest", "industry", "brand"]
ProfileLanguage = Literal["zh", "zh-hant", "en"]
COMMUNITY_TYPES: tuple[str, ...] = ("consumer", "learning", "interest", "industry", "brand")
LIST_FIELDS = ("goals", "banned_words", "required_hashtags", "admins")


class CommunityProfile(BaseModel):
    name: str = Field(default="", max_length=100, description="Shown in greetings and titles.")
    type: CommunityType = Field(
        default="interest", description="消费型/学习型/兴趣型/行业型/品牌型 (consumer…brand)."
    )
    goals: list[str] = Field(
        default_factory=list, description="e.g. activation, retention, growth, 促活, 留存."
    )
    voice: str = Field(default="", max_length=300, description="e.g. 'warm, concise, no slang'.")
    language: ProfileLanguage = "zh"
    banned_words: list[str] = Field(default_factory=list)
    required_hashtags: list[str] = Field(
        default_factory=list, description="Without '#', e.g. 晨读打卡."
    )
    call_to_action: str = Field(default="", max_length=200)
    admins: list[str] = Field(default_factory=list, description="Admin names or ids.")
    timezone: str = "Asia/Shanghai"

    @field_validator("goals", "banned_words", "required_hashtags", "admins")
    @classmethod
    def _clean_list(cls, values: list[str]) -> list[str]:
        # Hashtags are stored bare, so '#晨读打卡#' and '晨读打卡' mean the same tag.
        out: list[str] = []
        for value in values:
            value = value.strip().strip("#").strip()
            if value and value not in out:
                out.append(value)
        return out

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r} (use e.g. Asia/Shanghai)") from None
        return value


def default_profile(community: str) -> CommunityProfile:
    return CommunityProfile(name=community)


def load_profile(db: Database, community: str) -> CommunityProfile:
    """The stored profile, or a default one named after the community."""
    check_community(community)
    with db.session() as session:
        row = session.get(ProfileRow, community)
        data = dict(row.data) if row else None
    return CommunityProfile.model_validate(data) if data else default_profile(community)


def save_profile(db: Database, community: str, profile: CommunityProfile) -> CommunityProfile:
    check_community(community)
    with db.session() as session:
        row = session.get(ProfileRow, community)
        if row is None:
            row = ProfileRow(community=community)
            session.add(row)
        row.data = profile.model_dump()
        row.updated_at = datetime.now(UTC)
    return profile


def update_profile(db: Database, community: str, **changes: Any) -> CommunityProfile:
    """Apply field changes (None = leave as is); bad values raise InputError with the reason."""
    unknown = set(changes) - set(CommunityProfile.model_fields)
    if unknown:
        raise InputError(f"unknown profile field(s): {', '.join(sorted(unknown))}")
    current = load_profile(db, community).model_dump()
    current.update({k: v for k, v in changes.items() if v is not None})
    try:
        profile = CommunityProfile.model_validate(current)
    except ValueError as exc:
        raise InputError(_readable(exc)) from None
    return save_profile(db, community, profile)


def split_list(value: str) -> list[str]:
    """CLI lists: 'a, b，c' → ['a', 'b', 'c']; '' clears the list."""
    return [part.strip() for part in value.replace("，", ",").split(",") if part.strip()]


def _readable(exc: ValueError) -> str:
    errors = getattr(exc, "errors", None)
    if not callable(errors):
        return str(exc)
    parts = []
    for error in errors():
        field = ".".join(str(p) for p in error.get("loc", ()))
        parts.append(f"{field}: {error.get('msg', 'invalid value')}")
    return "invalid profile: " + "; ".join(parts)
