"""Decide what to do with one inbound message, given its chat's route.

Pure functions (no I/O), so the rules are easy to read and to test:
``ignore`` / ``answer`` / ``review`` / ``summary`` / ``draft`` / ``refuse`` (an operator command
from someone who is not an operator) / ``hint`` (mentioned with nothing to ask).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from copilot.router import should_answer

from .base import InboundMessage
from .tables import Route

Action = Literal["ignore", "answer", "review", "summary", "draft", "refuse", "hint"]

ASK = {"ask", "q", "问", "提问"}
SUMMARY = {"summary", "summarize", "summarise", "digest", "总结", "摘要"}
DRAFT = {"draft", "起草", "草稿"}
MAX_SUMMARY_HOURS = 24 * 30

_DURATION = re.compile(r"^\s*(\d{1,4})\s*(h|hr|hrs|hours?|d|days?|m|min|小时|天|分钟)?\s*$", re.I)
# "总结今天的讨论", "总结一下最近3小时", "summarize today", "summary of the last 24h"
_NL_SUMMARY = re.compile(
    r"^\s*(?:请|帮我)?(?:总结|概括|汇总)(?:一下)?(?P<rest>.*?)(?:的)?(?:讨论|聊天|内容|消息)?\s*[。.!！]?\s*$"
    r"|^\s*(?:please\s+)?summari[sz]e(?P<rest_en>.*)$",
    re.I,
)


@dataclass(frozen=True)
class Decision:
    action: Action
    text: str = ""  # the question, the draft topic
    hours: float | None = None  # summary window; None = since local midnight ("today")
    addressed: bool = False  # mentioned/commanded: answer even when unsure (hand off)
    held: bool = False  # an operator command whose body nothing signed: queue for approval


def parse_window(text: str) -> tuple[float | None, bool]:
    """``24h``/``3d``/``90m``/``3小时``/``今天``/``today`` → (hours, ok); today → None."""
    t = text.strip().lower().removeprefix("the").strip()
    t = re.sub(r"^(last|past|最近|过去|近)\s*", "", t)
    if t in ("", "today", "今天", "今日", "本日"):
        return None, True
    if t in ("yesterday", "昨天"):
        return 48.0, True
    if t in ("week", "this week", "本周", "这周", "一周"):
        return 24 * 7.0, True
    m = _DURATION.match(t)
    if not m:
        return None, False
    n, unit = int(m.group(1)), (m.group(2) or "h").lower()
    hours = n * 24 if unit[0] in "d天" else n / 60 if unit[0] == "m" or unit == "分钟" else n
    return float(min(max(hours, 0.25), MAX_SUMMARY_HOURS)), True


def summary_since(hours: float | None, now: datetime, tz: str = "Asia/Shanghai") -> datetime:
    if hours is not None:
        return now - timedelta(hours=hours)
    try:
        zone = ZoneInfo(tz)
    except (KeyError, ValueError):
        zone = ZoneInfo("UTC")
    local = now.astimezone(zone)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def _natural_summary(text: str) -> tuple[float | None, bool] | None:
    m = _NL_SUMMARY.match(text)
    if not m:
        return None
    rest = m.group("rest") if m.group("rest") is not None else m.group("rest_en") or ""
    rest = re.sub(r"^\s*(of|the|discussion|chat)\b", "", rest.strip(), flags=re.I).strip()
    rest = re.sub(r"(discussion|chat|messages)\s*$", "", rest, flags=re.I).strip()
    hours, ok = parse_window(rest)
    return (hours, True) if ok else (None, True)


def is_operator(route: Route, msg: InboundMessage) -> bool:
    """By user id, or by a platform-unique handle (Telegram @username). Never by display
    name: any member can call themselves after an operator."""
    if msg.user_id in route.operators:
        return True
    handle = (msg.user_handle or "").lstrip("@").lower()
    return bool(handle) and handle in {o.lstrip("@").lower() for o in route.operators}


def decide(msg: InboundMessage, route: Route | None, *, body_signed: bool = True) -> Decision:
    """What to do with ``msg``. No route: the chat is not connected to a community.

    ``body_signed=False`` (DingTalk, Telegram): the sender id in the body proves nothing, so an
    operator command's result goes to the review queue instead of the chat."""
    if route is None:
        return Decision("ignore")
    addressed = msg.mentioned or msg.chat_type == "private"
    command = (msg.command or "").lower()
    if command in SUMMARY or command in DRAFT:
        if not is_operator(route, msg):
            return Decision("refuse", addressed=True)
        held = not body_signed
        if command in DRAFT:
            return Decision("draft", msg.args.strip(), addressed=True, held=held)
        hours, _ = parse_window(msg.args)
        return Decision("summary", hours=hours, addressed=True, held=held)
    if command in ASK:
        question, addressed = msg.args.strip(), True
    elif command:
        return Decision("ignore")  # someone else's bot command
    else:
        question = msg.text.strip()
    if addressed and not command and (nl := _natural_summary(question)):
        if not is_operator(route, msg):
            return Decision("refuse", addressed=True)
        return Decision("summary", hours=nl[0], addressed=True, held=not body_signed)
    if not question:
        return Decision("hint") if addressed else Decision("ignore")
    if not should_answer(question, addressed, route.mode):
        return Decision("ignore")  # unaddressed chatter, spam, injection, "谢谢"
    if route.mode == "review":
        return Decision("review", question, addressed=addressed)
    return Decision("answer", question, addressed=addressed)
