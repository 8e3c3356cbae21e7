"""A reminder drafted from an organiser's short chat reply: the reply is one fact (its two
sentences stay together, said by its author, without the "@member Correct," it opened with),
its day-month dates are the post's "When", and "Reminder for members: X" is about X."""

from __future__ import annotations

import pytest

from copilot.profile import CommunityProfile
from copilot.skills.draft.slots import WHEN, extract_slot
from copilot.skills.draft.subject import post_subject
from tests.clubs import chat_and_playbook_club

PROFILE = CommunityProfile(
    name="Riverside Pottery",
    type="interest",
    language="en",
    timezone="Europe/London",
    admins=["Tom Reyes"],
)
CHAT = [
    ("2026-12-01T09:00:00+00:00", "Lena", "Are the wheel classes on while Tom is away?"),
    (
        "2026-12-01T09:05:00+00:00",
        "Tom Reyes",
        "@Lena Correct, no wheel classes from 14 December to 20 December. "
        "Back on Monday 21 December.",
    ),
    ("2026-12-01T09:06:00+00:00", "Lena", "Thanks!"),
]
PLAYBOOK = """# Studio guide

Glazing nights run every Thursday at 19:00 in the back room.
Membership is £40 a month and includes kiln firing.
"""


@pytest.fixture(scope="module")
def club(tmp_path_factory: pytest.TempPathFactory, embedder):  # type: ignore[no-untyped-def]
    instance = chat_and_playbook_club(
        tmp_path_factory.mktemp("pottery"), embedder, CHAT, ("guide.md", PLAYBOOK), PROFILE
    )
    yield instance
    instance.close()


def test_a_reminder_carries_the_organisers_whole_reply_and_its_dates(club) -> None:  # type: ignore[no-untyped-def]
    topic = "Reminder for members: no wheel classes while Tom is away"
    result = club.draft("club", kind="reminder", topic=topic, channel="telegram")
    assert "No wheel classes from 14 December to 20 December." in result.text
    assert "Back on Monday 21 December" in result.text  # the reply's second sentence
    assert "When: 14 December to 20 December" in result.text
    assert "@Lena" not in result.text and "Correct," not in result.text
    assert "Reminder for members" not in result.text  # the request is not the title
    assert "£40" not in result.text  # the playbook's other facts are not this reminder's
    assert "signed up" not in result.text  # nothing to sign up for when classes are off


def test_a_colon_request_names_its_subject() -> None:
    assert post_subject("Reminder for members: kiln closed on Friday") == "kiln closed on Friday"


@pytest.mark.parametrize(
    ("text", "when"),
    [
        ("Closed 31 March to 5 April, sorry", "31 March to 5 April"),
        ("Back on Tuesday 7 April.", "Tuesday 7 April"),
        ("See you Nov. 14th at 7pm", "Nov. 14th at 7pm"),
    ],
)
def test_day_month_dates_are_read_as_when(text: str, when: str) -> None:
    assert extract_slot(WHEN, [text]) == when


def test_a_count_before_a_month_like_word_is_no_date() -> None:
    assert extract_slot(WHEN, ["We ran 5 Marathons last year"]) == ""
