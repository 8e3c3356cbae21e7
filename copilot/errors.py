"""Errors whose message is meant for a person (CLI prints it, the API returns it as a 4xx)."""

from __future__ import annotations

import re


class InputError(ValueError):
    """Bad input from a user: the message says what is wrong and how to fix it."""


COMMUNITY_ID = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9_-]{0,62}[A-Za-z0-9])?$")


def check_community(community: str) -> str:
    if not COMMUNITY_ID.match(community or ""):
        raise InputError(
            f"invalid community id {community!r}: use 1-64 letters, digits, '-' or '_', "
            "starting and ending with a letter or digit"
        )
    return community


def check_question(question: str, max_chars: int) -> str:
    question = (question or "").strip()
    if not question:
        raise InputError("the question is empty")
    if len(question) > max_chars:
        raise InputError(
            f"the question is {len(question)} characters long; the limit is {max_chars}"
        )
    return question
