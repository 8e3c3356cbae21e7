"""The FAQ skill: question → accepted answer pairs mined from chat, reviewed by operators."""

from copilot.skills.faq.mining import FaqCandidate, mine_faq
from copilot.skills.faq.queue import (
    APPROVED_SOURCE,
    FaqEntry,
    approve_answer,
    decide,
    index_approved,
    list_entries,
    refresh_candidates,
)

__all__ = [
    "APPROVED_SOURCE",
    "FaqCandidate",
    "FaqEntry",
    "approve_answer",
    "decide",
    "index_approved",
    "list_entries",
    "mine_faq",
    "refresh_candidates",
]
