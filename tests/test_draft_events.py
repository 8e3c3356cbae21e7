"""Event drafts: an announcement, promotion or reminder carries the event's own facts, from the
chat or the playbook, and never a fact of another event."""

from __future__ import annotations

from datetime import datetime

import pytest

from copilot.models import ChatMessage
from copilot.profile import CommunityProfile
from copilot.skills.draft.notices import (
    Notice,
    best_notice,
    calendar_days,
    chat_notices,
    event_head,
    event_lines,
    event_words,
)
from copilot.skills.draft.templates import normalize_kind
from tests.clubs import chat_and_playbook_club

PROFILE = CommunityProfile(
    name="青禾摄影社",
    type="interest",
    language="zh",
    timezone="Asia/Shanghai",
    admins=["社长-老周", "管理员-小叶"],
)
CHAT = [
    (
        "2026-11-02T09:00:00+08:00",
        "管理员-小叶",
        "【11月外拍】\n时间：11月14日（周六）8:00\n地点：西湖断桥集合\n费用：免费\n带队：小叶",
    ),
    ("2026-11-02T09:10:00+08:00", "阿明", "好呀，这次一定去"),
    ("2026-11-09T20:00:00+08:00", "社长-老周", "方案定下来了："),
    (
        "2026-11-09T20:01:00+08:00",
        "社长-老周",
        "年末摄影展\n时间：12月20日（周日）10:00-17:00\n"
        "地点：滨江区星光大道文化中心二楼\n费用：参展每人80元，观展免费\n负责人：社长-老周（有问题私信我）\n"
        "报名截止：12月10日 20:00，交三张作品给我",
    ),
    ("2026-11-09T20:05:00+08:00", "阿明", "请问可以带家人来看吗？"),
    ("2026-11-09T20:06:00+08:00", "社长-老周", "可以，观展免费"),
    ("2026-11-10T08:00:00+08:00", "路人甲", "高价收二手镜头，加V：lens8888"),
    ("2026-11-10T07:00:00+08:00", "阿明", "打卡 第12天 扫街30张"),
    ("2026-11-10T07:05:00+08:00", "小雨", "打卡 第3天 拍了早餐"),
    ("2026-11-10T07:10:00+08:00", "老王", "打卡 第40天 日出"),
    ("2026-11-11T12:00:00+08:00", "社长-老周", "[红包]"),
    ("2026-11-11T20:00:00+08:00", "小雨", "我决定每天拍一张"),
    ("2026-11-12T21:00:00+08:00", "老王", "有人知道滨江那边晚上好停车吗？"),
]
PLAYBOOK = """# 社团活动

## 月度夜拍

每月最后一个周五晚上 19:30 在钱塘江边集合，费用 AA，由管理员带队。

## 年度摄影展

每年十二月办一次，参展作品每人最多三张。
"""


@pytest.fixture(scope="module")
def club(tmp_path_factory: pytest.TempPathFactory, embedder):  # type: ignore[no-untyped-def]
    instance = chat_and_playbook_club(
        tmp_path_factory.mktemp("club"), embedder, CHAT, ("活动.md", PLAYBOOK), PROFILE
    )
    yield instance
    instance.close()


def test_announcement_of_a_chat_decided_event_carries_its_facts_and_no_other_events(club) -> None:  # type: ignore[no-untyped-def]
    result = club.draft("club", kind="announcement", topic="12月年末摄影展报名通知")
    text = result.text
    for fact in ("12月20日", "10:00", "星光大道文化中心", "80元", "社长-老周", "12月10日 20:00"):
        assert fact in text, fact
    # the November shoot and the monthly night shoot are other events
    for other in ("断桥", "11月14日", "钱塘江", "19:30", "方案定下来了"):
        assert other not in text, other
    assert "私信社长-老周" in text  # the organiser's "我" names them in a post the operator sends
    assert "lens8888" not in text and "？" not in text  # no spam, no member questions
    assert result.citations and all(c.source.endswith("chat.jsonl") for c in result.citations)
    assert all(f.text in text for f in result.facts)


def test_a_reminder_for_a_recurring_playbook_event_gets_the_day_from_the_topic(club) -> None:  # type: ignore[no-untyped-def]
    result = club.draft("club", kind="reminder", topic="11月27日（周五）月度夜拍提醒")
    assert result.kind == "reminder"
    assert "11月27日" in result.text and "19:30" in result.text and "钱塘江" in result.text
    assert "星光大道" not in result.text and "断桥" not in result.text
    assert any(c.source.endswith("活动.md") for c in result.citations)


def test_a_topic_with_another_date_never_takes_a_notice_of_another_run(club) -> None:  # type: ignore[no-untyped-def]
    result = club.draft("club", kind="announcement", topic="12月5日外拍")
    assert "11月14日" not in result.text and "断桥" not in result.text


def test_the_weekly_digest_leads_with_the_weeks_news_and_skips_routine_posts(club) -> None:  # type: ignore[no-untyped-def]
    result = club.draft("club", kind="digest", topic="本周回顾（11月9日—11月15日）")
    lines = result.text.splitlines()
    news = next(i for i, line in enumerate(lines) if "年末摄影展" in line)
    assert "12月20日" in lines[news] and "12月10日 20:00" in lines[news]
    answered = next(i for i, line in enumerate(lines) if "带家人" in line)
    assert news < answered and "观展免费" in lines[answered]
    assert "待解答：有人知道滨江那边晚上好停车吗？" in result.text  # nobody answered it
    for routine in ("打卡", "红包", "lens8888", "我决定", "断桥"):  # 断桥: another week's news
        assert routine not in result.text, routine
    assert result.citations and all(c.source.endswith("chat.jsonl") for c in result.citations)


def test_reminder_means_an_event_unless_the_topic_is_about_the_rules() -> None:
    assert normalize_kind("reminder", "摄影展报名即将截止") == "reminder"
    assert normalize_kind("reminder", "提醒大家遵守群规") == "rules_reminder"
    assert normalize_kind("rules", "") == "rules_reminder"
    # an event's own rules, on its day, are still the event's reminder
    assert normalize_kind("reminder", "Throwdown this Saturday — judging rules") == "reminder"
    assert normalize_kind("reminder", "Reminder of the house rules") == "rules_reminder"
    assert normalize_kind("reminder", "群规提醒：周末也不许发广告") == "rules_reminder"


def test_event_dates_and_words_are_read_as_written() -> None:
    assert calendar_days("12月5日（周六）—12月6日（周日）") == {(12, 5), (12, 6)}
    assert calendar_days("📅 November 20–29, 2026") == {(11, 20), (11, 29)}
    assert calendar_days("by Wednesday, Nov 11") == {(11, 11)}
    # the kind of post, the date and the community's own name are not what names the event
    assert event_words("12月5日线上月考提醒", "星火研途") == {"线上月考"}
    assert "毛孩子" not in event_words("12 月毛孩子市集招摊主", "成都毛孩子同城会")


def test_a_notice_of_the_sponsors_other_event_is_not_the_events() -> None:
    """'澜山烘焙会员杯测会': the chat's notice of a latte-art contest 澜山烘焙 sponsors shares
    the name; the guide's section '会员杯测会' is the event, though only its document's title
    names the roaster."""
    assert event_head("澜山烘焙會員杯測會，歡迎會員報名") == "杯测会"
    assert event_head("周六遛狗局报名提醒") == "遛狗局" and event_head("Winter lights ride") == ""
    contest = Notice(
        (
            "定咗喇：",
            "港岛拉花友谊赛",
            "日期：11月23日（星期一）晚上 7:30",
            "地点：西营盘 Bloom",
            "报名：11月16日前喺呢个 thread 留名",
            "冠军：澜山烘焙赞助咖啡豆",
        ),
        "chat",
        "chat",
    )
    cupping = Notice(
        ("时间：每个月最后一个星期四，晚上 7:00 到 9:00。", "费用：联盟会员每位 HK$120。"),
        "guide.txt",
        "playbook",
        heading="会员杯测会",
        path="澜山烘焙_杯测及课程 > 会员杯测会",
    )
    assert best_notice("澜山烘焙會員杯測會，歡迎會員報名", [contest, cupping]) is cupping
    # nor does the contest lend the cupping its details; nor does the guide's course section
    course = Notice(
        ("每个月第二个星期日下午 2:00 开始，学费 HK$880。", "地点：烘焙工场二楼，报名找周子萱"),
        "guide.txt",
        "playbook",
        heading="烘焙入门课",
        path="澜山烘焙_杯测及课程 > 烘焙入门课",
    )
    topic = "澜山烘焙會員杯測會，歡迎會員報名"
    lines = [ln for ln, _ in event_lines(cupping, [contest, cupping], topic, sections=[course])]
    assert lines == list(cupping.lines)


def test_a_saturday_events_details_leave_out_another_days_event_and_a_tables_header() -> None:
    best = Notice(("周六遛狗局：早上8点桂溪公园北门集合",), "chat", "chat")
    table = Notice(
        (
            "活动 | 频率 | 时间 | 地点 | 费用",
            "遛狗局接龙到周五晚8点截止",  # the sign-up closes on another day: kept
            "遛狗局讲座每月第二个周三晚上 20:00，腾讯会议，周医生主讲",  # another event's day
        ),
        "activities.md",
        "playbook",
        heading="遛狗局",
    )
    got = [line for line, _ in event_lines(best, [best, table], "周六遛狗局接龙即将截止")]
    assert got == ["周六遛狗局：早上8点桂溪公园北门集合", "遛狗局接龙到周五晚8点截止"]


def test_a_post_on_one_release_takes_its_row_of_the_calendar_and_no_notice_of_another() -> None:
    freeze_48 = Notice(
        ("Freeze week for 4.8 ❄️ Feature freeze is tomorrow (Tue 10 Nov) at 18:00 CET.",),
        "chat",
        "chat",
    )
    rhythm = Notice(
        ("Feature freeze on a Tuesday at 18:00 Berlin time.",),
        "release-calendar.md",
        "playbook",
        heading="Release calendar",
    )
    calendar = Notice(
        (
            "Version | Feature freeze | RC1 | String freeze | Release | Release manager",
            "4.8 | Tue 10 Nov 2026, 18:00 CET | Thu 12 Nov 2026 | Tue 24 Nov 2026 | Kofi Asante",
            "4.9 | Tue 8 Dec 2026, 18:00 CET | Thu 10 Dec 2026 | Tue 12 Jan 2027 | Ines Moreau",
        ),
        "release-calendar.md",
        "playbook",
        heading="2026–2027",
    )
    topic = "4.9 feature freeze is coming"
    best = best_notice(topic, [freeze_48, rhythm, calendar])
    assert best is not freeze_48
    assert best is not None
    shown = [line for line, _ in event_lines(best, [freeze_48, rhythm], topic, sections=[calendar])]
    assert any("8 Dec" in line for line in shown), shown
    assert not any("10 Nov" in line or "Release manager" in line for line in shown), shown


def test_a_chat_line_about_the_day_after_tomorrow_is_that_days_event_not_the_topics() -> None:
    best = Notice(("11月28日周末劳动日：上午9:00工具房门口集合，自带手套",), "chat", "chat")
    other_run = Notice(
        ("补接龙截止，拱棚劳动日一共33户，后天见",),  # said on 19 November: the 21st's run
        "chat",
        "chat",
        ts=datetime.fromisoformat("2026-11-19T20:00:00+08:00"),
    )
    topic = "11月28日周末劳动日"
    got = [line for line, _ in event_lines(best, [best, other_run], topic)]
    assert got == ["11月28日周末劳动日：上午9:00工具房门口集合，自带手套"]


def test_a_sign_up_opened_in_chat_is_the_months_notice_and_a_word_every_notice_has_is_weak() -> (
    None
):
    opened = ChatMessage(
        id="m1",
        community="c",
        author="志愿者-小林",
        ts=datetime.fromisoformat("2026-11-20T09:00:00+08:00"),
        text="12月值班表接龙开始了，大家25日前把自己的班报上，每人每月至少2次",
    )
    [roster] = chat_notices([opened], admins=["志愿者-小林"])
    dinner = Notice(
        (
            "【通知】冬季丰收宴（百家宴）",
            "时间：12月6日（周日）中午11:30",
            "地点：社区活动中心二楼多功能厅",
            "费用：每户30元",
            "报名：群里接龙，11月30日20:00截止",
        ),
        "chat",
        "chat",
    )
    lottery = Notice(
        ("抽签时间：10月31日（周六）上午10:00", "地点：工具房门口", "报名截止：10月30日，群里接龙"),
        "chat",
        "chat",
    )
    topic = "12月值班表接龙提醒"
    assert best_notice(topic, [dinner, lottery, roster]) is roster
    shown = [line for line, _ in event_lines(roster, [dinner, lottery, roster], topic)]
    assert shown == ["12月值班表接龙开始了，大家25日前把自己的班报上，每人每月至少2次"]


def test_a_notice_moving_the_event_is_the_plan_a_reminder_of_the_moved_event_carries() -> None:
    plan = Notice(
        (
            "方案定下来了：冬季搭小拱棚劳动日",
            "时间：11月14日（周六）上午9:00—11:30",
            "地点：菜园东门集合",
            "费用：每户15元材料费，当天现场交",
            "报名截止：11月12日（周四）20:00，群里接龙",
        ),
        "chat",
        "chat",
    )
    moved = Notice(
        ("【通知】明天（11月14日）中到大雨，搭拱棚劳动日延期到11月21日（周六），时间地点不变",),
        "chat",
        "chat",
    )
    topic = "搭小拱棚劳动日（已改期）提醒"
    assert "改期" not in event_words(topic)
    assert best_notice(topic, [plan, moved]) is moved
    shown = " ".join(line for line, _ in event_lines(moved, [plan, moved], topic))
    assert "11月21日" in shown and "每户15元" in shown, shown


def test_a_reminder_about_an_events_rules_carries_its_time_and_place_from_its_announcement() -> (
    None
):
    announced = Notice(
        (
            "☕ Latte Art Throwdown: Saturday 28 November, 3pm–6pm, upstairs at The Foundry Bar, "
            "62 Furnace Hill, Sheffield S3. £5 entry for competitors.",
        ),
        "chat",
        "chat",
    )
    rules = Notice(
        ("📋 Throwdown judging rules (Sat 28 Nov): two rounds, heart then tulip. 6oz cups.",),
        "chat",
        "chat",
    )
    topic = "Throwdown this Saturday — judging rules and what to bring"
    assert best_notice(topic, [announced, rules]) is rules
    shown = " ".join(line for line, _ in event_lines(rules, [announced, rules], topic))
    assert "3pm" in shown and "The Foundry Bar" in shown, shown


def test_a_digest_names_the_week_and_shows_a_decision_with_its_details() -> None:
    from copilot.skills.draft.digest import digest_items, digest_window

    rows = [
        ("2026-11-18T10:00:00+08:00", "社长-老周", "方案定下来了：年末会员作品展今年照办。"),
        ("2026-11-18T10:01:00+08:00", "社长-老周",
         "时间12月27日（周日）10:00–17:00，地点一楼展示厅。"),
        # organisers' work right after it: the turn is not news, the decision still is one
        ("2026-11-18T10:03:00+08:00", "社长-老周",
         "@阿果 @苏苏 你们俩负责海报，12月15日前发我看"),
        ("2026-11-18T10:05:00+08:00", "阿明", "太好了！"),
        ("2026-11-25T09:00:00+08:00", "阿明", "下周的事"),
    ]  # fmt: skip
    chat = _messages(rows)
    # "11 月 16—22 日": the range's first day has no 日 of its own
    since, until = digest_window("本周回顾：11 月 16—22 日", chat, "Asia/Shanghai")
    assert (since.day, until.day) == (16, 23)
    items = digest_items(chat, PROFILE, since, until, "zh")
    [decision] = [i for i in items if i.section == "decision"]
    assert "作品展" in decision.text and "12月27日" in decision.text and "展示厅" in decision.text
    assert all("下周的事" not in i.text for i in items)  # outside the week


def test_an_admins_own_plan_is_no_decision_in_the_digest() -> None:
    from copilot.skills.draft.digest import digest_items, digest_window

    rows = [
        ("2026-11-18T10:00:00+08:00", "社长-老周", "我决定下周请假一周，大家有事找小叶"),
        (
            "2026-11-18T11:00:00+08:00",
            "社长-老周",
            "决定了：12月外拍改到12月6日（周日），西湖集合。",
        ),
    ]
    chat = _messages(rows)
    since, until = digest_window("本周回顾：11月16日—22日", chat, "Asia/Shanghai")
    texts = [i.text for i in digest_items(chat, PROFILE, since, until, "zh")]
    assert not any("请假" in t for t in texts), texts
    assert any("12月6日" in t for t in texts), texts


def test_a_verdict_naming_the_event_titles_its_news_and_an_urgent_notice_is_news() -> None:
    from copilot.skills.draft.digest import digest_items, digest_window

    rows = [
        ("2026-11-18T10:00:00+08:00", "社长-老周", "方案定咗：石澳戶外日 🧗"),
        ("2026-11-18T10:01:00+08:00", "社长-老周",
         "📅 日期：11月29日（星期日）\n⏰ 時間：早上 8:30 集合\n📍 集合地點：筲箕灣站 A3 出口"),
        ("2026-11-19T09:30:00+08:00", "管理员-小叶", "收报名的表周三开，11月25日前交钱"),
        ("2026-11-20T09:00:00+08:00", "管理员-小叶",
         "重要通知📢 11月24日（星期二）全日闭馆，11月25日 12:00 照常开放"),
    ]  # fmt: skip
    chat = _messages(rows)
    since, until = digest_window("本周回顾：11月16日—22日", chat, "Asia/Shanghai")
    news = [i.text for i in digest_items(chat, PROFILE, since, until, "zh") if i.section == "news"]
    # the event's name heads its details, not "📅 日期" nor the verdict
    [outing] = [t for t in news if "A3" in t]
    assert outing.startswith("石澳戶外日"), news
    assert any("全日闭馆" in t for t in news), news


def _messages(rows: list[tuple[str, str, str]]) -> list[ChatMessage]:
    """(ISO time, author, text) rows as the chat's messages."""
    return [
        ChatMessage(id=f"m{i}", community="c", author=a, ts=datetime.fromisoformat(t), text=x)
        for i, (t, a, x) in enumerate(rows)
    ]
