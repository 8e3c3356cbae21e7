"""Summaries of a Slack-shaped chat (threads via thread_ts, Cantonese mixed with English): a
decision header's details are in the same author's next message even when that message
started a thread, a name at the start of a sentence is not an English question word, a member
promising someone a deadline in reply is an action item, and a question asked inside a thread
is answered by the next reply in that thread."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from copilot.knowledge.loaders import load_file
from copilot.models import ChatMessage
from copilot.skills.summarize.offline import summarize_offline
from copilot.text import is_question

HK = ZoneInfo("Asia/Hong_Kong")
START = datetime(2026, 10, 12, 17, 0, tzinfo=HK)  # a Monday


def slack(minute: int, author: str, text: str, *, thread: int | None = None) -> ChatMessage:
    """A Slack export message: a thread's root has thread == its own id, as thread_ts == ts."""
    mid = f"t{minute}"
    root = f"t{thread}" if thread is not None else None
    return ChatMessage(
        id=mid,
        community="c",
        channel="general",
        author=author,
        ts=START + timedelta(minutes=minute),
        text=text,
        thread=root,
        reply_to=root if root and root != mid else None,
    )


CHAT = [
    slack(0, "Kelvin", "今日聚會決定咗："),
    slack(1, "Kelvin", "十二月聚會改做聖誕晚飯：12月14日（一）晚上 7 點，灣仔 Stillroom，"
          "每位 HK$250。May 負責訂食物，12月1日前確認人數。想嚟嘅喺 thread 留名。", thread=1),
    slack(4, "Yan", "+1", thread=1),
    slack(20, "Ben", "想問下開小食食肆牌照大概要等幾耐？", thread=20),
    slack(40, "Marco", "About 7 weeks. Send me your layout plan and I'll go through it by "
          "Friday 16 October.", thread=20),
    slack(60, "Zoe", "本月杯測會 10 月 29 日晚上 7 點，仲有 6 個位", thread=60),
    slack(70, "Yan", "杯測會要唔要自己帶杯同匙羹？", thread=60),
    slack(90, "Zoe", "唔使帶，我哋準備好杯測碗同杯測匙", thread=60),
]  # fmt: skip


def test_a_header_decision_carries_the_message_that_started_a_thread() -> None:
    summary = summarize_offline(CHAT, admins={"Kelvin"}, tz="Asia/Hong_Kong")
    [decision] = summary.decisions
    assert "聖誕晚飯" in decision.text and "Stillroom" in decision.text
    assert decision.on == date(2026, 12, 14)


def test_owners_and_deadlines_of_assignments_and_promises() -> None:
    summary = summarize_offline(CHAT, admins={"Kelvin"}, tz="Asia/Hong_Kong")
    owed = {(a.owner, a.due_on) for a in summary.action_items}
    assert ("May", date(2026, 12, 1)) in owed
    assert ("Marco", date(2026, 10, 16)) in owed  # a promise to the member who asked


def test_a_members_promise_with_a_deadline_is_a_task_but_a_plan_for_a_day_is_not() -> None:
    chat = [
        slack(0, "Marcus", "Gear Library note: I'm taking the loan batteries for a health check. "
              "I'll post the results by Friday 20 November."),
        slack(60, "Dan", "那我周二去"),
    ]  # fmt: skip
    summary = summarize_offline(chat, admins={"Tom"}, tz="Europe/London")
    assert [(a.owner, a.due_on) for a in summary.action_items] == [("Marcus", date(2026, 11, 20))]


def test_a_question_inside_a_thread_is_answered_by_the_next_reply_there() -> None:
    summary = summarize_offline(CHAT, admins={"Kelvin"}, tz="Asia/Hong_Kong")
    listed = [q.text for q in [*summary.open_questions, *summary.unanswered_questions]]
    assert not any("匙羹" in q for q in listed)


def test_a_name_before_chinese_is_not_an_english_question() -> None:
    assert not is_question("May 負責訂食物，12月1日前確認人數。")
    assert is_question("May I bring a friend")
    assert is_question("Anyone 知唔知幾點開")


def test_a_cantonese_header_and_an_owner_line_naming_two_people() -> None:
    chat = [
        slack(0, "Kelvin", "定咗喇："),
        slack(1, "Kelvin", "*拉花友誼賽*\n日期：11月23日（星期一）晚上 7:30\n地點：西營盤 Bloom\n"
              "負責：Joyce（場地同流程）、May（評判，11月9日前確認 3 位評判）", thread=1),
        slack(30, "黃美儀 May Wong", "暫定 HK$100 一位，聽日定實"),  # tentative: not decided
    ]  # fmt: skip
    people = {"Kelvin", "何詠欣 Joyce Ho", "黃美儀 May Wong"}
    summary = summarize_offline(chat, admins=people, tz="Asia/Hong_Kong")
    [decision] = summary.decisions
    assert "拉花友誼賽" in decision.text and decision.on == date(2026, 11, 23)
    tasks = {(a.owner, a.due_on) for a in summary.action_items}
    assert tasks == {("何詠欣 Joyce Ho", None), ("黃美儀 May Wong", date(2026, 11, 9))}


def test_a_header_and_its_details_stamped_in_the_same_minute_keep_the_export_order(
    tmp_path: Path,
) -> None:
    """WeChat text has minute precision: the details posted right after "方案定下来了：" carry
    the same time, and must still come after it."""
    export = tmp_path / "group.txt"
    export.write_text(
        "运营-大熊 2026/10/22 10:16\n方案定下来了：\n\n"
        "运营-大熊 2026/10/22 10:16\n「年底对账避坑」线上直播\n时间：10月31日（周六）14:00\n"
        "地点：腾讯会议 735 190 846\n\n"
        "插画-鹿鹿 2026/10/22 10:40\n好的，到时候来听\n",
        "utf-8",
    )
    loaded = load_file(export, community="c", kind="chat")
    assert [
        m.text.splitlines()[0] for m in sorted(loaded.messages, key=lambda m: (m.ts, m.id))
    ] == [
        "方案定下来了：",
        "「年底对账避坑」线上直播",
        "好的，到时候来听",
    ]
    [decision] = summarize_offline(loaded.messages, tz="Asia/Shanghai").decisions
    assert "对账避坑" in decision.text and decision.on == date(2026, 10, 31)


def test_a_disclaimer_is_not_a_task() -> None:
    chat = [
        slack(0, "广告", "各种会员低价代充，加微：qi_vip99"),
        slack(2, "运营-大熊", "别信，官方从来没有授权任何代充，账号被封概不负责。已移出"),
    ]
    summary = summarize_offline(chat, admins={"运营-大熊"}, tz="Asia/Shanghai")
    assert summary.action_items == []


def test_an_admins_notice_with_a_price_and_find_me_is_a_decision_not_spam() -> None:
    chat = [
        slack(0, "阿卷（店长）", "方案定下来了："),
        slack(1, "阿卷（店长）", "血染钟楼 15人大场\n时间：11月21日（周六）19:30 开始\n"
              "费用：每人59元\n负责人：阿卷，有问题找我"),
    ]  # fmt: skip
    [decision] = summarize_offline(chat, admins={"阿卷（店长）"}, tz="Asia/Shanghai").decisions
    assert "血染钟楼" in decision.text and decision.on == date(2026, 11, 21)


def test_a_reply_that_opens_with_the_askers_name_answers() -> None:
    chat = [
        slack(0, "Sasha K", "Is the student price also for weekends? I'm at UESTC"),
        slack(15, "Tom Becker", "Sasha K no, only Mon/Wed/Thu, not Friday night or weekend"),
    ]
    summary = summarize_offline(chat, tz="Asia/Shanghai")
    assert not summary.open_questions and not summary.unanswered_questions


def test_a_weekday_then_its_date_is_the_deadline_as_written() -> None:
    chat = [slack(0, "Juno", "@Theo please have the test plan ready by Monday, November 9.")]
    [item] = summarize_offline(chat, tz="Europe/London").action_items
    assert (item.owner, item.due, item.due_on) == ("Theo", "Monday, November 9", date(2026, 11, 9))
