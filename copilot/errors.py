"""Errors whose message is meant for a person (CLI prints it, the API returns it as a 4xx)."""

from __future__ import annotations

import re
import unicodedata


class InputError(ValueError):
    """Bad input from a user: the message says what is wrong and how to fix it."""


class NotFoundError(InputError):
    """The input names something that does not exist (in this community): the API's 404."""


COMMUNITY_ID = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9_-]{0,62}[A-Za-z0-9])?$")


def check_community(community: str) -> str:
    if not COMMUNITY_ID.match(community or ""):
        raise InputError(
            f"invalid community id {community!r}: use 1-64 letters, digits, '-' or '_', "
            "starting and ending with a letter or digit"
        )
    return community


def check_text(text: str, what: str) -> str:
    """Refuse lone UTF-16 surrogates ("\\ud800"): no store or encoder can hold them."""
    if any("\ud800" <= ch <= "\udfff" for ch in text):
        raise InputError(f"{what} contains a lone UTF-16 surrogate; send valid Unicode text")
    return text


def check_source_name(name: str) -> str:
    """A source name is shown to operators and members: no control or invisible formatting
    characters (a bidi override can make 'evil\u202egpj.md' read as 'evilmd.jpg')."""
    check_text(name, "the source name")
    bad = sorted({f"U+{ord(ch):04X}" for ch in name if unicodedata.category(ch) in _HIDDEN})
    if bad:
        raise InputError(
            f"the source name contains control or invisible formatting characters "
            f"({', '.join(bad[:5])}); use visible characters only"
        )
    return name


_HIDDEN = {"Cc", "Cf", "Co", "Cn", "Zl", "Zp"}


def check_question(question: str, max_chars: int) -> str:
    question = check_text((question or "").strip(), "the question")
    if not question:
        raise InputError("the question is empty")
    if len(question) > max_chars:
        raise InputError(
            f"the question is {len(question)} characters long; the limit is {max_chars}"
        )
    return question
