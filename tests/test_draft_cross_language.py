"""An English post about an event a Hong Kong club announced only in Chinese, and one about an
entry of a Taiwanese club's calendar: the post says the event, not the operator's request
("…in English for members who don't read Chinese"), finds the Chinese notice by the topic's
word's translation ("meetup" → 聚會), and carries its day, time, place and fee over in
English with the names as the club writes them."""

from __future__ import annotations

import pytest

from copilot.profile import CommunityProfile
from copilot.skills.draft.subject import post_subject, stated_language
from tests.clubs import chat_and_playbook_club

PROFILE = CommunityProfile(
    name="港島獨立咖啡店主聯盟",
    type="industry",
    language="zh-hant",
    timezone="Asia/Hong_Kong",
    admins=["Winnie"],
)
CHAT = [
    ("2026-10-27T18:00:00+08:00", "Joyce", "今個月團購幾時截單？"),
    (
        "2026-10-27T18:05:00+08:00",
        "Winnie",
        "多謝大家今個月幫手 🙏 下個月聚會：11月9日（一）下午 3 點，鰂魚涌 Quarry Bay Roasters"
        "（Winnie 間舖），主題：聖誕人手同食物成本。HK$50。",
    ),
    ("2026-10-27T18:20:00+08:00", "May", "好呀，我會到"),
]
CALENDAR = """台北街拍與底片同好會　活動行事曆

11/14（六）15:00  十一月外拍「大稻埕午後光」
                  集合：捷運北門站 3 號出口
                  帶路：阿哲

12/05（六）14:00–16:00  暗房入門課
                  地點：赤峰街暗房　名額 6 人

12/12（六）15:00  十二月外拍「萬華老街」
                  集合：捷運龍山寺站 1 號出口
                  路線：龍山寺 → 剝皮寮 → 華西街

12/25（五）19:30  夜拍「信義區聖誕燈」
                  集合：捷運市政府站 2 號出口
"""


@pytest.fixture(scope="module")
def club(tmp_path_factory: pytest.TempPathFactory, embedder):  # type: ignore[no-untyped-def]
    instance = chat_and_playbook_club(
        tmp_path_factory.mktemp("club-xl"), embedder, CHAT, ("活動行事曆.txt", CALENDAR), PROFILE
    )
    yield instance
    instance.close()


def test_an_english_reminder_of_a_meetup_announced_in_chinese(club) -> None:  # type: ignore[no-untyped-def]
    topic = "November meetup reminder in English for members who don't read Chinese"
    result = club.draft("club", kind="reminder", topic=topic, channel="slack", language="en")
    for fact in ("9 November", "3 pm", "Quarry Bay Roasters", "HK$50"):
        assert fact in result.text, (fact, result.text)
    assert "Reminder: November meetup" in result.text
    assert "read Chinese" not in result.text and "in English" not in result.text


def test_a_calendar_entry_brings_its_own_lines_not_its_neighbours(club) -> None:  # type: ignore[no-untyped-def]
    topic = "English post for expat members about the December photo walk 萬華老街 on 12/12"
    result = club.draft("club", kind="announcement", topic=topic, channel="discord", language="en")
    assert "Saturday 12 December, 15:00" in result.text, result.text
    assert "捷運龍山寺站 1 號出口" in result.text  # as the club writes it, for the meeting point
    assert "北門站" not in result.text and "市政府站" not in result.text
    assert "expat" not in result.text


def test_the_subject_of_a_request_and_the_language_it_asks_for() -> None:
    assert post_subject("Reminder for English-speaking members about Raku Night") == "Raku Night"
    assert post_subject("给说中文的新会员的欢迎帖（中文骑行组）") == "欢迎（中文骑行组）"
    assert post_subject("12月13日西贡海岸越野赛组团报名") == "12月13日西贡海岸越野赛组团报名"
    assert stated_language("Raku Night, in English please") == "en"
    assert stated_language("English post about the photo walk (announced only in Chinese)") == "en"
    assert stated_language("英文角活动报名") is None  # a club's English corner, not a language


def test_in_chinese_names_a_language_only_where_it_closes_the_request() -> None:
    kept = ["Lantern walk in Chinese New Year week", "Calligraphy class in Chinese brush painting"]
    for topic in kept:
        assert post_subject(topic) == topic and stated_language(topic) is None
    assert post_subject("Post about the meetup (announced in Chinese)") == "meetup"
    assert stated_language("Post about the meetup (announced in Chinese)") is None
    assert post_subject("給說中文的新會員的歡迎帖") == "歡迎"  # the request, in traditional script
    assert post_subject("用英文写读书会通知") == "读书会通知"


def test_a_generic_english_word_does_not_pick_another_events_notice() -> None:
    from copilot.skills.draft.notices import Notice, best_notice

    notices = [
        Notice(lines=("周六晚上烧烤：12月5日（周六）晚上7点，天台",), source="chat", kind="chat"),
        Notice(lines=("读书会：12月9日（周三）晚上8点，二楼书房",), source="chat", kind="chat"),
    ]
    assert best_notice("Quiz night", notices) is None  # "night" → 晚上 is in every notice


def test_what_the_operator_wants_the_post_to_do_is_no_part_of_its_subject() -> None:
    asks = {
        "Get people to sign up for the Bug Bash, especially first-timers": "Bug Bash",
        "Encourage contributors to join the December community call": "December community call",
        "Reminder that the 4.9 feature freeze is coming": "4.9 feature freeze is coming",
        "Winter Social tickets, encourage members to book": "Winter Social tickets",
        "提醒中文译者：4.8 周二发布": "4.8 周二发布",
        "提醒中英组成员参加季度术语校对会": "季度术语校对会",
        "澜山烘焙會員杯測會，歡迎會員報名": "澜山烘焙會員杯測會",  # traditional script too
        "推薦每月麵包箱，鼓勵同學試訂": "每月麵包箱",
    }
    for topic, subject in asks.items():
        assert post_subject(topic) == subject, topic
    # a call to action that is the post's own message stays whole
    kept = ["Sign up for Mock Interview Night before the sheet closes", "Send your glossary to Mei"]
    for topic in kept:
        assert post_subject(topic) == topic
