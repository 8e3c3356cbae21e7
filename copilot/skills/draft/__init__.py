"""The draft skill: posts written from the community's knowledge, cited, checked per channel."""

from copilot.skills.draft.channels import CHANNELS, ChannelRule, check_draft, get_channel
from copilot.skills.draft.skill import DraftPorts, DraftRequest, make_request, write_draft
from copilot.skills.draft.templates import KINDS, TONES, normalize_kind

__all__ = [
    "CHANNELS",
    "KINDS",
    "TONES",
    "ChannelRule",
    "DraftPorts",
    "DraftRequest",
    "check_draft",
    "get_channel",
    "make_request",
    "normalize_kind",
    "write_draft",
]
