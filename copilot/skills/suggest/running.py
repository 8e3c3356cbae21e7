"""Which catalogue formats a community already runs: named in its playbooks or, again and
again, by its organisers in the chat. Those are never suggested as new (nor as "extend X")."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from pathlib import PurePath

from copilot.analytics.conversation import Roles
from copilot.models import ChatMessage
from copilot.retrieval.retriever import Retriever
from copilot.skills.suggest.catalogue import Activity
from copilot.text import fold_chinese

# A section that runs a format says when: a weekday, a clock time, "每周", "every month"... An
# article describing formats in general ("AMA 问答夜：邀请嘉宾…") does not.
SCHEDULE = re.compile(
    r"[周星期礼拜][一二三四五六日天]|\d{1,2}\s*[:：]\s*\d{2}|\d{1,2}\s*[点号日]|每(?:天|日|周|月|晚|年|期|季度)"
    r"|\b(?:every|each)\s+(?:day|week|month|morning|evening|night|monday|tuesday|wednesday"
    r"|thursday|friday|saturday|sunday)|\b(?:daily|weekly|monthly)\b|\b\d{1,2}:\d{2}\b",
    re.IGNORECASE,
)
CHAT_MENTIONS = 2  # organisers' messages naming the format before it counts as running


def running_formats(
    activities: Sequence[Activity],
    community: str,
    retriever: Retriever | None,
    messages: Sequence[ChatMessage],
    admins: Collection[str],
) -> dict[str, str]:
    """activity id → where the community shows it runs it (a playbook section, or the chat)."""
    if retriever is not None:
        retriever.prefetch([n for a in activities for n in a.names])
    roles = Roles.of(admins, ())
    organisers = [fold_chinese(m.text) for m in messages if roles.is_admin(m)]
    found: dict[str, str] = {}
    for activity in activities:
        evidence = _in_playbooks(activity, community, retriever) if retriever else ""
        if not evidence:
            said = sum(1 for text in organisers if any(_names(n, text) for n in activity.names))
            evidence = f"chat ({said})" if said >= CHAT_MENTIONS else ""
        if evidence:
            found[activity.id] = evidence
    return found


def _in_playbooks(activity: Activity, community: str, retriever: Retriever) -> str:
    """A playbook section with a schedule, titled with one of the format's names or naming it.

    A two-character Chinese name ('精华', '中秋', '团购') only counts in a section title: in
    running text it is too often part of something else (精华帖, 中秋礼盒, 团购价).
    """
    for query in activity.names:
        for chunk in retriever.search(community, query, top_k=3, kind="playbook").chunks:
            heading = fold_chinese(chunk.heading.split(">")[-1].strip())
            body = fold_chinese(chunk.text)
            if SCHEDULE.search(chunk.text) and any(
                _names(n, heading) or (_distinctive(n) and _names(n, body)) for n in activity.names
            ):
                title = chunk.heading.split(">")[-1].strip()
                name = PurePath(chunk.source).name
                return f"{name} › {title}" if title else name
    return ""


def _distinctive(name: str) -> bool:
    return name.isascii() or len(name.strip()) >= 3


def _names(name: str, folded_text: str) -> bool:
    """Does the text name the format? ASCII names as whole words ('AMA' is not 'camara')."""
    folded = fold_chinese(name).strip()
    if not folded:
        return False
    if folded.isascii():
        return re.search(rf"(?<![a-z0-9]){re.escape(folded)}(?![a-z0-9])", folded_text) is not None
    return folded in folded_text
