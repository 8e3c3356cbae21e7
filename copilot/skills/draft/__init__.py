"""The draft skill: posts written from the community's knowledge, cited, checked per channel."""

from pydantic import BaseModel, ConfigDict, Field

from copilot.skills.draft.channels import CHANNELS, ChannelRule, check_draft, get_channel
from copilot.skills.draft.skill import DraftPorts, DraftRequest, make_request, write_draft
from copilot.skills.draft.templates import KINDS, TONES, normalize_kind
from copilot.skills.registry import SkillSpec
from copilot.skills.results import DraftResult


class DraftIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: str = Field(
        max_length=64,
        examples=["announcement"],
        description=(
            "announcement, welcome, activity_promotion, weekly_digest, knowledge_share, "
            "rules_reminder, reminder (of an event)"
        ),
    )
    topic: str = Field(max_length=2000, examples=["周三晚上的读书分享会"])
    channel: str = Field(
        default="wechat_group",
        max_length=64,
        description="Where it will be posted; decides length and format.",
    )
    tone: str | None = Field(default=None, max_length=32)
    language: str | None = Field(default=None, max_length=16, description="zh, zh-hant or en.")
    variants: int = Field(default=1, ge=1, le=10)


SKILL = SkillSpec(
    name="draft",
    summary="A post (announcement, welcome, promotion, digest, ...) drafted from the knowledge, "
    "with citations and the channel's format checks.",
    prompt="draft",
    role="operator",
    path="drafts",
    request=DraftIn,
    response=DraftResult,
)

__all__ = [
    "CHANNELS",
    "KINDS",
    "SKILL",
    "TONES",
    "ChannelRule",
    "DraftIn",
    "DraftPorts",
    "DraftRequest",
    "check_draft",
    "get_channel",
    "make_request",
    "normalize_kind",
    "write_draft",
]
