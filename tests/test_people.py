"""Owners are named as the chat shows them, whatever form a message writes them in."""

from __future__ import annotations

import pytest

from copilot.analytics.people import member_named

PEOPLE = {
    "Brisk [Mod]",
    "Okapi [Mod]",
    "Theo (Pixel Forge)",
    "Kofi Asante",
    "kofi.asante",
    "副團長-小君",
}


@pytest.mark.parametrize(
    ("written", "member"),
    [
        ("Brisk Mod", "Brisk [Mod]"),  # "@Brisk [Mod]" once the brackets are gone
        ("Brisk", "Brisk [Mod]"),
        ("Theo", "Theo (Pixel Forge)"),
        ("Kofi Asante", "Kofi Asante"),  # listed as written and as a handle: as written
        ("小君", "副團長-小君"),
        ("Mod", None),  # two moderators: nobody in particular
    ],
)
def test_a_name_as_written_finds_the_member_the_chat_shows(
    written: str, member: str | None
) -> None:
    assert member_named(written, PEOPLE) == member
