"""Membership from chat history: who joined, who left, who posted when.

Service messages are recognised by their text (parsers keep the platform's wording):
- join: "X 加入了群聊", "入群", "joined the group", Telegram's "join_group_by_link" — the
  joiner is the message's author;
- invite: '"A"邀请"B"、"C"加入了群聊', "A added B and C", "invite_members: B, C" — the
  joiners are the named people, matched to later posters by display name;
- leave/removal: "退出了群聊", "left the group", "A将B移出了群聊", "A removed B".

Exports without join notices often still show the welcome: a message "欢迎 @X 加入…" /
"welcome @X" counts as X joining then, unless X had already posted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from copilot.analytics.conversation import Roles, member_key
from copilot.models import ChatMessage
from copilot.text import MENTION_RE, fold_chinese, to_simplified

_INVITE = re.compile(
    r"邀请(?P<zh>.+?)(?:加入了?群聊|加入了?本群|进群|入群)"
    r"|(?:added|invited) (?P<en>.+?)(?: to (?:the )?(?:group|chat|channel))?\.?$"
    r"|invite_members:?\s*(?P<tg>.+)$",
    re.IGNORECASE,
)
_REMOVE = re.compile(
    r"将(?P<zh>.+?)移出了?群聊|removed (?P<en>.+?)(?: from .*)?\.?$", re.IGNORECASE
)
_JOIN = re.compile(r"加入了?群聊|加入了?本群|入群|进群|joined|join_group|chat_join", re.IGNORECASE)
_LEAVE = re.compile(r"退出了?群聊|退群|离开了?群|left the|\bleft\b|leave_group", re.IGNORECASE)
_WELCOME = re.compile(
    r"欢迎\s*(?:新(?:朋友|成员|人|同学)\s*)?[@＠]|\bwelcome\s+[@＠]", re.IGNORECASE
)
_NAME_SPLIT = re.compile(r"\s*(?:、|,|，|和|及|\band\b)\s*")


def _names(raw: str) -> list[str]:
    parts = _NAME_SPLIT.split(raw.strip())
    return [p.strip(" \"'“”‘’「」") for p in parts if p.strip(" \"'“”‘’「」")]


def service_event(msg: ChatMessage) -> tuple[str, list[str]] | None:
    """("join"|"leave", [names or keys]) for a membership service message, else None.

    Names from invite/removal texts are display names; a plain join/leave returns the
    author's member key.
    """
    text = to_simplified(msg.text).strip()
    if m := _INVITE.search(text):
        return "join", _names(m.group("zh") or m.group("en") or m.group("tg") or "")
    if m := _REMOVE.search(text):
        return "leave", _names(m.group("zh") or m.group("en") or "")
    for kind, cue in (("join", _JOIN), ("leave", _LEAVE)):
        if m := cue.search(text):
            name = _lead_name(text[: m.start()])
            return kind, [name or member_key(msg)]
    return None


def _lead_name(prefix: str) -> str:
    """The name before a join/leave cue: '"小明"通过扫描…' → 小明; 'Bob has' → Bob."""
    if q := re.match(r"\s*[\"“「](?P<n>[^\"”」]+)[\"”」]", prefix):
        return q.group("n").strip()
    prefix = re.split(r"通过|已经|已|\bhas\b|\bhave\b", prefix)[0]
    return prefix.strip(" \t:：-")


@dataclass
class Roster:
    """Per-member facts up to a point in time."""

    names: dict[str, str] = field(default_factory=dict)  # key -> latest display name
    joined: dict[str, datetime] = field(default_factory=dict)  # latest join event
    left: dict[str, datetime] = field(default_factory=dict)
    first_post: dict[str, datetime] = field(default_factory=dict)
    last_post: dict[str, datetime] = field(default_factory=dict)
    spammers: set[str] = field(default_factory=set)
    admins: set[str] = field(default_factory=set)
    has_join_events: bool = False

    def members(self) -> list[str]:
        """Known, present, ordinary members (not admins, bots, spam-only senders or leavers)."""
        out = []
        for key in set(self.joined) | set(self.first_post):
            if key in self.admins or (key in self.spammers and key not in self.first_post):
                continue
            gone = self.left.get(key)
            if gone is not None:
                seen = [t for t in (self.joined.get(key), self.last_post.get(key)) if t is not None]
                if not seen or gone >= max(seen):
                    continue
            out.append(key)
        return sorted(out, key=lambda k: (self.names.get(k, k), k))


def build_roster(history: Iterable[ChatMessage], roles: Roles, spam: set[str]) -> Roster:
    """Roster from time-ordered, aware messages (bots are ignored)."""
    history = list(history)
    roster = Roster()
    by_name: dict[str, str] = {}
    for msg in history:
        if not msg.is_service and not roles.is_bot(msg):
            key = member_key(msg)
            roster.names[key] = msg.author
            by_name[fold_chinese(msg.author)] = key
            if roles.is_admin(msg):
                roster.admins.add(key)
    for name in roles.admins:
        roster.admins.add(by_name.get(fold_chinese(name), name))
    for msg in history:
        if roles.is_bot(msg):
            continue
        key = member_key(msg)
        if msg.is_service:
            event = service_event(msg)
            if event is None:
                continue
            kind, who = event
            for raw in who:
                own = raw == key or fold_chinese(raw) == fold_chinese(msg.author)
                k = key if own else by_name.get(fold_chinese(raw), raw)
                roster.names.setdefault(k, msg.author if own else raw)
                if kind == "join":
                    roster.has_join_events = True
                    roster.joined[k] = msg.ts
                else:
                    roster.left[k] = msg.ts
        elif msg.id in spam:
            roster.spammers.add(key)
        else:
            if _WELCOME.search(to_simplified(msg.text)):
                for mention in MENTION_RE.findall(msg.text):
                    k = by_name.get(fold_chinese(mention[1:]), mention[1:])
                    if k != key and k not in roster.first_post and k not in roster.joined:
                        roster.names.setdefault(k, mention[1:])
                        roster.has_join_events = True
                        roster.joined[k] = msg.ts
            roster.first_post.setdefault(key, msg.ts)
            roster.last_post[key] = msg.ts
    return roster
