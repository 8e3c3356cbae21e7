"""Helpers every chat-export parser shares: time zones, options, stable ids, member ids,
media placeholders, de-duplication."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from copilot.knowledge.redact import redact
from copilot.models import ChatMessage
from copilot.text import MEDIA_TOKEN, media_placeholder

CHINA_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")
_OFFSET = re.compile(r"^(?:UTC|GMT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$", re.IGNORECASE)


@dataclass(frozen=True)
class ExportOptions:
    """What an export cannot say about itself, given by the person ingesting it.

    `tz`: the zone of exports that write wall-clock times without one (QQ, WeChat tools,
    Telegram without `date_unixtime`); None keeps each format's default (China time for the
    Chinese tools, UTC with a warning for Telegram). `year`: for exports whose dates have no
    year (chatlog's "03-01 20:01:15").
    """

    tz: tzinfo | None = None
    year: int | None = None

    def zone(self, default: tzinfo) -> tzinfo:
        return self.tz if self.tz is not None else default


NO_OPTIONS = ExportOptions()


def parse_tz(text: str) -> tzinfo:
    """'Asia/Shanghai', 'UTC', '+08:00' or 'UTC+8' → a tzinfo. Raises ValueError for a person."""
    value = text.strip()
    if value.upper() in ("UTC", "Z", "GMT"):
        return UTC
    if match := _OFFSET.match(value):
        sign, hours, minutes = match.groups()
        delta = timedelta(hours=int(hours), minutes=int(minutes or 0))
        if delta > timedelta(hours=14):
            raise ValueError(f"time zone offset out of range: {text!r}")
        return timezone(-delta if sign == "-" else delta)
    try:
        return ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"unknown time zone {text!r} (use a name like Asia/Shanghai, or an offset like +08:00)"
        ) from None


def aware(ts: datetime, default_tz: tzinfo = UTC) -> datetime:
    """Exports without a zone are taken as `default_tz` (UTC unless the format says otherwise)."""
    return ts if ts.tzinfo is not None else ts.replace(tzinfo=default_tz)


def from_epoch(value: float | int | str) -> datetime:
    """Seconds (or milliseconds, when the number is too big to be seconds) since 1970, UTC."""
    number = float(value)
    if number > 1e11:
        number /= 1000
    return datetime.fromtimestamp(number, UTC)


def parse_ts(value: Any, default_tz: tzinfo = UTC) -> datetime:
    """ISO 8601 text, 'YYYY-MM-DD HH:MM[:SS]' (also with '/' and one-digit fields, as Excel
    re-saves them), or an epoch number. Raises ValueError."""
    if isinstance(value, bool) or value is None:
        raise ValueError(f"not a time: {value!r}")
    if isinstance(value, int | float):
        return from_epoch(value)
    text = str(value).strip()
    if text.replace(".", "", 1).isdigit():
        return from_epoch(text)
    text = text.replace("/", "-")
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        return aware(datetime.fromisoformat(text), default_tz)
    except ValueError:
        pass
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?", text)
    if not match:
        raise ValueError(f"not a time: {value!r}")
    y, mo, d, h, mi, s = (int(g or 0) for g in match.groups())
    return datetime(y, mo, d, h, mi, s, tzinfo=default_tz)


def stable_id(*parts: object) -> str:
    """An id from content, so re-ingesting the same export gives the same ids."""
    digest = hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8"))
    return digest.hexdigest()[:16]


def member_id(kind: str, account: str) -> str:
    """A stable pseudonym for a personal account (QQ number, wxid, e-mail): members stay
    distinguishable in analytics while the account itself is not stored.

    It is a plain one-way hash (sha256 with the kind as prefix), so the same person gets the
    same id in every export and community; it hides the number from anyone reading the data,
    not from someone willing to hash every possible QQ number.
    """
    digest = hashlib.sha256(f"{kind}:{account.strip().lower()}".encode()).hexdigest()
    return f"{kind}-{digest[:16]}"


def author_id(value: object, *, personal: str | None = None) -> str | None:
    """The id to store for a sender: None when empty; a pseudonym (`member_id`) when the
    format says the account is personal (`personal` names its kind: "qq", "wx", ...) or when
    it holds personal data the redaction rules recognise (an e-mail, a phone, a wxid)."""
    text = str(value).strip() if value is not None else ""
    if not text:
        return None
    if personal:
        return member_id(personal, text)
    if redact(text) != text:
        return member_id("id", text)
    return text


def strip_media(text: str) -> str:
    """Text without media placeholders ('[图片]', '![图片](http://…)', '[语音 7秒]')."""
    return MEDIA_TOKEN.sub("", text).strip()


# WeChat's message types for media (chatlog, MemoTrace, PyWxDump): 3 image, 34 voice,
# 43 video, 47 sticker.
WECHAT_MEDIA = {3: "[图片]", 34: "[语音]", 43: "[视频]", 47: "[表情]"}


def text_or_media(text: str) -> str:
    """The words of a post; for a media-only post its placeholder ('[图片]'), so it still counts
    as a message in activity numbers (it is never indexed, asked or answered: `is_media_only`)."""
    return strip_media(text) or media_placeholder(text)


class UniqueIds:
    """Make content-derived ids unique in a channel: a repeated message gets '-2', '-3', ...

    The suffix depends only on order within the file, so it is stable across re-ingests.
    """

    def __init__(self) -> None:
        self._seen: Counter[tuple[str, str]] = Counter()

    def __call__(self, channel: str, base: str) -> str:
        self._seen[(channel, base)] += 1
        n = self._seen[(channel, base)]
        return base if n == 1 else f"{base}-{n}"


def keep_file_order(messages: list[ChatMessage]) -> list[ChatMessage]:
    """Messages stamped with the same time keep the order the export lists them in.

    Exports with minute or second precision (WeChat and QQ text, many CSVs) stamp a header
    ("方案定下来了：") and the details posted right after it with one time; everything
    downstream orders by (time, id), and ids are hashes, so the details could come first. The
    k-th message of a run of consecutive equal times (per channel, in file order; reversed
    when the export lists the newest first) is moved k microseconds later: far below what the
    export records, and only where the export itself says which came first."""
    if len(messages) < 2:
        return messages
    newest_first = messages[0].ts > messages[-1].ts
    ordered = list(reversed(messages)) if newest_first else list(messages)
    run: dict[str, tuple[datetime, int]] = {}  # channel -> (time of its last message, k)
    out: list[ChatMessage] = []
    for m in ordered:
        last, k = run.get(m.channel, (None, 0))
        k = k + 1 if last == m.ts else 0
        run[m.channel] = (m.ts, k)
        out.append(m.model_copy(update={"ts": m.ts + timedelta(microseconds=k)}) if k else m)
    return list(reversed(out)) if newest_first else out
