"""Structured LLM replies: pull one JSON object out of a reply and validate it."""

from __future__ import annotations

import json
import re
from typing import TypeVar

from pydantic import BaseModel, ValidationError

T = TypeVar("T", bound=BaseModel)
FENCE = re.compile(r"^```(?:json)?\s*|\s*```$", re.IGNORECASE)


class InvalidReplyError(ValueError):
    """The model answered, but not with the JSON we asked for (a reason to fall back)."""


def parse_reply(text: str, model: type[T]) -> T:
    """Validate the reply against `model`; tolerates code fences and prose around the object."""
    cleaned = FENCE.sub("", text.strip())
    start, end = cleaned.find("{"), cleaned.rfind("}")
    if start < 0 or end <= start:
        raise InvalidReplyError("the reply contains no JSON object")
    try:
        return model.model_validate(json.loads(cleaned[start : end + 1]))
    except (json.JSONDecodeError, ValidationError) as exc:
        raise InvalidReplyError(f"the reply is not the expected JSON: {exc}") from None
