"""A post in one language about a notice written in the other: the notice's detail lines
(date, time, place, fee) carried over with their dates, weekdays and prices in the post's
language, what the offline engine cannot translate kept as written, prose left out."""

from __future__ import annotations

from pathlib import Path

from copilot.profile import CommunityProfile
from copilot.skills.draft.carry_over import carry_over
from tests.clubs import chat_and_playbook_club

PROFILE = CommunityProfile(
    name="拾窑陶艺会员群",
    type="interest",
    language="zh",
    timezone="Asia/Shanghai",
    admins=["阿栗"],
)
# A class calendar pasted from a shared doc: each event a 【title】 over its labelled lines.
CALENDAR = """11-12月课程与活动

【釉料调配工作坊】
日期：11月21日（周六）
时间：14:00—17:00
地点：一楼釉料间
费用：会员260元，非会员320元

【乐烧之夜 Raku Night】
日期：12月12日（周六）
时间：18:30—21:30（18:00开始签到）
地点：工作室后院露天窑区
费用：会员220元，非会员280元
什么是乐烧：把上好釉的素坯放进小窑快速烧到釉面熔化，趁热夹出来闷烧。
"""
CHAT = [("2026-11-20T10:00:00+08:00", "阿栗", "早上好，今天窑温正常")]


def test_labelled_lines_are_carried_over_with_dates_and_prices_in_the_posts_language() -> None:
    assert carry_over("日期：12月12日（周六）", "en") == "Date: Saturday 12 December"
    assert (
        carry_over("费用：会员220元，非会员280元", "en")
        == "Fee: members 220 yuan, non-members 280 yuan"
    )
    assert carry_over("時間：每週日14:00—16:00", "en") == "Time: every Sunday 14:00–16:00"
    assert carry_over("Date: Saturday 12 December", "zh") == "日期：12月12日（周六）"
    # a place keeps its own name; a line of prose is no detail
    assert carry_over("地点：工作室后院露天窑区", "en") == "Place: 工作室后院露天窑区"
    assert carry_over("什么是乐烧：把上好釉的素坯放进小窑", "en") is None


def test_an_english_reminder_of_a_chinese_notice_carries_its_details(
    tmp_path: Path, embedder
) -> None:  # type: ignore[no-untyped-def]
    club = chat_and_playbook_club(tmp_path, embedder, CHAT, ("课程与活动.txt", CALENDAR), PROFILE)
    try:
        text = club.draft(
            "club",
            kind="reminder",
            topic="Reminder for English-speaking members about Raku Night",
            language="en",
        ).text
    finally:
        club.close()
    for fact in ("Saturday 12 December", "18:30", "220 yuan", "后院"):
        assert fact in text, text
    # another event of the same page, and the untranslatable prose, stay out
    assert "260" not in text and "11月21日" not in text and "21 November" not in text, text
    assert "素坯" not in text, text


def test_how_often_a_year_and_the_word_may_are_not_dates() -> None:
    from copilot.skills.figures import figures_in_english, key_figures

    assert figures_in_english("每周一次，两周三次课") == "每周一次，两周三次课"
    assert key_figures("2024年开始，每2年一次", "en") == ["2 years"]
    assert key_figures("up to 6 may join on 3 May", "zh") == ["5月3日"]
    assert key_figures("要2小時，3個工作日", "en") == ["2 hours", "3 working days"]  # traditional
    assert carry_over("时间：周六下午3点到5点", "en") == "Time: Saturday 3–5 pm"
    assert carry_over("备注：请自带围裙，二楼有免费停车位可以用", "en") is None  # prose
