"""Console texts in Chinese and English, from the JSON files in ``locales/``.

The language comes from the ``lang`` cookie (set by the switcher), else the browser's
Accept-Language; a text missing from one language falls back to English, then to its key.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any

LANGUAGES = ("zh", "en")
LANG_COOKIE = "copilot_lang"


@cache
def catalogue(language: str) -> dict[str, str]:
    text = (files("copilot.api.console") / "locales" / f"{language}.json").read_text("utf-8")
    return json.loads(text)


def pick_language(cookie: str | None, accept_language: str | None) -> str:
    """The cookie's language if it is one we have, else the first Accept-Language we have."""
    if cookie in LANGUAGES:
        return cookie
    ranked: list[tuple[float, str]] = []
    for part in (accept_language or "").split(","):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        ranked.append((quality, tag.strip().lower()))
    for _, tag in sorted(ranked, key=lambda item: -item[0]):
        base = tag.split("-")[0]
        if base in LANGUAGES:
            return base
    return "en"


class Translator:
    """``t("key", name=...)`` in templates: the text in one language, formatted."""

    def __init__(self, language: str) -> None:
        self.language = language
        self._texts = catalogue(language)
        self._fallback = catalogue("en")

    def __call__(self, key: str, **values: Any) -> str:
        text = self._texts.get(key) or self._fallback.get(key) or key
        return text.format(**values) if values else text
