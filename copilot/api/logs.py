"""Structured (JSON) logs carrying the request id, with secrets scrubbed as a last line of defence.

Routes never log keys or tokens; the scrubber catches what slips through (an exception message
quoting a header, a URL with a key in it), and personal data (an error quoting a member's
message) is redacted the same way it is before storage.
"""

from __future__ import annotations

import json
import logging
import re
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from copilot.knowledge.redact import redact

request_id_var: ContextVar[str] = ContextVar("request_id", default="-")

_SECRETS = re.compile(
    r"(?i)(bearer\s+)\S+"  # Authorization header values
    r"|\bcc_[A-Za-z0-9_-]{16,}"  # our API keys
    r"|\bsk-[A-Za-z0-9_-]{16,}"  # OpenAI-style keys
    r"|((?:api[_-]?key|token|secret|password)[\"']?\s*[:=]\s*[\"']?)[^\s\"',}]+"
)
# LogRecord attributes that are not user-supplied `extra` fields.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


def scrub(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        prefix = match.group(1) or match.group(2) or ""
        return prefix + "[redacted]"

    return redact(_SECRETS.sub(replace, text))


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id and extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": scrub(record.getMessage()),
            "request_id": getattr(record, "request_id", request_id_var.get()),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in entry:
                entry[key] = scrub(value) if isinstance(value, str) else value
        if record.exc_info:
            entry["exc"] = scrub(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure_logging(level: str = "info") -> None:
    """JSON logs on stderr for `copilot serve` (uvicorn's own messages included)."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers[:] = []
        # Our middleware logs each request with its id; uvicorn's access line would repeat it.
        logging.getLogger(name).propagate = name != "uvicorn.access"
    # One line per call to the Chroma server or the LLM would drown the request log.
    for name in ("httpx", "httpcore", "chromadb"):
        logging.getLogger(name).setLevel(max(root.level, logging.WARNING))
