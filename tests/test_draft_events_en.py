"""An English club's event announcement: the topic's detail words ("date, meeting point and
sign-up") do not name the event, so the organiser's notice in the chat wins over the playbook's
calendar row that names the event without its details; the organiser's "I'm leading" names them
in a post the operator sends."""

from __future__ import annotations

import pytest

from copilot.profile import CommunityProfile
from copilot.skills.draft.notices import calendar_days, event_words
from tests.clubs import chat_and_playbook_club

PROFILE = CommunityProfile(
    name="Canal Cyclists",
    type="interest",
    language="en",
    timezone="Europe/London",
    admins=["Priya Nair"],
)
CHAT = [
    ("2026-11-11T10:00:00+00:00", "Priya Nair", "Right, the Lantern Ride 2026 is decided:"),
    (
        "2026-11-11T10:01:00+00:00",
        "Priya Nair",
        "Lantern Ride — Saturday 12 December\nMeet from 17:00 outside the Old Boathouse. "
        "We roll out at 17:30 sharp.\n£5 members / £8 non-members.\nSign up by Wednesday "
        "9 December with the form in the pinned post. I'm leading; Sian is organising the "
        "marshals.",
    ),
    ("2026-11-11T10:30:00+00:00", "Dan", "Brilliant, count me in"),
]
PLAYBOOK = """# Rides calendar

| Date | What | Notes |
|------|------|-------|
| Friday 6 November | Night Ride | usual time and place |
| December (date in the group) | Lantern Ride | route, fee and meeting point in the group |
| 24 Dec – 3 Jan | No weekday rides | Saturday spin on 2 January only |
"""


@pytest.fixture(scope="module")
def club(tmp_path_factory: pytest.TempPathFactory, embedder):  # type: ignore[no-untyped-def]
    instance = chat_and_playbook_club(
        tmp_path_factory.mktemp("club-en"), embedder, CHAT, ("calendar.md", PLAYBOOK), PROFILE
    )
    yield instance
    instance.close()


def test_the_chat_notice_with_the_details_wins_over_a_calendar_row(club) -> None:  # type: ignore[no-untyped-def]
    topic = "Lantern Ride 2026: date, meeting point and sign-up"
    result = club.draft("club", kind="announcement", topic=topic, channel="telegram")
    for fact in ("12 December", "17:30", "Old Boathouse", "£5", "9 December"):
        assert fact in result.text, fact
    assert "Priya Nair is leading" in result.text and "I'm leading" not in result.text
    assert "Night Ride" not in result.text and "24 Dec" not in result.text


def test_detail_words_of_a_topic_do_not_name_the_event() -> None:
    assert event_words("Lantern Ride 2026: date, meeting point and sign-up") == {
        "lantern",
        "ride",
        "2026",
    }
    assert not {"时间", "地点", "费用"} & event_words("年末摄影展时间地点和费用")


def test_a_digest_week_written_day_range_then_month() -> None:
    from datetime import datetime

    from copilot.models import ChatMessage
    from copilot.skills.draft.digest import digest_window

    assert calendar_days("Weekly recap, 9-15 November") == {(11, 9), (11, 15)}
    assert calendar_days("9th–15th Nov") == {(11, 9), (11, 15)}
    chat = [
        ChatMessage(
            id="m1", community="c", author="a", text="hi", ts=datetime.fromisoformat(CHAT[-1][0])
        )
    ]
    since, until = digest_window("Weekly recap, 9-15 November", chat, "Europe/London")
    assert (since.day, until.day) == (9, 16)


def test_a_long_chat_notice_keeps_its_labelled_lines() -> None:
    from copilot.skills.draft.notices import Notice, notice_lines

    notice = Notice(
        lines=(
            "方案定下来了：",
            "血染钟楼 15人大场",
            "时间：11月21日（周六）19:30 开始",
            "地点：店里熊猫间",
            "说书人：店员小鱼",  # no date, place or fee: a detail all the same
            "大家加油哈哈",
        ),
        source="chat",
        kind="chat",
    )
    lines = notice_lines(notice, {"血染", "钟楼"})
    assert "说书人：店员小鱼" in lines and "大家加油哈哈" not in lines


def test_a_punctuated_notice_line_keeps_its_address_whole() -> None:
    from copilot.skills.draft.notices import Notice, notice_lines

    line = (
        "法棍整形线下工作坊：12月5日（周六）14:00-17:30，地点 杭州市拱墅区丽水路66号 "
        "麦香烘焙工作室2楼，每人168元（含材料），限12人，11月28日截止"
    )
    notice = Notice(lines=(line,), source="chat", kind="chat")
    [kept] = notice_lines(notice, {"法棍", "工作坊"})
    assert "丽水路66号 麦香烘焙工作室2楼" in kept  # the spaces of an address cut no clause
