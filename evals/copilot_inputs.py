"""Turning case inputs into copilot inputs: transcripts, profiles, replayed messages, paths."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from evals.schema import CaseBase, Message, ReplayCase, Suite

BASE_TS = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def chat_messages(messages: list[Message], community: str, channel: str = "default") -> list[Any]:
    """Inline transcript → copilot.models.ChatMessage (missing times: one minute apart)."""
    from copilot.models import ChatMessage, assume_utc

    out = []
    for i, m in enumerate(messages):
        ts = m.ts or BASE_TS + timedelta(minutes=i)
        out.append(
            ChatMessage(
                id=m.id or f"m{i + 1}",
                community=community,
                channel=m.channel or channel,
                author=m.author,
                ts=assume_utc(ts),
                text=m.text,
                reply_to=m.reply_to,
            )
        )
    return out


_LEADING_MENTIONS = re.compile(r"^(?:\s*@[^\s@,，:：]+[\s,，:：]*)+")


def strip_mentions(text: str) -> str:
    """'@bot @alice how do points work?' → 'how do points work?' (as connectors deliver it)."""
    return _LEADING_MENTIONS.sub("", text).strip()


def load_router() -> tuple[Any, str]:
    """copilot.router.should_answer, or a labelled stand-in until the core ships one.

    The stand-in answers only when mentioned (mode 'mention'), and never prompt-injection
    attempts or messages that are not questions; its outputs say router='evals-stand-in'.
    """
    try:
        from copilot.router import should_answer

        return should_answer, "copilot.router"
    except ImportError:
        from copilot.text import is_question, looks_like_injection

        def stand_in(text: str, mentioned: bool, mode: str) -> bool:
            if mode == "mention" and not mentioned:
                return False
            return is_question(text) and not looks_like_injection(text)

        return stand_in, "evals-stand-in"


def set_profile(cp: Any, community: str, profile: dict[str, Any]) -> None:
    """Store the community profile (copilot.profile) that drafts and suggestions read."""
    if hasattr(cp, "set_profile"):
        cp.set_profile(community, **profile)
        return
    from copilot.profile import CommunityProfile, save_profile

    save_profile(cp.db, community, CommunityProfile.model_validate(profile))


def replay_messages(suite: Suite, case: ReplayCase) -> list[tuple[str, str, bool]]:
    """(id, text, mentioned) in conversation order, from inline messages or a chat export."""
    if not case.file:
        return [(str(m.id), m.text, m.mentioned) for m in case.messages]
    from copilot.knowledge.loaders import load_file

    loaded = load_file(suite.resolve(case.file), community=suite.community, kind="chat")
    mention = case.bot_mention.lower()
    return [
        (str(m.id), m.text, mention in m.text.lower())
        for m in loaded.messages
        if not m.is_service
        and m.text.strip()
        and (case.bot_author is None or m.author != case.bot_author)
    ]


def case_community(suite: Suite, case: CaseBase) -> str:
    """An isolated community id for a case's own transcript (valid copilot community id)."""
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", case.id).strip("-_") or "case"
    return f"{suite.community}-{slug}"[:64].rstrip("-_")


def shown_path(path: Path) -> Path:
    """Relative to the working directory when under it, so sources read 'knowledge/...'."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return path
