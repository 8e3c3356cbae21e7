"""When a question counts as answered: a word every other message has links nothing, the next
turn of the conversation and a yes or a no answer, an admin's or an addressed answer that holds
an indefinite question word answers, and someone's unrelated post nearby is no reply."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from copilot.analytics.exchanges import common_words, link_questions
from copilot.analytics.health import compute_health
from copilot.models import ChatMessage
from copilot.skills.summarize.offline import summarize_offline

SH = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 6, 1, 9, 0, tzinfo=SH)


def chat(*rows: tuple[int, str, str]) -> list[ChatMessage]:
    """(minutes after START, author, text)."""
    return [
        ChatMessage(id=f"m{i}", community="c", author=a, ts=START + timedelta(minutes=t), text=x)
        for i, (t, a, x) in enumerate(rows)
    ]


# A cycling club: "骑行" is in most messages, so sharing it says nothing.
CHATTER = [
    (-600 + 10 * i, f"车友{i}", text)
    for i, text in enumerate(
        "今天骑行好累 周末骑行走起 骑行打卡第三天 早上骑行看日出 骑行回来吃面 雨天骑行小心".split()
    )
]


def answered(rows: list[tuple[int, str, str]], admins: set[str] | None = None) -> dict[str, bool]:
    return {
        e.question.text: e.answered for e in link_questions(chat(*rows), admins=admins or set())
    }


def test_a_word_the_whole_chat_uses_is_common() -> None:
    assert "骑行" in common_words(chat(*CHATTER))
    assert "头盔" not in common_words(chat(*CHATTER, (0, "a", "头盔丢了")))


def test_a_later_message_sharing_only_a_common_word_does_not_answer() -> None:
    question = (0, "小林", "骑行头盔大家推荐什么牌子")
    later = (180, "老周", "下午骑行的风真大")  # hours later, the next message: only 骑行 shared
    assert answered([*CHATTER, question, later]) == {"骑行头盔大家推荐什么牌子": False}
    on_topic = (180, "老周", "头盔我一直戴的是捷安特，轻")
    assert answered([*CHATTER, question, on_topic]) == {"骑行头盔大家推荐什么牌子": True}


def test_a_yes_or_no_and_a_me_answer_their_questions() -> None:
    got = answered(
        [
            (0, "七七", "我人在厦门，线下模考必须去吗？"),
            (4, "柚子", "不强制的，外地的可以用当月的线上月考代替"),
            (60, "阿宁", "有没有人周末一起去图书馆自习，约一下～"),
            (62, "晴天", "我在！我一般在总馆三楼"),
        ]
    )
    assert list(got.values()) == [True, True]


def test_an_addressed_answer_with_an_indefinite_question_word_answers() -> None:
    rows = [
        (0, "阿May", "请问我现在是个人版年付，想中途升到小店版，钱怎么算？"),
        (15, "客服-小安", "@阿May 按剩下的天数折算差价，在订单页点升级就能看到要补多少"),
    ]
    assert answered(rows, admins={"客服-小安"}) == {rows[0][2]: True}
    asks_back = [rows[0], (15, "客服-小安", "@阿May 你现在是哪个版本？")]
    assert answered(asks_back, admins={"客服-小安"}) == {rows[0][2]: False}


def test_an_unrelated_post_nearby_is_no_reply_but_the_next_turn_is() -> None:
    rows = [
        (0, "大伟", "你们家的茶叶能带上飞机吗？怕安检不让过"),
        (20, "老顾", "银针很清甜，毫香明显，夏天喝比较舒服"),  # someone else's tasting note
        (120, "阿忠", "今日有冇人去睇咖啡展？"),
        (125, "阿基", "嗰個係下個月先有啩"),  # the next turn, five minutes on
    ]
    report = compute_health(chat(*rows), now=START + timedelta(hours=5), tz="Asia/Shanghai")
    assert [q.text for q in report.unanswered_questions] == [rows[0][2]]
    summary = summarize_offline(chat(*rows))
    assert [q.text for q in summary.unanswered_questions] == [rows[0][2]]  # not "open" either


def test_a_signup_list_answers_nothing_and_a_shared_article_asks_nothing() -> None:
    rows = [
        (0, "小满", "年会可以带家属吗？带的话家属也是98吗"),
        (10, "小雅", "#接龙 年会 12月19日\n1. 小雅\n2. 老周"),  # a sign-up list, not an answer
        (60, "豆豆妈", "[链接] 冬天夜跑怎么穿，转给大家看看"),  # a title, not a question
        (70, "大飞", "我就是正常跑，5'10\"哪里快了，你们跟不上可以去慢组啊"),  # rhetorical
    ]
    msgs = chat(*rows)
    assert answered(rows, admins={"小雅"}) == {rows[0][2]: False}
    report = compute_health(msgs, now=START + timedelta(hours=5), admins={"小雅"})
    assert [q.text for q in report.unanswered_questions] == [rows[0][2]]
    summary = summarize_offline(msgs, admins={"小雅"})
    assert summary.faq_candidates == []  # nor is it the FAQ's answer


def test_a_plural_and_its_singular_are_the_same_word_and_a_count_answers_ji_he() -> None:
    got = answered(
        [
            (0, "Marguerite", "Are earrings ok for concerts?"),
            (
                12,
                "Ingrid",
                "Small studs only, nothing dangly. It's in the handbook under concert dress",
            ),
            (60, "小雨妈妈", "草莓每家能买几盒？想多买点送人"),
            (62, "琳琳", "表上写了每户限2盒，卖完就提前截单"),
        ]
    )
    assert got == {"Are earrings ok for concerts?": True, "草莓每家能买几盒？想多买点送人": True}


def test_the_askers_thanks_right_after_a_late_message_makes_it_the_answer() -> None:
    question = (0, "小林", "骑行今晚走哪条路线？")
    late = (50, "老周", "骑行：滨江绿道到钱塘江大桥来回")  # 50 min on, only the common 骑行 shared
    assert answered([*CHATTER, question, late]) == {"骑行今晚走哪条路线？": False}
    thanks = (52, "小林", "谢谢！")
    assert answered([*CHATTER, question, late, thanks]) == {"骑行今晚走哪条路线？": True}
    # someone else's thanks, or the asker's after another person spoke, links nothing
    others = (52, "阿宁", "谢谢老周")
    assert answered([*CHATTER, question, late, others]) == {"骑行今晚走哪条路线？": False}
    between = [(51, "阿宁", "我也去"), (53, "小林", "谢谢")]
    assert answered([*CHATTER, question, late, *between]) == {"骑行今晚走哪条路线？": False}


def test_the_askers_ok_after_the_next_message_and_a_month_shared_by_chance() -> None:
    # "好喔" right after a reply that shares no word: the asker got their answer
    question = (0, "诗涵", "周六如果下雨会改期吗？")
    reply = (2, "小绿", "FAQ 写小雨照常，改走骑楼")
    assert answered([*CHATTER, question, reply]) == {"周六如果下雨会改期吗？": False}
    assert answered([*CHATTER, question, reply, (3, "诗涵", "好喔")]) == {
        "周六如果下雨会改期吗？": True
    }
    # "perfect, thank you Priya": an acceptance may open the thanks
    parking = (0, "Luis", "Is there parking near Foundry Hall? My parents will drive in")
    garage = (6, "Priya", "There's a garage on Pine Street, $18 flat rate after 5 pm.")
    assert answered([*CHATTER, parking, garage]) == {parking[2]: False}
    assert answered([*CHATTER, parking, garage, (8, "Luis", "perfect, thank you Priya")]) == {
        parking[2]: True
    }
    # two hours on, the next message shares only a month: about something else
    asked = (0, "小蔡", "一月的会员大会可以带家人吗？")
    later = (120, "阿凯", "周末先去北投踩点，一月外拍见")
    assert answered([*CHATTER, asked, later]) == {"一月的会员大会可以带家人吗？": False}


def test_an_invitation_taken_up_and_agreed_with_a_time_is_answered() -> None:
    # 15 minutes on, "我去！" shares no word; the asker's "好，上午9点门口见" settles it
    invite = (0, "晓婷", "明天有人一起去仙湖植物园吗？听说杜鹃开了")
    taken = (16, "林林", "我去！下午冥想课之前回来")
    assert answered([*CHATTER, invite, taken]) == {invite[2]: False}
    assert answered([*CHATTER, invite, taken, (17, "晓婷", "好，上午9点门口见")]) == {
        invite[2]: True
    }
    # a bare "好，" without a plan, or with a failure, is no acceptance of an answer
    for still in ("好，那算了", "好，试了2次还是不行"):
        assert answered([*CHATTER, invite, taken, (17, "晓婷", still)]) == {invite[2]: False}


def test_a_yes_with_its_condition_a_station_for_which_stop_and_thanks_after_a_word() -> None:
    watch = (0, "一帆", "国考考场能带手表吗？")
    only = (2, "凯文", "只能带没有智能功能的指针表，电子表都不行")
    assert answered([*CHATTER, watch, only]) == {watch[2]: True}
    metro = (0, "阿源", "问下观澜大厦离哪个地铁站近？")
    station = (4, "豆包", "1号线珠江路站，3号口出来走8分钟左右")
    assert answered([*CHATTER, metro, station]) == {metro[2]: True}
    room = (0, "奶茶", "周末的自习室订好了吗？")
    aside = (3, "一一", "302，下午两点到六点")  # shares no word with the question
    assert answered([*CHATTER, room, aside]) == {room[2]: False}
    assert answered([*CHATTER, room, aside, (5, "奶茶", "那还行，谢谢")]) == {room[2]: True}


def test_thanks_that_say_it_still_fails_and_which_flavour_questions_link_nothing() -> None:
    stuck = (0, "Luis", "Why does npm install fail on my laptop?")
    tip = (3, "Priya", "Delete node_modules and the lock file, then try again")
    for still in ("not great, still broken", "还是不行，谢谢", "not ok"):
        assert answered([*CHATTER, stuck, tip, (5, "Luis", still)]) == {stuck[2]: False}, still
    flavour = (0, "小雨", "哪个口味好吃？")
    aside = (3, "阿梨", "我在地铁上，晚点说")  # "在…" is no answer to which flavour
    assert answered([*CHATTER, flavour, aside]) == {flavour[2]: False}
    metro = (0, "阿源", "离哪个地铁站近？")
    exit_ = (3, "豆包", "3号线西丽站A口")
    assert answered([*CHATTER, metro, exit_]) == {metro[2]: True}


def test_a_question_about_when_we_meet_still_asks() -> None:
    from copilot.text import is_question

    for asks in ("我们几点集合", "你们几点到", "然后几点开始", "大家帮我看看哪个好"):
        assert is_question(asks), asks
    for says in ("我们几个考教编的可以拉个小群", "国考前最后几天了，有点慌", "再看位置怎么移动"):
        assert not is_question(says), says


def test_a_late_reply_answers_its_question_and_the_same_question_of_an_asker_it_names() -> None:
    rows = chat(
        (0, "小周", "沙龙费用能开发票吗？公司能报销的话我想拉同事一起去"),
        (5, "阿峰", "早"),
        (720, "Ella", "+1，也想问沙龙能不能开票，我们财务说没发票不给报"),
        (900, "木子", "周末有人去爬山吗？"),
        (2 * 24 * 60, "老陈", "@小周 @Ella 问过场地了，可以开电子普票，签到时写抬头和税号"),
    )
    rows[-1] = rows[-1].model_copy(update={"reply_to": "m0"})  # a reply, two days on
    got = {e.question.text: e.answered for e in link_questions(rows, admins={"老陈"})}
    assert got == {
        "沙龙费用能开发票吗？公司能报销的话我想拉同事一起去": True,
        "+1，也想问沙龙能不能开票，我们财务说没发票不给报": True,  # named, asked the same
        "周末有人去爬山吗？": False,  # neither named nor on the same thing
    }


def test_wherever_is_no_question() -> None:
    assert answered([(0, "阿峰", "支持！你经验这么全，去哪都吃香")]) == {}


def test_an_admin_answers_the_member_they_name_or_the_question_just_before() -> None:
    got = answered(
        [
            (0, "老周", "工作坊那边好停车吗？我可能开车过去"),
            (5, "团团", "168块是包括材料的吗？"),
            (7, "麦子", "@团团 含材料的，当天做的都可以带走"),  # to 团团, not to 老周
            (15, "小熊", "不在杭州的同学以后会有线上版吗？"),
            (19, "老陈", "先把这一场办好，线上版后面看情况"),  # answers 小熊, just before
        ],
        admins={"麦子", "老陈"},
    )
    assert got == {
        "工作坊那边好停车吗？我可能开车过去": False,
        "168块是包括材料的吗？": True,
        "不在杭州的同学以后会有线上版吗？": True,
    }


def test_an_admin_on_the_question_half_an_hour_on_between_check_ins() -> None:
    check_ins = [(t, f"学员{t}", f"#打卡 第{t}天 今天烤了恰巴塔") for t in (2, 10, 20, 24)]
    question = (0, "云朵", "昆明海拔高，面团发得特别快，酵母要不要减？")
    admin = (31, "阿糖", "要减的，高海拔酵母减20%左右，发酵看面团状态")
    assert answered([question, *check_ins, admin], admins={"阿糖"}) == {question[2]: True}
    unrelated = (31, "阿糖", "团购名单核对完了，有3位同学地址没填")
    assert answered([question, *check_ins, unrelated], admins={"阿糖"}) == {question[2]: False}


def test_the_asker_thanking_at_the_end_of_a_reply_closes_the_question() -> None:
    rows = [
        (0, "Emily", "Quick question: does the shop ship flour to Singapore?"),
        (31, "麦子", "Sorry Emily，小铺目前只发中国大陆地区，海外暂时发不了"),
        (32, "Emily", "Ok, I'll buy locally then. Thanks!"),
    ]
    assert answered(rows) == {rows[0][2]: True}
    # strong enough to quote as the answer: the exchange is evidence, not only counted
    [strict] = link_questions(chat(*rows), late_answers=False)
    assert [a.text for a in strict.answers] == [rows[1][2]]
    still = (32, "Emily", "Ok, but it still does not work, thanks")
    assert answered([*rows[:2], still]) == {rows[0][2]: False}


def test_an_admin_speaking_to_everyone_still_answers_and_a_failed_thanks_does_not() -> None:
    question = (0, "小林", "群里可以发二手转让吗？")
    to_all = (10, "阿杰", "@所有人 群规：二手转让只能周五发，一人一条")
    assert answered([question, to_all], admins={"阿杰"}) == {question[2]: True}
    rows = [
        (0, "Emily", "Does the shop ship flour to Singapore?"),
        (40, "Dan", "Try the pinned post maybe"),
        (41, "Emily", "didn't help, thanks"),
    ]
    assert answered(rows) == {rows[0][2]: False}


def test_an_invitation_counts_as_a_question_but_is_no_open_question_for_the_organisers() -> None:
    from copilot.profile import CommunityProfile
    from copilot.skills.draft.digest import digest_items

    invite = (0, "木子", "中午有人一起吃饭吗？海上世界那边新开了一家越南粉")
    asked = (90, "Claire", "Does the changing room have hair dryers?")
    darts = (200, "Ben", "off topic but who's watching the darts tonight? 🎯")
    # asking whether anyone is around, then the question, still asks it
    refund = (300, "阿May", "有人在吗？想问下退款怎么弄")
    msgs = chat(*CHATTER, invite, asked, darts, refund)
    report = compute_health(msgs, tz="Asia/Shanghai")
    assert {q.text for q in report.unanswered_questions} == {
        invite[2],
        asked[2],
        darts[2],
        refund[2],
    }
    summary = summarize_offline(msgs, tz="Asia/Shanghai")
    listed = {q.text for q in summary.unanswered_questions + summary.open_questions}
    assert listed == {asked[2], refund[2]}
    profile = CommunityProfile(name="Club", timezone="Asia/Shanghai")
    items = digest_items(msgs, profile, START, START + timedelta(days=1), "en")
    assert [i.text for i in items if i.section == "open"] == [asked[2]]  # an English digest


def test_a_plain_yes_the_next_thing_said_answers_a_yes_no_question_after_its_context() -> None:
    got = answered(
        [
            (0, "Ana", "I'm looking for a second good first issue. can I claim two at once?"),
            (40, "Kofi", "yes, up to 2 at a time. after your third merged PR leave them"),
            (100, "Ben", "I'm after a new keyboard. Any recommendations for a quiet one?"),
            (140, "Cy", "no rain today at last"),  # no yes to a question that asks for none
        ]
    )
    assert got == {
        "I'm looking for a second good first issue. can I claim two at once?": True,
        "I'm after a new keyboard. Any recommendations for a quiet one?": False,
    }


def test_a_number_redacted_at_ingest_still_answers_how_to_call() -> None:
    got = answered(
        [
            (0, "曾老师", "工具房的座机号码多少？我想存一个"),
            (5, "老谢", "[PHONE]，值班时间才有人接"),
        ]
    )
    assert got == {"工具房的座机号码多少？我想存一个": True}


def test_the_askers_fair_enough_the_one_asked_and_a_named_person_answer() -> None:
    rows = [
        (0, "Rafael", "what's the policy on AI-generated code in PRs? saw one yesterday"),
        (15, "Priya", "it's in the FAQ: allowed, but you have to say so in the description"),
        (20, "Rafael", "fair enough"),
        (120, "Noah", "Hamburg crew: @Sofía Herrera train at 08:10 on Saturday?"),
        (125, "Sofía Herrera", "deal 🚋"),
        (300, "Diego", "the fuzzy search in the new palette is so good, who wrote it?"),
        (303, "Kofi", "@Hannah Schulz did most of the ranking code 👏"),
        (500, "Ana", "is the Thursday call recorded anywhere?"),
        (505, "Lars", "weekend plans: finishing my review queue and baking kanelbullar"),
        (506, "Ana", "nice"),
    ]
    assert answered(rows, admins={"Kofi"}) == {
        "what's the policy on AI-generated code in PRs? saw one yesterday": True,
        "Hamburg crew: @Sofía Herrera train at 08:10 on Saturday?": True,
        "the fuzzy search in the new palette is so good, who wrote it?": True,
        # Ana's "nice" is about the baking: a reaction, not the answer she waited for
        "is the Thursday call recorded anywhere?": False,
    }
