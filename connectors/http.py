"""HTTP plumbing shared by connectors: JSON calls, token caching, URL checks, log redaction."""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

import httpx

from .base import DeliveryError


async def call_json(
    http: httpx.AsyncClient,
    method: str,
    url: str,
    *,
    json: Any = None,
    headers: dict[str, str] | None = None,
    params: dict[str, str] | None = None,
    what: str,
    error_key: str | None = None,
) -> dict[str, Any]:
    """Make one API call and return its JSON object; transport and HTTP errors → DeliveryError.

    With ``error_key``, an HTTP error whose JSON body carries that key (Feishu's ``code``) is
    returned for the caller to interpret, e.g. to refresh an expired token.
    """
    try:
        resp = await http.request(method, url, json=json, headers=headers, params=params)
    except httpx.HTTPError as exc:
        # The exception text can hold the URL (and so a token): keep only its type.
        raise DeliveryError(f"{what}: {type(exc).__name__}") from None
    retry_after = resp.headers.get("retry-after")
    try:
        data = resp.json() if resp.content else {}
    except ValueError:
        data = {}
    if not isinstance(data, dict):
        data = {"result": data}
    if resp.status_code >= 400 and not (error_key and error_key in data):
        detail = data.get("description") or data.get("message") or data.get("msg") or ""
        # Retry hints: header (HTTP), Telegram parameters.retry_after, Discord retry_after.
        hint = (
            retry_after
            or (data.get("parameters") or {}).get("retry_after")
            or data.get("retry_after")
        )
        try:
            wait = float(hint) if hint is not None else None
        except (TypeError, ValueError):
            wait = None
        raise DeliveryError(f"{what}: HTTP {resp.status_code} {detail}".strip(), retry_after=wait)
    return data


class CachedToken:
    """An access token fetched on demand and reused until shortly before it expires."""

    def __init__(
        self, fetch: Callable[[], Awaitable[tuple[str, float]]], margin: float = 300
    ) -> None:
        self._fetch = fetch  # returns (token, lifetime in seconds)
        self._margin = margin
        self._token: str | None = None
        self._expires = 0.0
        self._lock = asyncio.Lock()

    async def get(self) -> str:
        async with self._lock:  # one refresh even when many replies race
            if self._token is None or time.monotonic() >= self._expires:
                token, lifetime = await self._fetch()
                self._token = token
                self._expires = time.monotonic() + max(lifetime - self._margin, 0)
            return self._token

    def invalidate(self) -> None:
        self._token = None


def same_origin(url: str, base: str) -> bool:
    """True when ``url`` has the scheme and host[:port] of ``base`` (SSRF guard for
    reply URLs that arrive inside payloads, e.g. DingTalk sessionWebhook)."""
    u, b = urlsplit(url), urlsplit(base)
    return bool(u.netloc) and (u.scheme, u.netloc.lower()) == (b.scheme, b.netloc.lower())


class _RedactSecrets(logging.Filter):
    """httpx logs request URLs at INFO; some carry secrets (Telegram bot token in the path,
    WeCom webhook key, DingTalk session). Mask them before any handler sees them."""

    _PATTERNS = (
        (re.compile(r"/bot\d+:[\w-]+"), "/bot***"),
        (re.compile(r"((?:key|access_token|session|response_code)=)[^&\s\"']+"), r"\1***"),
    )

    def filter(self, record: logging.LogRecord) -> bool:
        msg = record.getMessage()
        clean = msg
        for pattern, repl in self._PATTERNS:
            clean = pattern.sub(repl, clean)
        if clean != msg:
            record.msg, record.args = clean, ()
        return True


def install_log_redaction() -> None:
    logger = logging.getLogger("httpx")
    if not any(isinstance(f, _RedactSecrets) for f in logger.filters):
        logger.addFilter(_RedactSecrets())
