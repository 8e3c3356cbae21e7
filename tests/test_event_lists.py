"""A list of the week's events is not the notice of one of them, a one-line notice of details
shows each detail in a summary, a summary keeps room for every section, and a 接龙 sign-up list
is read by its title, once."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from copilot.models import ChatMessage
from copilot.profile import CommunityProfile
from copilot.retrieval.results import RetrievedChunk
from copilot.skills.draft.digest import digest_items
from copilot.skills.draft.notices import (
    Notice,
    best_notice,
    chat_notices,
    event_lines,
    playbook_notices,
    section_notices,
    slots_of,
)
from copilot.skills.summarize.offline import summarize_offline


def timed(t0: datetime, rows: list[tuple[int, str, str]]) -> list[ChatMessage]:
    """(minutes after t0, author, text) rows as chat messages m0, m1, …"""
    return [
        ChatMessage(id=f"m{i}", community="c", author=a, ts=t0 + timedelta(minutes=t), text=x)
        for i, (t, a, x) in enumerate(rows)
    ]


WEEK = Notice(
    lines=(
        "📅 This week at the Hub",
        "• Soldering 101: Saturday March 21, 1–4 pm (sign-up closes Wednesday 9 pm)",
        "• Thursday: Open Build Night, 7–10 pm",
        "• Fusion 360 early bird ends March 25",
    ),
    source="chat",
    kind="chat",
    author="HubBot",
    slots=slots_of("Saturday March 21, 1–4 pm, sign-up, Thursday 7–10 pm, March 25"),
)
PLAN = Notice(
    lines=(
        "Alright, the plan for Soldering 101 is decided 🎉",
        "Soldering 101: Saturday March 21, 1:00–4:00 pm · Room B · $15 per person · run by "
        "Dmitri · sign up by Wednesday March 18, 9:00 pm",
    ),
    source="chat",
    kind="chat",
    author="Priya",
    slots=slots_of("Saturday March 21, 1:00–4:00 pm · Room B · $15 · sign up · run by Dmitri"),
)
TOPIC = "Soldering 101 workshop on Saturday March 21"


def test_the_events_own_notice_beats_a_list_of_the_weeks_events() -> None:
    assert best_notice(TOPIC, [PLAN, WEEK]) is PLAN
    assert best_notice(TOPIC, [WEEK, PLAN]) is PLAN


def test_a_list_of_events_gives_only_its_item_on_this_one() -> None:
    lines = [line for line, _ in event_lines(WEEK, [WEEK], TOPIC)]
    assert not any("Fusion" in line or "Open Build Night" in line for line in lines)
    assert any("Soldering 101" in line for line in lines)


def test_one_line_of_details_is_one_detail_each_and_every_section_keeps_room() -> None:
    t0 = datetime(2026, 3, 9, 18, 0, tzinfo=ZoneInfo("America/Toronto"))
    rows = [
        ("Priya", "Alright, the plan for Soldering 101 is decided 🎉"),
        ("Priya", PLAN.lines[1]),
        *[("Dmitri", f"I'll order kit batch {i} by Friday 13 March") for i in range(12)],
        ("Owen", "anyone have a hardened 0.4 nozzle I could borrow?"),
    ]
    msgs = [
        ChatMessage(id=f"m{i}", community="c", author=a, ts=t0 + timedelta(minutes=i), text=x)
        for i, (a, x) in enumerate(rows)
    ]
    s = summarize_offline(msgs, admins={"Priya", "Dmitri"}, tz="America/Toronto")
    assert "sign up by Wednesday March 18, 9:00 pm" in s.decisions[0].details
    markdown = s.to_markdown("en")
    assert "  - Room B\n" in markdown and "sign up by Wednesday March 18" in markdown
    assert "hardened 0.4 nozzle" in markdown  # the action items did not use up the budget


def test_the_author_promising_to_someone_addressed_owns_it_and_offering_a_day_is_no_task() -> None:
    t0 = datetime(2026, 3, 9, 18, 0, tzinfo=ZoneInfo("America/Toronto"))
    rows = [
        ("Wen", "@Rosa sorry about your slot, I'll credit you 30 minutes by Friday"),
        ("Priya", "I can do Sat March 14 or Sat March 21. Dmitri?"),
    ]
    msgs = [
        ChatMessage(id=f"m{i}", community="c", author=a, ts=t0 + timedelta(minutes=i), text=x)
        for i, (a, x) in enumerate(rows)
    ]
    s = summarize_offline(msgs, admins={"Wen", "Priya"}, tz="America/Toronto")
    assert [(a.owner, a.task) for a in s.action_items] == [
        ("Wen", "sorry about your slot, I'll credit you 30 minutes by Friday")
    ]


def _chunk(cid: str, heading: str, text: str) -> RetrievedChunk:
    return RetrievedChunk(
        chunk_id=cid, source="guide.txt", kind="playbook", heading=heading, text=text,
        score=1.0, similarity=0.5, bm25=1.0,
    )  # fmt: skip


def test_a_guide_section_named_by_its_day_is_the_events_notice_with_its_sign_up_close() -> None:
    title = "【西贡海岸越野赛 2026】组团须知"
    basics = _chunk(
        "c1",
        f"{title} > 比赛日期：2026年12月13日（星期日）",
        "起点：西贡北潭涌渡假营\n起跑时间：早上 7:30\n报名费：港币 680 元，经跑团统一报名",
    )
    closing = _chunk("c2", f"{title} > 报名截止", "经跑团报名的截止时间是 2026年11月25日 晚上 10点")
    chat_post = Notice(
        lines=("各位，西贡越野赛开始组团报名啦，想去的先看须知再接龙", "#接龙 西贡越野赛 12月13日"),
        source="chat", kind="chat", author="阿Wing",
        slots=slots_of("西贡越野赛开始组团报名啦 接龙 12月13日"),
    )  # fmt: skip
    notices = [chat_post, *playbook_notices([basics, closing])]
    topic = "12月13日西贡海岸越野赛组团报名"
    best = best_notice(topic, notices)
    assert best is not None and best.kind == "playbook"  # the guide, by its title and its day
    sections = section_notices(best, [basics, closing])
    lines = [line for line, _ in event_lines(best, notices, topic, sections=sections)]
    assert any("680" in line for line in lines)
    assert any("11月25日" in line for line in lines)  # when sign-up closes, from its section


def test_a_signup_list_is_its_title_once_and_a_spoken_guide_is_cut_into_clauses() -> None:
    t0 = datetime(2026, 11, 16, 20, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    rows = [
        ("小雅", "#接龙 周六长距离 11月21日 6:30 春茧南门\n1. 小雅"),
        ("老陈", "#接龙 周六长距离 11月21日 6:30 春茧南门\n1. 小雅\n2. 老陈 15公里"),
    ]
    msgs = [
        ChatMessage(id=f"m{i}", community="c", author=a, ts=t0 + timedelta(hours=i), text=x)
        for i, (a, x) in enumerate(rows)
    ]
    notices = chat_notices(msgs)
    assert [n.lines for n in notices] == [("#接龙 周六长距离 11月21日 6:30 春茧南门",)]
    spoken = (
        "周六长距离说明 团长语音转文字 周六长距离是早上跑的不是晚上 早上六点半在春茧南门集合 "
        "六点四十准时出发 补给费每次10块现场交给后勤 还有就是接龙截止时间是周五晚上九点 就这些"
    )
    guide = playbook_notices([_chunk("g", "周六长距离说明", spoken)])
    assert guide and "time" in guide[0].slots  # 六点半: a clock in Chinese numerals
    topic = "本周六长距离接龙提醒"
    best = best_notice(topic, [*notices, *guide])
    assert best is guide[0]  # the guide, not the sign-up list's title
    lines = [line for line, _ in event_lines(best, [*notices, *guide], topic)]
    assert "还有就是接龙截止时间是周五晚上九点" in lines


def test_a_digest_dates_an_announcement_by_its_signup_list_and_keeps_when_signup_closes() -> None:
    z = ZoneInfo("Asia/Shanghai")
    t0 = datetime(2026, 11, 9, 8, 0, tzinfo=z)
    rows = [
        (0, "阿Wing", "各位，西贡越野赛开始组团报名啦，资料放群文件了，想去的先看清楚再接龙"),
        (2, "阿Wing", "#接龙 西贡越野赛25公里 12月13日\n1. 阿Wing"),
        (30, "石头", "#接龙 西贡越野赛25公里 12月13日\n1. 阿Wing\n2. 石头"),
        (40, "Jason", "#接龙 西贡越野赛25公里 12月13日\n1. 阿Wing\n2. 石头\n3. Jason"),
        (600, "老周", "方案定下来了："),
        (601, "老周", "年终10公里测试赛：12月6日（周日）早上7:00检录，起终点在白鹭坡，会员30元，"
                      "报名接龙11月29日（周日）22:00截止。"),
    ]  # fmt: skip
    msgs = timed(t0, rows)
    profile = CommunityProfile(name="夜跑团", admins=["老周"])
    items = digest_items(msgs, profile, t0, t0 + timedelta(days=7), "zh")
    news = [i.text for i in items if i.section == "news"]
    assert any("西贡越野赛" in t and "12月13日" in t for t in news)
    assert any("12月6日" in t and "11月29日" in t for t in news)
    assert not any("石头" in t or "Jason" in t for t in news)  # never the names on the list


def test_a_digest_item_is_named_by_its_event_and_its_second_message_is_not_news_again() -> None:
    z = ZoneInfo("America/Toronto")
    t0 = datetime(2026, 3, 11, 20, 38, tzinfo=z)
    rows = [
        (0, "Priya", "Alright, the plan for Soldering 101 is decided 🎉"),
        (1, "Priya", "**Soldering 101**: Saturday March 21, 1:00–4:00 pm · Room B · $15 · "
                     "max 12 people · sign up in the thread by Wednesday March 18, 9:00 pm"),
        (3, "Priya", "📢 **Release 0.10.2 is live!**\n• Co-op: host migration\n• Fixed: a dupe"),
    ]  # fmt: skip
    msgs = timed(t0, rows)
    profile = CommunityProfile(name="Hub", admins=["Priya"])
    news = [
        i.text
        for i in digest_items(msgs, profile, t0, t0 + timedelta(days=7), "en")
        if i.section == "news"
    ]
    soldering = [t for t in news if "Soldering 101" in t]
    assert len(soldering) == 1 and soldering[0].startswith("Soldering 101: Saturday March 21")
    assert "March 18" in soldering[0]
    assert any("0.10.2" in t for t in news)  # another announcement of the same turn stays


def test_a_notice_about_next_month_with_a_deadline_this_month_is_that_months_notice() -> None:
    roster = Notice(
        lines=("12月排班接龙发了，在群公告，11月30日晚上22:00截止，每人至少报2个班",),
        source="chat",
        kind="chat",
        author="管理-小鱼干",
        slots=slots_of("12月排班接龙发了，在群公告，11月30日晚上22:00截止，每人至少报2个班"),
    )
    november = Notice(
        lines=("11月排班接龙：10月31日晚上22:00截止",),
        source="chat",
        kind="chat",
        author="管理-小鱼干",
        slots=slots_of("11月排班接龙：10月31日晚上22:00截止"),
    )
    assert best_notice("12月值班排班接龙截止提醒", [november, roster]) is roster


def test_a_digest_reports_what_the_organisers_got_done_and_keeps_the_groups_topic_word() -> None:
    z = ZoneInfo("Asia/Shanghai")
    t0 = datetime(2026, 11, 16, 9, 0, tzinfo=z)
    rows = [
        # the group's topic word opens many messages: that is no check-in
        (0, "小美", "领养的猫咪今天第一次吃罐头了，好开心"),
        (5, "阿强", "领养日那天我也去帮忙，需要带什么吗"),
        (9, "Kiki", "领养之前要准备的东西我列了一张清单"),
        (60, "管理-小鱼干", "领养日海报做好了，大家帮忙转发朋友圈～"),
        (70, "小美", "打卡 第3天"),
        (71, "阿强", "打卡 第5天"),
        (72, "Kiki", "打卡 第2天"),
        (4000, "管理-小鱼干", "今天一共做了34个保暖窝，超额完成！"),
        (4100, "小美", "我今天也做好了晚饭"),  # a member's own news, not the group's
    ]
    msgs = timed(t0, rows)
    profile = CommunityProfile(name="暖爪", admins=["管理-小鱼干"])
    items = digest_items(msgs, profile, t0, t0 + timedelta(days=7), "zh")
    assert [i.text for i in items if i.section == "done"] == [
        "领养日海报做好了，大家帮忙转发朋友圈～",
        "今天一共做了34个保暖窝，超额完成！",
    ]
    assert not any("打卡" in i.text for i in items)  # check-ins stay out


def test_a_guides_dated_section_is_the_event_its_document_title_names() -> None:
    line = "下一次：2026年12月12日（周六）上午 10:00（伦敦时间），Zoom，约 90 分钟。"
    review = Notice(
        lines=(line, "报名方式：在 Slack 私信 Mei。"),
        source="中英组术语库与CAT设置说明.txt",
        kind="playbook",
        heading="季度线上校对会",
        path="中英组（ZH↔EN）术语库与 CAT 工具设置说明 > 季度线上校对会",
        slots=slots_of(line),
    )
    coffee = Notice(
        lines=("Online Coffee: first Tuesday of every month, 08:30, on Zoom",),
        source="events.txt",
        kind="playbook",
        heading="Online Coffee",
        path="Events > Online Coffee",
        slots=slots_of("first Tuesday of every month, 08:30, on Zoom"),
    )
    assert best_notice("提醒中英组成员参加季度术语校对会", [coffee, review]) is review


def test_what_a_person_the_notice_names_says_under_it_is_part_of_it() -> None:
    t0 = datetime(2026, 11, 13, 10, 0, tzinfo=ZoneInfo("Europe/London"))

    def at(i: int, minute: int, author: str, text: str, thread: str | None = None) -> ChatMessage:
        ts = t0 + timedelta(minutes=minute)
        return ChatMessage(
            id=f"m{i}", community="c", author=author, ts=ts, text=text, thread=thread
        )

    msgs = [
        at(0, 0, "Priya Nair", "Glossary Swap Night: Thursday 3 December, 19:00, Room 2A. Mei "
                               "collects the glossaries by Monday 30 November.", thread="m0"),
        at(1, 5, "陈美玲 Mei Chen", "On it — send me your files as .xlsx or .tbx", thread="m0"),
        at(2, 6, "Leo Schmidt", "Yay, can't wait", thread="m0"),  # not named in the notice
    ]  # fmt: skip
    [notice] = chat_notices(msgs)
    assert notice.lines[-1] == "陈美玲 Mei Chen: On it — send me your files as .xlsx or .tbx"
    assert "Leo" not in notice.text


def _playbook(
    cid: str, position: int, text: str, heading: str = "Season 2026-27"
) -> RetrievedChunk:
    return RetrievedChunk(
        chunk_id=cid, source="season.txt", kind="playbook", heading=heading, text=text,
        score=1.0, similarity=0.5, bm25=1.0, position=position,
    )  # fmt: skip


def test_a_calendar_gives_the_lines_of_the_topics_days_and_no_other_event() -> None:
    """A season calendar split over two chunks: the post for the 12 and 13 December concerts
    carries both days' lines (a long line included) and no line of the spring concert."""
    first = _playbook(
        "c1", 0,
        "THU 10 DEC 2026  Dress rehearsal, St. Columba Church, 7:00 pm - 9:30 pm\n"
        'SAT 12 DEC 2026  "Winter Light" - holiday concert St. Columba Heights Church, 1120 East '
        "10th Avenue Call 5:45 pm - concert 7:30 pm Tickets: adults $28, seniors and students $22",
    )  # fmt: skip
    second = _playbook(
        "c2", 1,
        'SUN 13 DEC 2026  "Winter Light" - matinee St. Columba Heights Church Call 1:30 pm - '
        "concert 3:00 pm Tickets: same as Saturday\n"
        'SAT 13 MAR 2027  "Rivers and Tides" - spring concert Riverside Arts Theatre, '
        "Call 6:00 pm - concert 7:30 pm Tickets: adults $30",
    )  # fmt: skip
    topic = "Winter Light holiday concert tickets (Dec 12 evening and Dec 13 matinee)"
    notices = playbook_notices([first, second])
    best = best_notice(topic, notices)
    assert best is not None
    sections = section_notices(best, [first, second])
    text = "\n".join(line for line, _ in event_lines(best, notices, topic, sections=sections))
    assert "$28" in text and "3:00 pm" in text
    for other in ("Rivers and Tides", "$30", "Dress rehearsal"):
        assert other not in text


def test_a_price_list_reminder_keeps_its_products_row_and_the_note_about_it() -> None:
    table = _playbook(
        "t1", 0,
        "| 丹东99草莓 | 3斤/盒 | 68元 | 11月19日（周四）20:00 |\n"
        "| 赣南脐橙 | 10斤/箱 | 39.9元 | 11月17日（周二）20:00 |\n"
        "| 宁波水磨年糕 | 5斤/袋 | 22元 | 11月19日（周四）20:00 |",
        heading="本周团品价目表",
    )  # fmt: skip
    notes = _playbook(
        "t2", 1, "- 草莓和带鱼数量有限，草莓每户限2盒，卖完提前截单。\n- 大米每单满2袋可送到楼下。",
        heading="本周团品价目表 > 备注",
    )  # fmt: skip
    topic = "丹东草莓周四晚截单提醒"
    notices = playbook_notices([table, notes])
    best = best_notice(topic, notices)
    assert best is not None
    text = "\n".join(
        line
        for line, _ in event_lines(
            best, notices, topic, sections=section_notices(best, [table, notes])
        )
    )
    assert "68元" in text and "每户限2盒" in text
    assert "脐橙" not in text and "年糕" not in text


def test_a_digest_keeps_the_place_said_after_the_time_in_one_sentence() -> None:
    z = ZoneInfo("Asia/Shanghai")
    t0 = datetime(2026, 11, 16, 9, 0, tzinfo=z)
    rows = [
        (0, "帮手-小陈", "方案定下来了："),
        (1, "帮手-小陈", "年货团集中提货定在12月19日（周六）上午9:00—12:00，"
                        "地点是小区东门社区活动室（社区服务中心一楼），不在7幢。"
                        "年货接龙截止到12月15日（周二）20:00。"),
    ]  # fmt: skip
    profile = CommunityProfile(name="邻里团购群", admins=["帮手-小陈"])
    items = digest_items(timed(t0, rows), profile, t0, t0 + timedelta(days=7), "zh")
    [news] = [i.text for i in items if i.section == "news"]
    assert "12月19日" in news and "社区活动室" in news and "12月15日" in news
    assert "不在7幢" not in news  # an aside, no detail
