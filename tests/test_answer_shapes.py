"""Answers shaped by the evidence: chat replies (never the question), lists, scripts, languages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from copilot.retrieval.question import read_question
from copilot.service import Copilot

RULES = """# 群规
## 群名片
进群后请在 24 小时内把群名片改成“城市-昵称”，例如“杭州-木木”。
## 静默时间
每天 23:30 到次日 7:00 是静默时间，请不要在群里发消息，急事私聊管理员。
"""
# Pasted as plain text, numbered the way such articles are.
REWARDS = """积分奖励说明
积分可以兑换以下三种奖励：
1、宠物零食一份（50积分）
2、免费洗澡一次（120积分）
3、年度活动优先报名权（300积分）
"""
FEES_HANT = """# 會費說明
會費每年 99 元，入群後 7 天內可以全額退款。
"""
CHAT = [
    {
        "id": "m1",
        "ts": "2026-11-06T09:00:00+08:00",
        "author": "成都-小雨",
        "text": "请问周六的徒步在哪里集合？",
    },
    {
        "id": "m2",
        "ts": "2026-11-06T09:05:00+08:00",
        "author": "成都-老周",
        "text": "在地铁2号线龙门站B口集合，早上8点出发",
        "reply_to": "m1",
    },
    {
        "id": "m3",
        "ts": "2026-11-06T12:00:00+08:00",
        "author": "成都-阿May",
        "text": "有人知道景区停车场怎么收费吗？",
    },
    {
        "id": "m4",
        "ts": "2026-11-06T15:30:00+08:00",
        "author": "成都-小雨",
        "text": "今天的晚霞好美",
    },
]


@pytest.fixture(scope="module")
def club(tmp_path_factory: pytest.TempPathFactory, embedder) -> Copilot:  # type: ignore[no-untyped-def]
    from copilot.config import Settings

    folder = tmp_path_factory.mktemp("club")
    (folder / "群规.md").write_text(RULES, "utf-8")
    (folder / "积分奖励.txt").write_text(REWARDS, "utf-8")
    (folder / "會費.md").write_text(FEES_HANT, "utf-8")
    chat = folder / "chat.jsonl"
    chat.write_text("\n".join(json.dumps(m, ensure_ascii=False) for m in CHAT), "utf-8")
    settings = Settings(data_dir=folder / "data", llm_provider="offline", _env_file=None)  # type: ignore[call-arg]
    copilot = Copilot(settings, embedder=embedder, llm=None)
    report = copilot.ingest_paths(
        "club", [folder / "群规.md", folder / "积分奖励.txt", folder / "會費.md"]
    )
    assert not report.skipped
    copilot.ingest_paths("club", [chat], kind="chat")
    yield copilot
    copilot.close()


def test_a_question_answered_in_chat_is_answered_with_the_reply_not_the_question(club) -> None:  # type: ignore[no-untyped-def]
    result = club.ask("club", "周六徒步去哪儿集合？")
    assert not result.handoff
    assert "龙门站" in result.answer and "成都-老周" in result.answer
    assert "请问周六的徒步在哪里集合" not in result.answer
    assert "[11-06" not in result.answer  # reads as an answer, not a log line
    assert [c.source for c in result.citations] == [str(Path(result.citations[0].source))]
    assert result.citations[0].source.endswith("chat.jsonl")


def test_a_chat_question_nobody_answered_is_no_evidence(club) -> None:  # type: ignore[no-untyped-def]
    result = club.ask("club", "景区停车场是怎么收费的？")
    assert result.handoff
    assert "停车场" not in result.answer  # the old question is never quoted back as the answer


def test_a_list_question_gets_every_item_of_the_list(club) -> None:  # type: ignore[no-untyped-def]
    result = club.ask("club", "积分能换哪几种奖励？")
    assert not result.handoff
    for item in ("宠物零食", "免费洗澡", "优先报名"):
        assert item in result.answer


def test_a_traditional_source_is_quoted_in_the_askers_simplified_script(club) -> None:  # type: ignore[no-untyped-def]
    result = club.ask("club", "会费一年多少钱？")
    assert not result.handoff and "99" in result.answer
    assert "会费" in result.answer and "會費" not in result.answer


@pytest.fixture
def eager(club, embedder):  # type: ignore[no-untyped-def]
    """The same data with the handoff gate open: these tests pin how an answer is shaped,
    whatever the answerability model would decide on a three-file community."""
    settings = club.settings.model_copy(update={"handoff_threshold": 0.0})
    copilot = Copilot(settings, embedder=embedder, llm=None)
    yield copilot
    copilot.close()


def test_a_simplified_source_is_quoted_in_traditional_for_a_traditional_asker(eager) -> None:  # type: ignore[no-untyped-def]
    result = eager.ask("club", "群名片要改成什麼格式？")
    assert not result.handoff and "城市" in result.answer
    assert "暱稱" in result.answer or "昵稱" in result.answer  # 昵称 in traditional characters


def test_an_english_question_over_chinese_material_is_answered_from_it(eager) -> None:  # type: ignore[no-untyped-def]
    result = eager.ask("club", "When does the quiet time start at night?")
    assert result.language == "en" and not result.handoff
    assert "23:30" in result.answer and "(From our Chinese notes:)" in result.answer


CARDS = """# 会员卡

| 卡种 | 办卡价格 | 场费 | 权益 |
| --- | --- | --- | --- |
| 散客 | — | 39 元/次 | 无 |
| 体验卡 | 免费 | 39 元/次 | 仅限首次到店 |
| 银卡 | 199 元 | 29 元/次 | 生日当月免场费一次 |
| 金卡 | 599 元 | 19 元/次 | 每月两次免场费 |
| 黑卡 | 1299 元 | 免场费 | 可以带一位朋友半价入场 |
"""


def test_the_priciest_or_cheapest_row_of_a_table_answers_a_superlative(one_doc_answers) -> None:  # type: ignore[no-untyped-def]
    priciest = one_doc_answers("会员卡.md", CARDS, "最贵的那张卡能带朋友吗？")
    cheapest = one_doc_answers("会员卡.md", CARDS, "最便宜的那种卡怎么办？")
    assert "黑卡" in priciest and "半价" in priciest, priciest
    # a free card is the cheapest; the walk-in row has no card price at all
    assert "体验卡" in cheapest and "散客" not in cheapest, cheapest
    assert read_question("最高的折扣是多少？").extreme is None  # a discount, not a row


def test_which_kinds_a_table_lists_are_its_first_column(one_doc_answers) -> None:  # type: ignore[no-untyped-def]
    # "哪几种卡" names the column 卡种: every row's card, with its price, not one row.
    answer = one_doc_answers("会员卡.md", CARDS, "你们这边都有哪几种卡可以办？")
    for card in ("散客", "体验卡", "银卡：199 元", "金卡：599 元", "黑卡：1299 元"):
        assert card in answer, answer
    assert "半价" not in answer  # the other columns stay out of an overview
    plans = "# Memberships\n\n| Plan | Price | Includes |\n|---|---|---|\n" + "".join(
        f"| {n} | ${p} a month | {i} |\n"
        for n, p, i in (("Starter", 9, "1 seat"), ("Team", 29, "5 seats"), ("Studio", 79, "20"))
    )
    answer = one_doc_answers("plans.md", plans, "Which plans are there?")
    assert all(f"{n}: ${p}" in answer for n, p in (("Starter", 9), ("Team", 29))), answer
    assert "Studio" in answer and "seats" not in answer, answer
    # ...but "599 元那张卡有哪些权益" is about one row: that row answers, with its perks
    answer = one_doc_answers("会员卡.md", CARDS, "599 元那张卡都有哪些权益？")
    assert "每月两次免场费" in answer and "银卡" not in answer, answer


SCHEDULE = """课表

星期\t时间\t课程\t老师
周一\t19:00\t哈他瑜伽\t小林
周二\t07:30\t晨间流瑜伽\t阿杰
周二\t12:15\t午间肩颈放松\t小鹿
周二\t20:15\t阴瑜伽\t小林
周三\t19:00\t力量瑜伽\t阿杰
"""


def test_a_list_question_naming_a_cell_gets_every_row_that_holds_it(one_doc_answers) -> None:  # type: ignore[no-untyped-def]
    answer = one_doc_answers("课表.txt", SCHEDULE, "周二都有什么课？")
    assert all(c in answer for c in ("晨间流瑜伽", "午间肩颈放松", "阴瑜伽")), answer
    assert "哈他" not in answer and "力量" not in answer, answer


RATES = """RATE GUIDANCE 2026

SERVICE                      UNIT              LOW     TYPICAL   HIGH
Certified translation        per page          £35     £40       £50
Consecutive interpreting     half day (4 h)    £220    £250      £300
Consecutive interpreting     full day (8 h)    £380    £420      £500
Simultaneous interpreting    day, per seat     £550    £620      £700
"""


def test_rows_of_one_table_that_score_alike_answer_together(one_doc_answers) -> None:  # type: ignore[no-untyped-def]
    # "a morning" is the half-day row, which words cannot tell from the full-day one: both rates.
    answer = one_doc_answers(
        "rates.txt",
        RATES,
        "Roughly what do people charge for a morning of consecutive interpreting?",
    )
    assert "£250" in answer and "£420" in answer, answer
    assert "Simultaneous" not in answer and "Certified" not in answer, answer

    from datetime import datetime, timedelta, timezone

    from copilot.analytics.exchanges import link_questions
    from copilot.knowledge.chunking import chat_pieces
    from copilot.models import ChatMessage

    start = datetime(2026, 11, 20, 9, 0, tzinfo=timezone(timedelta(hours=8)))
    chat = [
        ChatMessage(id="q", community="c", author="阿May", ts=start, text="萨摩耶夏天要剃毛吗？"),
        ChatMessage(
            id="n",
            community="c",
            author="群主",
            ts=start + timedelta(hours=5),
            text="晚安各位萨摩耶家长",
        ),
    ]
    # For the health numbers the quiet channel's next message answers it...
    assert link_questions(chat)[0].answered
    # ...but as knowledge it is no answer: nothing of this chat is quotable evidence for it.
    pieces = chat_pieces(chat, max_tokens=400)
    assert not any(u.kind == "reply" for p in pieces for u in p.units)


def test_an_admins_goodnight_after_a_members_answer_is_not_the_answer() -> None:
    from datetime import datetime, timedelta, timezone

    from copilot.analytics.exchanges import link_questions
    from copilot.models import ChatMessage

    start = datetime(2026, 11, 22, 20, 30, tzinfo=timezone(timedelta(hours=8)))

    def said(i: str, author: str, minutes: int, text: str) -> ChatMessage:
        return ChatMessage(
            id=i, community="c", author=author, ts=start + timedelta(minutes=minutes), text=text
        )

    chat = [
        said("q", "雪糕", 0, "萨摩耶冬天要不要剃毛？"),
        said("a", "旺财", 10, "千万别剃，双层毛是保暖的"),
        said("g", "群主", 30, "晚安各位铲屎官[月亮]"),
        said("q2", "阿花", 40, "领养日可以带猫去吗？"),
        # an admin's reply that shares no word with the question still answers it
        said("a2", "群主", 50, "不建议，现场人多"),
    ]
    (shave, cat) = link_questions(chat, admins={"群主"})
    assert [m.id for m in shave.answers] == ["a"]
    assert [m.id for m in cat.answers] == ["a2"]
    # A member's chatter before an admin's terse answer does not take its place.
    terse = [
        said("q", "阿花", 0, "领养日可以带猫去吗？"),
        said("c", "小米", 2, "我家猫也想去哈哈"),
        said("a", "群主", 5, "不建议，现场人多"),
        said("q3", "阿May", 6, "周六活动几点开始？"),
        said("c3", "小七", 7, "周六我也去"),
        said("a3", "群主", 9, "下午三点，老地方"),
        said("q2", "Sam", 10, "Can I bring my dog to the meetup?"),
        said("c2", "Lee", 11, "my dog loves meetups lol"),
        said("a2", "群主", 12, "No, sorry, venue rules."),
    ]
    linked = [e.answers[0].id for e in link_questions(terse, admins={"群主"})]
    assert linked == ["a", "a3", "a2"]


def test_when_asks_for_a_time_only_as_the_question_word() -> None:
    # "…when you report bugs" is a clause of a definition question: no time is wanted, and a
    # passage without one must not be ranked down for it.
    f8 = read_question("What's this F8 thing everyone mentions when you report bugs?")
    assert f8.shapes == () and f8.wants_definition
    assert read_question("What perks do I get when I hit level 15?").shapes == ()
    asking = ("When is the next ride?", "When and where do we meet?", "By when?")
    for asks_time in (*asking, "Any idea when the next ride is?"):
        assert "time" in read_question(asks_time).shapes, asks_time


def test_what_time_wants_a_clock_time_which_a_day_alone_does_not_give() -> None:
    hour = read_question("中文组几点集合？")
    assert hour.shapes == ("clock",)
    assert not hour.shaped("每个月第二个星期日在国王十字集合")  # a day, no hour
    assert hour.shaped("上午 9:30 集合") and hour.shaped("早上八点出发")
    assert read_question("What time does the swap night start?").shaped("doors open 7 pm")
    # a day and an hour asked: either is a shape, both are what the answer must hold
    both = read_question("下一次 playtest 是哪天？几点开始？")
    assert set(both.shapes) == {"time", "clock"}
    assert both.missing_shapes("11月14日（周六）") == ("clock",)
    # "哪几点要注意" asks for points to mind, not for an hour
    assert read_question("第一次参加有哪几点要注意？").shapes == ()


def test_cantonese_question_words_ask_for_a_time_an_amount_or_a_place() -> None:
    assert read_question("入會一年要俾幾多錢？").shapes == ("money",)
    assert read_question("每個月嘅聚會通常喺幾時？").shapes == ("time",)
    assert read_question("要等幾耐先有牌照？").shapes == ("time",)
    assert read_question("上年比賽喺邊度搞？").shapes == ("place",)
    assert read_question("Slack 有幾多個頻道？").shapes == ("number",)


def test_an_english_venue_or_address_is_the_place_a_where_question_wants() -> None:
    where = read_question("Where is the spring concert being held?")
    assert where.shapes == ("place",)
    assert where.shaped(
        '"Rivers and Tides" - spring concert Riverside Arts Theatre, 505 Columbia St'
    )
    assert where.shaped("Grandview Heights Community Hall, upstairs")
    assert not where.shaped("Tickets: adults $30, seniors $24")


def test_a_superlative_is_answered_from_the_table_even_when_a_faq_line_scores_higher() -> None:
    from copilot.retrieval.evidence import Evidence, ScoredUnit
    from copilot.retrieval.results import Retrieval, RetrievedChunk
    from copilot.retrieval.units import Unit
    from copilot.skills.answer.offline import compose_answer

    question = "办了最贵那张卡，能带朋友一起去吗？"
    header = "卡种 | 办卡价格 | 权益"
    rows = [
        Unit("row", "卡种: 银卡；办卡价格: 199 元；权益: 生日免场费", key=header, group=0),
        Unit(
            "row",
            "卡种: 黑卡；办卡价格: 1299 元；权益: 可以带一位朋友半价入场",
            key=header,
            group=0,
        ),
    ]
    faq = Unit("qa", "可以，朋友按散客价付场费。", key="能带朋友一起来吗？")
    chunks = [
        RetrievedChunk(
            "c0", "常见问题.txt", "playbook", "", faq.text, 0.03, 0.5, 3.0, units=(faq,)
        ),
        RetrievedChunk("c1", "会员卡.md", "playbook", "", "…", 0.02, 0.4, 2.0, units=tuple(rows)),
    ]
    # The FAQ line scores highest on "带朋友"; the silver card's row is the best-scored row.
    scored = [ScoredUnit(0, 0, 5.0, {}), ScoredUnit(1, 0, 4.2, {}), ScoredUnit(1, 1, 4.0, {})]
    retrieval = Retrieval(
        question, chunks, 0.9, Evidence(scored, {}), read_question(question), True
    )
    [quote] = compose_answer(retrieval, "zh")
    assert "黑卡" in quote.text and quote.chunk == 1, quote


def test_a_faq_answer_completes_the_answer_with_what_its_own_question_does_not_say() -> None:
    from copilot.retrieval.evidence import Evidence, ScoredUnit
    from copilot.retrieval.results import Retrieval, RetrievedChunk
    from copilot.retrieval.units import Unit
    from copilot.skills.answer.offline import compose_answer
    from copilot.text import tokenize

    question = "周三晚上的语音要提前报名吗？几点开始？"
    rule = Unit("sentence", "每周三晚上 20:30 管理员在群里开语音，大约 45 分钟。")
    # The FAQ's question says nothing of signing up; its answer does.
    faq = Unit("qa", "直接点进语音就行，不用报名。", key="周三夜聊怎么参加？")
    # As stored at ingest: a unit's tokens are those of what a question is matched with.
    chunks = [
        RetrievedChunk(
            "c0",
            "活动.md",
            "playbook",
            "周三夜聊",
            rule.text,
            0.03,
            0.5,
            3.0,
            units=(rule,),
            unit_tokens=(frozenset(tokenize(rule.match_text)),),
        ),
        RetrievedChunk(
            "c1",
            "常见问题.txt",
            "playbook",
            "",
            faq.text,
            0.02,
            0.4,
            2.0,
            units=(faq,),
            unit_tokens=(frozenset(tokenize(faq.match_text)),),
        ),
    ]
    scored = [ScoredUnit(0, 0, 5.0, {}), ScoredUnit(1, 0, 4.0, {})]
    retrieval = Retrieval(
        question, chunks, 0.9, Evidence(scored, {}), read_question(question), True
    )
    quotes = compose_answer(retrieval, "zh")
    answer = "".join(q.text for q in quotes)
    assert "20:30" in answer and "不用报名" in answer, quotes


def test_a_poll_in_chat_is_no_evidence_the_decision_after_it_is() -> None:
    from datetime import datetime, timedelta, timezone

    from copilot.knowledge.chunking import chat_pieces
    from copilot.models import ChatMessage

    start = datetime(2026, 11, 10, 20, 0, tzinfo=timezone(timedelta(hours=8)))
    chat = [
        ChatMessage(
            id="poll",
            community="c",
            author="团长",
            ts=start,
            text="年底想搞一次测试赛，大家觉得12月6日周日早上怎么样？",
        ),
        ChatMessage(
            id="decided",
            community="c",
            author="团长",
            ts=start + timedelta(days=1),
            text="方案定下来了：\n测试赛 12月13日 周日 7:00\n地点：白鹭坡",
        ),
    ]
    # An admin's question is no member question waiting for an answer: it used to be kept as
    # a statement, and "12月6日" answered "when is the test race?".
    pieces = chat_pieces(chat, max_tokens=400, admins={"团长"})
    units = [u.text for p in pieces for u in p.units]
    assert not any("12月6日" in u for u in units), units
    assert any("12月13日" in u for u in units), units


def test_a_reply_that_puts_the_answer_off_is_no_answer_to_quote() -> None:
    from datetime import datetime, timedelta, timezone

    from copilot.analytics.exchanges import link_questions
    from copilot.knowledge.chunking import chat_pieces
    from copilot.models import ChatMessage

    start = datetime(2026, 11, 6, 11, 0, tzinfo=timezone(timedelta(hours=8)))

    def said(i: str, author: str, days: int, text: str, reply_to: str | None = None) -> ChatMessage:
        return ChatMessage(
            id=i,
            community="c",
            author=author,
            ts=start + timedelta(days=days),
            text=text,
            reply_to=reply_to,
        )

    for deferral in (
        "下一次在12月初，具体时间地点过几天定下来在群里通知",
        "We're picking a date this week, keep an eye on #announcements",
    ):
        chat = [
            said("q", "七七", 0, "12月那次线下模考在哪儿考？"),
            said("r", "助教", 0, deferral, reply_to="q"),
            said("d", "助教", 6, "方案定下来了：\n地点：鲁磨路知行自习室\n签到：早上7:40"),
        ]
        # Someone replied: the question is answered in the health numbers...
        assert link_questions(chat, admins={"助教"})[0].answered
        # ...but the reply is no answer to quote; the decision posted later is the evidence.
        units = [u for p in chat_pieces(chat, max_tokens=400, admins={"助教"}) for u in p.units]
        assert not any(u.kind == "reply" for u in units), units
        assert not any("在哪儿考" in u.text for u in units), units  # never the question itself
        assert any("鲁磨路" in u.text for u in units), units


def test_a_count_asked_in_a_unit_is_answered_only_by_a_number_in_that_unit() -> None:
    seats = read_question("小店版最多能加到几个人？")
    assert seats.measure == "people"
    assert seats.shaped("每个套餐最多 5 个人一起用") and seats.shaped("up to 4 players")
    # a number in another unit is not the answer: devices are not people
    assert not seats.shaped("同一个账号最多同时在 2 台设备上登录")
    sample = read_question("叶金会员每季度寄的新品小样一份有多少克？")
    assert sample.measure == "grams" and not sample.shaped("每季度第一个月寄一份新品小样")
    hours = read_question("How many CPD hours does the swap night count for?")
    assert hours.shaped("It counts for 3 hours.") and not hours.shaped("It runs on 3 December.")
    # no unit named: any quantity still has the shape
    assert read_question("每个月要值几次班？").measure is None
    assert read_question("还有多少名额？").measure is None  # 名额 is places, not people
    # a temperature or a length asked is a number in degrees or centimetres, in either language
    warm = read_question("小奶猫的房间温度要保持多少度？")
    assert warm.measure == "degrees" and warm.shaped("Keep the room at 24-26 °C")
    assert warm.shaped("水温在40℃左右") and not warm.shaped("跟自家猫分开14天")
    wide = read_question("桌子有多少厘米宽？")
    assert wide.measure == "length" and wide.shaped("宽 120 cm") and not wide.shaped("120 元")


def test_a_question_for_a_phone_number_or_a_link_needs_one_in_the_answer() -> None:
    vet = read_question("What is the phone number of the partner vet clinic?")
    assert vet.shaped("Call them on 028-6543-2107.") and vet.shaped("急救请拨打 120")
    assert not vet.shaped("The clinic opened in 2019 and is on Yulin Road.")
    form = read_question("领养申请表的填写链接在哪里？")
    assert form.shaped("申请表：https://example.org/adopt") and not form.shaped("先填申请表再面谈")
    # talking about a link or a phone call is not asking for one
    assert read_question("My link vanished the second I posted it.").shapes == ()
    assert read_question("可以打电话预约吗？").shapes == ()


WORKSHOP = """# 釉料调配工作坊

老周教大家调釉，时间定在11月21日（周六）下午两点，地点在一楼釉料间。

每人调两款釉，做12片试片，试片釉烧后两周内可以取。

报名要交的费用：会员260元，非会员320元，名额8人。
"""


def test_a_question_asking_a_day_and_a_fee_gets_both_even_when_the_day_comes_first(
    one_doc_answers,
) -> None:  # type: ignore[no-untyped-def]
    answer = one_doc_answers("工作坊.md", WORKSHOP, "老周教调釉的那个课是哪天？会员要交多少？")
    assert "11月21日" in answer and "260" in answer, answer
    assert read_question("哪天开始？多少钱？").missing_shapes("11月21日（周六）") == ("money",)


REFUNDS = """# Refunds and saves

Refunds go through Steam's normal policy: within 14 days of purchase and under 2 hours played.
We can't issue refunds from Discord.
"""


def test_a_quote_in_the_other_language_brings_its_figures_in_the_askers(one_doc_answers) -> None:  # type: ignore[no-untyped-def]
    answer = one_doc_answers("refunds.md", REFUNDS, "买了觉得不好玩，可以退款吗？有什么条件？")
    assert "Steam" in answer and answer.startswith("（以下内容摘自英文资料）"), answer
    assert "（要点：14天、2小时）" in answer, answer


def test_figures_are_written_for_a_reader_of_the_other_language() -> None:
    from copilot.skills.figures import key_figures

    assert key_figures("at 8 weeks old and at least 1 kg, up to 4 players", "zh") == [
        "8周",
        "1公斤",
        "4人",
    ]
    assert key_figures("幼猫共3针，每针间隔21天，90元/针，12月5日（周六）", "en") == [
        "21 days",
        "Saturday 5 December",
        "90 yuan",
    ]
    assert key_figures("No figures here.", "zh") == []


def test_shapes_of_a_phone_a_currency_and_a_rank_are_not_mistaken() -> None:
    clinic = read_question("诊所电话是多少？")
    assert clinic.shapes == ("phone",)  # not any count: "共有3人值班" is no phone number
    assert not clinic.shaped("共有3人值班") and not clinic.missing_shapes("0755-1234 5678")
    for not_a_phone in ("2024-11-16", "Costs 120 dollars", "120元"):
        assert not clinic.shaped(not_a_phone), not_a_phone
    assert read_question("要多少人民币？").measure is None  # 人民币 is money, not people
    seats = read_question("最多几个人？")
    assert not seats.shaped("比赛第一名") and not seats.shaped("a member of staff")
    assert not read_question("几天能到？").shaped("12月5日发货")
    assert not read_question("需要按顺序吗？").wants_list
    assert read_question("积分每个月哪几天能换？").measure is None  # which days, not how many


def test_a_question_headings_paragraph_is_quoted_once() -> None:
    # A question heading's Q/A pair holds its paragraph's words: when the paragraph's sentence
    # is the best unit and the pair its neighbour, the answer says them once.
    from copilot.retrieval.evidence import ScoredUnit
    from copilot.retrieval.results import RetrievedChunk
    from copilot.retrieval.units import Unit
    from copilot.skills.answer.offline import _sentences

    paragraph = "规范词指的是政府文件里反复出现表述固定的说法研习社要求大家每天摘抄10条"
    units = (Unit("qa", paragraph, key="规范词是什么"), Unit("sentence", paragraph))
    chunk = RetrievedChunk(
        "c", "申论.txt", "playbook", "申论", paragraph, 1.0, 0.5, 1.0, units=units
    )
    best, pair = ScoredUnit(0, 1, 4.1, {}), ScoredUnit(0, 0, 4.0, {})
    quote = _sentences([best, pair], best, chunk, "zh", read_question("每天摘抄几条？"))
    assert quote.text == paragraph, quote.text


def test_a_table_read_as_a_list_only_where_the_question_names_it(one_doc_answers) -> None:  # type: ignore[no-untyped-def]
    # a column that repeats its values (星期) names no kinds: no "1. 周一 2. 周二 3. 周二"
    answer = one_doc_answers("课表.txt", SCHEDULE, "星期三有哪些课？")
    assert "1. 周一" not in answer and "2. 周二" not in answer, answer
    # "银卡" names one row: that row, not the list of cards
    answer = one_doc_answers("会员卡.md", CARDS, "银卡有哪些权益？")
    assert "生日当月" in answer and "黑卡" not in answer, answer
    # "Mon" is a word of its own, never the start of "month"
    timetable = "# Timetable\n\n| Day | Class |\n|---|---|\n" + "".join(
        f"| {d} | {c} |\n" for d, c in (("Mon", "Wheel"), ("Mon", "Glaze"), ("Tue", "Handbuilding"))
    )
    answer = one_doc_answers("timetable.md", timetable, "What classes are there this month?")
    assert not answer.startswith("Mon"), answer
