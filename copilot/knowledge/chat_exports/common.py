"""Helpers every chat-export parser shares: time zones, stable ids, de-duplication."""

from __future__ import annotations

import hashlib
from collections import Counter
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

CHINA_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")


def aware(ts: datetime, default_tz: timezone = UTC) -> datetime:
    """Exports without a zone are taken as `default_tz` (UTC unless the format says otherwise)."""
    return ts if ts.tzinfo is not None else ts.replace(tzinfo=default_tz)


def from_epoch(value: float | int | str) -> datetime:
    """Seconds (or milliseconds, when the number is too big to be seconds) since 1970, UTC."""
    number = float(value)
    if number > 1e11:
        number /= 1000
    return datetime.fromtimestamp(number, UTC)


def parse_ts(value: Any, default_tz: timezone = UTC) -> datetime:
    """ISO 8601 text, 'YYYY-MM-DD HH:MM[:SS]', or an epoch number. Raises ValueError."""
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
    return aware(datetime.fromisoformat(text), default_tz)


def stable_id(*parts: object) -> str:
    """An id from content, so re-ingesting the same export gives the same ids."""
    digest = hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8"))
    return digest.hexdigest()[:16]


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
