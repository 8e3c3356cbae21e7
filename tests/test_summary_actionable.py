"""Summaries an operator can act on: a decision keeps its details and owner, action items are
whole sentences with owner and due date, personal resolutions are not decisions, answered
questions are not open, check-in words are not topics, and a quarrel shows in the mood."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from copilot.analytics.exchanges import link_questions
from copilot.analytics.mood import is_insult
from copilot.models import ChatMessage
from copilot.skills.summarize.offline import summarize_offline
from copilot.text import is_question

SH = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 3, 2, 9, 0, tzinfo=SH)  # a Monday


def chat(*rows: tuple[int, str, str], **extra: dict[str, object]) -> list[ChatMessage]:
    """(minutes after START, author, text); `extra` maps an id (m<i>) to more fields."""
    return [
        ChatMessage(
            id=f"m{i}",
            community="c",
            author=author,
            ts=START + timedelta(minutes=minute),
            text=text,
            **extra.get(f"m{i}", {}),  # type: ignore[arg-type]
        )
        for i, (minute, author, text) in enumerate(rows)
    ]


DECIDED = chat(
    (0, "组长-阿宁", "大家久等了，春季徒步的方案定下来了："),
    (1, "组长-阿宁", "时间：3月14日（周六）8:00集合\n地点：龙泉山北门停车场\n费用：30元/人\n"
                    "负责人：组长-阿宁\n报名截止：3月11日 20:00"),
    (2, "组长-阿宁", "@副组长-大米 3月6日（周五）前把保险名单统计好发我；@小周 周三前确认大巴"),
    (3, "副组长-大米", "收到"),
    (5, "小林", "想了好久，我决定这次不去了，脚还没好"),
    (6, "小林", "请问要带午饭吗？"),
    (9, "小周", "要带的，山上没有卖吃的"),
    (30, "路人", "有人知道龙泉山北门停车收费吗？"),
)  # fmt: skip


def test_a_header_decision_carries_the_details_that_follow_and_its_owner() -> None:
    s = summarize_offline(DECIDED, admins={"组长-阿宁"})
    [decision] = s.decisions
    assert decision.text.startswith("大家久等了，春季徒步的方案定下来了")
    assert "费用：30元/人" in decision.details and "地点：龙泉山北门停车场" in decision.details
    assert (decision.on, decision.place, decision.owner) == (
        date(2026, 3, 14),
        "龙泉山北门停车场",
        "组长-阿宁",
    )
    markdown = s.to_markdown("zh")
    assert "\n  - 报名截止：3月11日 20:00" in markdown  # details travel with the decision


def test_action_items_are_whole_sentences_with_owner_and_deadline() -> None:
    s = summarize_offline(DECIDED, admins={"组长-阿宁"})
    assert [(a.task, a.owner, a.due_on) for a in s.action_items] == [
        ("3月6日（周五）前把保险名单统计好发我", "副组长-大米", date(2026, 3, 6)),
        ("周三前确认大巴", "小周", date(2026, 3, 4)),
    ]
    assert "截止：周三 03-04" in s.to_markdown("zh")


def test_a_decision_that_hands_out_tasks_lists_each_owner_in_the_to_do_list() -> None:
    rows = chat(
        (0, "站长-周姐", "方案定下来了："),
        (1, "站长-周姐", "12月5日在社区活动中心办领养日。分工：阿豪11月14日前跟社区签好场地，"
                        "小鱼干11月18日前出海报，预算200元；大壮12月5日开车运猫。"),
        (2, "管理-阿豪", "收到"),
        (3, "管理-小鱼干", "好的"),
        (4, "大壮", "没问题"),
    )  # fmt: skip
    s = summarize_offline(rows, admins={"站长-周姐"})
    assert [(a.owner, a.due_on) for a in s.action_items] == [
        ("管理-阿豪", date(2026, 11, 14)),
        ("管理-小鱼干", date(2026, 11, 18)),
        ("大壮", date(2026, 12, 5)),
    ]
    assert s.action_items[1].task == "小鱼干11月18日前出海报，预算200元"
    # shown in the to-do list although the decision's details hold the same sentence
    assert "（负责：管理-阿豪；截止：11月14日）" in s.to_markdown("zh")


def test_a_personal_resolution_is_not_a_group_decision() -> None:
    s = summarize_offline(DECIDED, admins={"组长-阿宁"})
    assert all("我决定" not in d.text for d in s.decisions)
    english = chat((0, "lou", "ok I've decided: I'm rebuilding my mod from scratch"))
    assert summarize_offline(english).decisions == []


def test_a_question_someone_answered_is_neither_open_nor_unanswered() -> None:
    s = summarize_offline(DECIDED, admins={"组长-阿宁"})
    listed = [q.text for q in s.open_questions + s.unanswered_questions]
    assert listed == ["有人知道龙泉山北门停车收费吗？"]  # 午饭 was answered by 小周


def test_a_reply_is_an_answer_even_with_a_question_word_in_it() -> None:
    rows = chat(
        (0, "A", "柴犬不爱喝水怎么办？"),
        (20, "B", "可以在狗粮里加点温水，或者家里多放几个水碗"),
        (30, "C", "who owns the buildings after host migration?"),
        (40, "D", "When the original host comes back they can take it back."),
        m1={"reply_to": "m0"},
        m3={"reply_to": "m2"},
    )
    assert not is_question("When the original host comes back they can take it back.")
    exchanges = link_questions(rows)
    assert [e.question.id for e in exchanges] == ["m0", "m2"]  # the replies ask nothing
    assert all(e.answered for e in exchanges)


def test_insults_are_a_conflict_in_the_mood_and_never_questions() -> None:
    rows = chat(
        (0, "A", "今天的讲座太棒了，谢谢老师"),
        (1, "B", "讲得好，有收获"),
        (2, "C", "你算老几？也配说我？"),
        (3, "D", "我排多少关你屁事，垃圾"),
        (4, "E", "nobody asked you, go cry"),
    )
    assert is_insult("你算老几？也配说我？") and not is_insult("这个垃圾分类怎么做？")
    assert link_questions(rows) == []
    mood = summarize_offline(rows, language="zh").mood
    assert (mood.label, mood.insults) == ("mixed", 3)
    assert "人身攻击" in mood.reason  # in the summary's language


def test_check_in_words_are_not_topics() -> None:
    checkins = [(i, f"学员{i}", f"打卡 ✅ 第{30 + i}天") for i in range(12)]
    talk = [
        (20, "甲", "线下模考的考场在哪个自习室？"),
        (21, "乙", "线下模考还在鲁磨路那个自习室，三楼"),
        (22, "丙", "线下模考要带准考证吗，还是只带身份证"),
        (23, "丁", "[小程序]小打卡"),
        (24, "戊", "[小程序]小打卡"),
        (25, "己", "[小程序]小打卡"),
    ]
    s = summarize_offline(chat(*checkins, *talk))
    titles = " ".join(t.title for t in s.topics)
    assert "模考" in titles
    assert "打卡" not in titles and "程序" not in titles


def test_a_session_topic_or_an_exclamation_is_not_a_question() -> None:
    rows = chat(
        (0, "茶艺师-林老师", "今晚周三茶话：白茶为什么越陈越香，8点见"),
        (1, "王女士", "拖到现在，什么破服务！"),
        (2, "小文", "白茶要存多久才算老白茶？"),
    )
    assert [e.question.text for e in link_questions(rows)] == ["白茶要存多久才算老白茶？"]


ORGANISERS = chat(
    (0, "店长", "新手套已经下单，下周一（3月9日）前到，到了我统一换"),
    (5, "店长", "直播结束啦，谢谢大家！回放3月5日前上传资料库"),
    (9, "店长", "报名到3月6日（周五）18:00截止，还没报的抓紧"),
    (60, "助理", "3月的试玩会是3月21日（周六）下午3点，这次试玩三款：《方舟动物园》、《花园物语》、"
                "《翼冠》、《璀璨宝石》，一样16人额满为止，我3月8日前会在群里开接龙"),
)  # fmt: skip


def test_an_organisers_commitment_with_a_date_is_their_task_and_the_line_shows_it() -> None:
    s = summarize_offline(ORGANISERS, admins={"店长", "助理"})
    got = {(a.owner, a.due_on): a.task for a in s.action_items}
    assert set(got) == {
        ("店长", date(2026, 3, 9)),
        ("店长", date(2026, 3, 5)),  # nobody named: the organiser publishes the replay
        ("助理", date(2026, 3, 8)),
    }  # the sign-up deadline is the members', nobody's task
    assert got[("店长", date(2026, 3, 9))].endswith("到了我统一换")
    # a long sentence keeps its subject and the commitment, not the list in between
    shown = "3月的试玩会是3月21日（周六）下午3点，我3月8日前会在群里开接龙"
    assert got[("助理", date(2026, 3, 8))] == shown
    assert "我3月8日前会在群里开接龙（负责：助理" in s.to_markdown("zh")


def test_a_passive_publish_by_a_deadline_is_the_organisers_in_english_too() -> None:
    s = summarize_offline(
        chat((0, "Dana", "Great session everyone! The slides will be posted by Friday 6 March")),
        admins={"Dana"},
    )
    assert [(a.owner, a.due_on) for a in s.action_items] == [("Dana", date(2026, 3, 6))]
    member = summarize_offline(
        chat((0, "Lee", "The slides will be posted by Friday 6 March, I heard")), admins={"Dana"}
    )
    assert member.action_items == []  # a member relaying it takes nothing on


def test_a_decision_keeps_details_from_its_thread_and_after_a_cheer() -> None:
    london = ZoneInfo("Europe/London")
    t0 = datetime(2026, 3, 2, 9, 0, tzinfo=london)

    def row(i: int, minute: int, author: str, text: str, **kw: str) -> ChatMessage:
        return ChatMessage(
            id=f"t{i}", community="c", channel="general", author=author,
            ts=t0 + timedelta(minutes=minute), text=text, **kw,
        )  # fmt: skip

    threaded = [
        row(0, 0, "Sam", "Decided: the spring meetup is on at the Old Brewery", thread="t0"),
        row(1, 2, "Sam", "Date: Saturday 21 March, 2pm\nCost: £5 on the door", thread="t0"),
    ]
    [d] = summarize_offline(threaded, tz="Europe/London").decisions
    assert "Cost: £5 on the door" in d.details
    # the weekday and its date are one date, not the next Saturday; the place ends at its line
    assert (d.on, d.place) == (date(2026, 3, 21), "the Old Brewery")
    cheered = chat(
        (0, "阿宁", "好，定了：周六去爬白云山"),
        (1, "小周", "好耶"),
        (2, "阿宁", "8点在南门集合，AA制，大概每人30元"),
    )
    [d] = summarize_offline(cheered).decisions
    assert d.details == ["8点在南门集合，AA制，大概每人30元"] and d.place == "南门"


def test_a_verdict_naming_what_was_settled_carries_its_authors_next_message() -> None:
    rows = chat(
        (0, "店长-阿栗", "方案定下来了：釉料工作坊加开一场。"),
        # details with a task for someone in them: still the decision's details
        (1, "店长-阿栗",
         "11月22日（周日）14:00–17:00，地点一楼釉料间，会员260元。@小满 今晚8点前发报名链接"),
        (2, "程程", "太好了！"),
    )  # fmt: skip
    [decision] = summarize_offline(rows, admins={"店长-阿栗"}).decisions
    assert decision.text == "方案定下来了：釉料工作坊加开一场。"
    assert any("260元" in d and "釉料间" in d for d in decision.details), decision.details


def test_one_task_given_to_two_people_is_a_to_do_for_each_and_a_deadline_to_report_is_a_task() -> (
    None
):
    rows = chat(
        (0, "店长-阿栗", "@阿果 @苏苏 你们俩负责海报和作品标签，12月15日前把初稿发我看"),
        (1, "店长-阿栗", "@大熊 展架和射灯你来盘点一下，下周三（3月11日）前告诉我缺多少"),
        (2, "阿果", "收到"),
    )  # fmt: skip
    s = summarize_offline(rows, admins={"店长-阿栗"})
    assert [(a.owner, a.due_on) for a in s.action_items] == [
        ("阿果", date(2026, 12, 15)),
        ("苏苏", date(2026, 12, 15)),
        ("大熊", date(2026, 3, 11)),
    ]
    assert s.action_items[0].task.startswith("负责海报和作品标签")


def test_a_put_down_in_a_quarrel_is_an_insult_and_an_indefinite_few_asks_nothing() -> None:
    assert is_insult("架子都满了我放哪 一个素坯而已 别这么玻璃心")
    assert is_insult("那你自己别放最外面啊 没脑子")
    assert not is_question("昨天架子满了 我把几个往里挪了一下 不好意思")
    assert is_question("这周还剩几个机位？")


def test_a_question_with_a_deadline_is_no_task_and_mentions_may_be_listed_with_commas() -> None:
    rows = chat(
        (0, "店长-阿栗", "@大熊 你周五前有空吗"),
        (1, "店长-阿栗", "@阿果、@苏苏 你们俩负责海报，3月6日前发我看"),
        (2, "店长-阿栗", "@阿果 @苏苏 你们俩谁周五前能负责签到？"),
    )
    s = summarize_offline(rows, admins={"店长-阿栗"})
    assert [(a.owner, a.due_on) for a in s.action_items] == [
        ("阿果", date(2026, 3, 6)),
        ("苏苏", date(2026, 3, 6)),
    ]
    assert not is_insult("哈哈我今天真没脑子，钥匙又忘带了")  # about oneself


def test_an_ok_before_the_verdict_still_carries_the_next_message_as_its_details() -> None:
    rows = chat(
        (0, "Elaine", "OK, decided: extra sectional for tenors and basses."),
        # details and a request in one message: the request used to keep them out
        (1, "Elaine", "Saturday March 14, 10:00 am to 12:30 pm, in Room 2 (downstairs). No charge. "
                      "Please RSVP in the thread by Thursday March 12."),
        (2, "Dev", "🎄"),
    )  # fmt: skip
    [decision] = summarize_offline(rows, admins={"Elaine"}).decisions
    assert any("Room 2" in d and "10:00 am" in d for d in decision.details), decision.details
    markdown = summarize_offline(rows, admins={"Elaine"}).to_markdown("en")
    assert "Saturday March 14, 10:00 am to 12:30 pm, in Room 2 (downstairs)." in markdown


def test_a_look_back_at_what_was_settled_is_no_decision() -> None:
    rows = chat((0, "团长-阿May", "这三周谢谢大家支持，北点开起来了，年货团也定了，12月19日见～"))
    assert summarize_offline(rows, admins={"团长-阿May"}).decisions == []
    announced = chat((0, "团长-阿May", "时间也定了：12月19日上午9点，东门活动室"))
    assert len(summarize_offline(announced, admins={"团长-阿May"}).decisions) == 1


def test_tasks_for_two_people_in_one_message_are_split_at_the_second_mention() -> None:
    rows = chat(
        (0, "团长-阿May", "@帮手-Joyce 指示牌和货架清单你3月20日前弄好哈 @7幢-老周 周六（3月7日）前"
                          "把架空层那个旧货架搬到18幢"),
        (1, "7幢-老周", "没问题"),
    )  # fmt: skip
    s = summarize_offline(rows, admins={"团长-阿May"})
    assert [(a.owner, a.due_on) for a in s.action_items] == [
        ("帮手-Joyce", date(2026, 3, 20)),
        ("7幢-老周", date(2026, 3, 7)),
    ]
    assert "旧货架" not in s.action_items[0].task


def test_a_not_a_and_le_mei_ask_and_calling_someone_sick_is_an_insult() -> None:
    assert is_question("砂糖橘甜不甜啊，去年有一批很酸")
    assert is_question("羊肉卷到了没")
    assert not is_question("不得不说这批很甜")
    assert is_insult("你是不是有毛病，一直盯着我车干嘛")
    assert is_insult("自己没素质还好意思骂人，脑子有病")


def test_an_organiser_at_work_on_something_owns_it() -> None:
    # "我在排了": the organiser is drawing up the rota, and says by when volunteers reply
    s = summarize_offline(
        chat((0, "帮手-小敏", "早安～12月的值班表我在排了，想当志愿者的邻居11月30日前私信我")),
        admins={"帮手-小敏"},
    )
    assert [(a.owner, a.due_on) for a in s.action_items] == [("帮手-小敏", date(2026, 11, 30))]
    assert s.action_items[0].task.startswith("12月的值班表")  # the greeting is no part of it
    # a member telling what they are busy with is nobody's task for the group
    member = summarize_offline(chat((0, "小林", "我在排队买票")), admins={"帮手-小敏"})
    assert member.action_items == []


def test_an_organisers_own_commitment_after_a_task_for_someone_else_is_theirs_too() -> None:
    s = summarize_offline(
        chat((0, "阿哲", "@小鱼 周五（11/13）前把报名表做好。我自己 11/18 前会去跟老板确认场地")),
        admins={"阿哲", "小鱼"},
    )
    got = {(a.owner, a.due_on) for a in s.action_items}
    assert ("阿哲", date(2026, 11, 18)) in got and ("小鱼", date(2026, 11, 13)) in got, got


def test_a_request_to_someone_mentioned_mid_sentence_is_their_task() -> None:
    s = summarize_offline(
        chat(
            (0, "Amy Liang", "Morning all!"),
            (1, "Vivian", "Sounds great. Can @Amy send the slides by Friday? I'll print them."),
        ),
        admins={"Vivian"},
    )
    assert ("Amy Liang", "Friday") in {(a.owner, a.due) for a in s.action_items}


def test_a_task_opening_on_a_members_full_name_is_theirs_and_reads_without_it() -> None:
    s = summarize_offline(
        chat(
            (0, "Amara Okafor", "I can help with the release notes this week."),
            (1, "Hannah Weiss", "@Amara Okafor could you draft the 4.8 changelog by Thursday?"),
        ),
        admins={"Hannah Weiss"},
    )
    [item] = [a for a in s.action_items if a.owner == "Amara Okafor"]
    assert item.due == "Thursday"
    assert "Okafor" not in item.task and item.task.lower().startswith("could you draft")


def test_a_who_line_gives_each_person_their_part_due_on_the_plans_day_or_as_they_reply() -> None:
    s = summarize_offline(
        chat(
            (0, "Ines Moreau", "Decision: we ship 4.7.1 as a hotfix for the sync bug (#2291)."),
            (
                1,
                "Ines Moreau",
                "When: Thursday 5 March, 10:00 CET\n"
                "Who: Kofi cuts the release, Lukas writes the fix, Hiro reviews",
            ),
            (3, "Lukas Brandt", "PR by tomorrow noon"),
            (5, "Mei Lin", "can we also ship the new zh strings?"),
            (6, "Ines Moreau", "Who: @Mei Lin and @Chen Yu review the strings by Friday 6 March"),
            (7, "Chen Yu", "ok"),
            (8, "Kofi Asante", "on it"),
            (9, "Hiro Tanaka", "my TODO notebook is 80% tidepool issues lol"),
        ),
        admins={"Ines Moreau"},
    )
    tasks = {(a.owner, a.due_on) for a in s.action_items}
    assert tasks == {
        ("Kofi Asante", date(2026, 3, 5)),
        ("Lukas Brandt", date(2026, 3, 3)),  # "by tomorrow noon", said right after
        ("Hiro Tanaka", date(2026, 3, 5)),
        ("Mei Lin", date(2026, 3, 6)),
        ("Chen Yu", date(2026, 3, 6)),
    }
    assert {a.task for a in s.action_items if a.owner == "Kofi Asante"} == {"Kofi cuts the release"}


def test_a_plan_announced_with_a_colon_and_a_call_moved_to_a_new_date_are_decisions() -> None:
    s = summarize_offline(
        chat(
            (0, "Ines", "Heads up: we're moving the March community call away from Thursday."),
            (1, "Ines", "New date: Thursday 12 March, 17:00 CET, same Jitsi room."),
            (2, "Léonie", "the 12th works for me"),
            (300, "Ines", "OK, here's the plan for the triage rotation until the holidays:"),
            (
                301,
                "Ines",
                "When: weekly shifts, handover Monday 10:00 CET\n"
                "Where: the Inbox column on the triage board",
            ),
            (310, "Noah", "ack"),
        ),
        admins={"Ines"},
    )
    texts = [" ".join([d.text, *d.details]) for d in s.decisions]
    # one decision: the move, with its new date as its detail and its day
    [moved] = [d for d in s.decisions if "moving" in d.text or "12 March" in d.text]
    assert "12 March" in " ".join(moved.details) and moved.on == date(2026, 3, 12), moved
    assert any("triage rotation" in t and "Inbox" in t for t in texts), texts


def test_an_admins_notice_of_a_change_or_an_opening_is_a_decision_a_sale_preview_is_not() -> None:
    notice = (
        "【冬令营报名开启】\n时间：1月9日—1月23日\n地点：江宁校区3楼\n价格：2680元\n"
        "报名找@助理·桃子"
    )
    rows = chat(
        (0, "周老师", notice),
        (1, "小舟", "包住宿吗？"),
        (60, "助理·桃子", "【调课通知】本周日19:30的直播改到周六（3月7日）20:00。回放照常上传。"),
        (90, "团长-阿May", "【双十二预告】车厘子12月12日只要168元！"),
        (120, "小舟", "【调课通知】周日的直播改到周六20:00"),  # a member's, not a notice
    )
    s = summarize_offline(rows, admins={"周老师", "助理·桃子", "团长-阿May"})
    assert [d.text for d in s.decisions] == [
        "【冬令营报名开启】",
        "【调课通知】本周日19:30的直播改到周六（3月7日）20:00。",
    ]
    camp = s.decisions[0]
    assert "价格：2680元" in camp.details and camp.place == "江宁校区3楼"
    assert s.decisions[1].on == date(2026, 3, 7)


def test_a_final_word_closing_a_thread_and_a_decision_for_a_week_are_decisions() -> None:
    rows = chat(
        (0, "Marcus", "Mock Interview Night: Wednesday 18 or Tuesday 24 March? Vote below"),
        (5, "Jamal", "Tuesday 24!"),
        (60, "Marcus", "Final: Mock Interview Night is Tuesday 24 March, 7:00-9:00 pm on Zoom."),
        (90, "Rosa", "Schedule decision for spring break (agreed with Dana): no live classes on "
                     "Wednesday 18 March. The project is due Friday 20 March instead."),
        (95, "Sofia", "Update: I've decided to do my capstone solo."),
    )  # fmt: skip
    s = summarize_offline(rows, admins={"Rosa", "Marcus"})
    texts = [d.text for d in s.decisions]
    assert texts[0].startswith("Final: Mock Interview Night is Tuesday 24 March")
    assert texts[1].startswith("Schedule decision for spring break")
    assert len(texts) == 2  # Sofia's resolution is her own


def test_an_english_put_down_is_an_insult_and_no_faq_but_a_coding_question_is_not() -> None:
    assert is_insult("Are you really this dense or just lazy?")
    assert is_insult("what's wrong with you")
    assert not is_insult("Are you lazy loading the images?")
    assert not is_insult("What is wrong with your code?")
    rows = chat(
        (0, "Rachel", "Why does my flex row wrap on mobile?"),
        (2, "kevin.b", "Are you really this dense or just lazy?"),
        (5, "Dana", "Kevin, that's not ok. Rachel: add flex-wrap: nowrap to the row."),
    )
    s = summarize_offline(rows, admins={"Dana"})
    assert all("dense" not in f.question for f in s.faq_candidates)
    assert s.mood.label != "positive"


def test_stand_ups_long_check_ins_and_emoji_codes_are_not_topics() -> None:
    standups = [
        (i, f"student{i}", f"today: week 8 part {i}, reading the docs :tada:\nblocker: none")
        for i in range(6)
    ]
    checkins = [
        (10 + i, f"学员{i}", f"Day{12 + i} 打卡 行测两套 正确率7{i}% 继续加油") for i in range(5)
    ]
    talk = [
        (30, "Ana", "Is the Demo Day venue confirmed? Foundry Hall?"),
        (31, "Rosa", "Yes, Foundry Hall, the Loft on the 3rd floor. Demo Day runs 6 to 9 pm."),
        (32, "Ben", "Can families come to Demo Day at Foundry Hall?"),
        (40, "Rosa", "Agenda: each team demos for 7 minutes :tada:"),
    ]
    titles = " ".join(t.title for t in summarize_offline(chat(*standups, *checkins, *talk)).topics)
    assert "foundry" in titles.lower()
    for routine in ("blocker", "none", "tada", "day1", "正确率"):
        assert routine not in titles.lower(), titles


def test_shared_openings_of_ordinary_talk_are_no_template_and_notice_edge_cases() -> None:
    from copilot.analytics.topics import routine_posts

    talk = chat(
        (0, "Ana", "https://react.dev/learn is the best intro"),
        (1, "Ben", "https://css-tricks.com has a flexbox guide"),
        (2, "Cy", "https://web.dev covers it too"),
        (3, "Dee", "请问：周六徒步几点集合？"),
        (4, "Eve", "请问：周六徒步要带午饭吗？"),
        (5, "Fay", "请问：周六徒步下雨去吗？"),
        (6, "Gus", "7pm works for me"),
        (7, "Hal", "8pm better for me"),
        (8, "Ivy", "9pm is fine"),
    )
    assert routine_posts(talk) == set()
    rows = chat(
        (0, "助理·桃子", "【调课通知】3月8日（周日）的直播，时间改到晚上20:00。"),
        (30, "团长-阿May", "【双十二报名预告】车厘子12月12日只要168元，12月14日到货！"),
        (60, "Rosa", "Heads up: I'll be offline tomorrow, back on 3 March."),
        (90, "小舟", "我觉得这样安排不太好，周日晚上大家都有空"),
        (120, "Rosa", "Heads up: the meetup moves to Room 3, Friday 6 March at 7pm."),
    )
    s = summarize_offline(rows, admins={"助理·桃子", "团长-阿May", "Rosa"})
    assert [d.text for d in s.decisions] == [
        "【调课通知】3月8日（周日）的直播，时间改到晚上20:00。",
        "Heads up: the meetup moves to Room 3, Friday 6 March at 7pm.",
    ]
    assert s.decisions[0].on == date(2026, 3, 8)  # the day named before 改到


def test_english_insults_do_not_catch_ordinary_questions() -> None:
    for fine in (
        "I want to learn to read Japanese",
        "Are you thick-skinned enough to moderate?",
        "Are you clueless about Docker? Here's a guide",
        "did you just joke about that",
    ):
        assert not is_insult(fine), fine


def test_advice_that_says_check_whether_answers_a_question_it_does_not_ask() -> None:
    assert not is_question("看店里有没有自己的版型和纹样原稿，价格低得离谱的基本就是了。")
    assert is_question("店里有没有自己的版型")


def test_the_next_message_minutes_later_that_speaks_to_a_question_answers_it() -> None:
    rows = chat(
        (0, "陈陈", "有人知道街子古镇的古银杏现在黄了没？"),
        (16, "桂子", "上周朋友去过，说刚开始黄，再过一个月应该正好"),
    )
    [exchange] = link_questions(rows)
    assert exchange.answered and exchange.answers[0].author == "桂子"


def test_an_admin_opening_a_sign_up_with_its_details_is_a_decision_and_so_is_its_p_s() -> None:
    rows = chat(
        (0, "青禾", "十一月雅集接龙开啦！11月15日（周日）14:00—17:30，"
                    "浣花溪公园万竹茶寮，茶位35元现场付。"),
        (1, "青禾", "另外这次加一个香囊手作环节，想做的在接龙名字后面写“香囊”，当天交给我。"),
        (3, "小满", "接了！"),
    )  # fmt: skip
    [decision] = summarize_offline(rows, admins={"青禾"}).decisions
    assert decision.on == date(2026, 11, 15)
    assert any("香囊" in d for d in decision.details), decision.details


def test_a_plan_set_for_a_day_and_place_is_decided_but_my_own_day_is_not() -> None:
    rows = chat(
        (0, "青禾", "本周六外拍定在新都桂湖公园，9:00东门集合，限12人。"),
        (5, "小满", "我定在周五把作业交了"),
    )
    s = summarize_offline(rows, admins={"青禾"})
    assert [d.text[:12] for d in s.decisions] == ["本周六外拍定在新都桂湖公园"[:12]]


def test_a_long_notice_keeps_its_labelled_lines_before_the_rest_of_its_sentences() -> None:
    rows = chat(
        (0, "社长", "【活动公告】冬至·古镇行\n"
                   "冬至前的那个周日，我们包一辆大巴去古镇过冬至：\n"
                   "日期：12月20日（周日）\n"
                   "集合：07:30 人民公园东门，准时发车；约18:00回到人民公园\n"
                   "费用：128元/人，含往返大巴和午饭；古镇不收门票\n人数：限40人\n"
                   "报名：私聊云岫交50元定金，余款在12月13日（周日）前交齐"),
    )  # fmt: skip
    [decision] = summarize_offline(rows, admins={"社长"}).decisions
    assert any(d.startswith("报名：") and "12月13日" in d for d in decision.details), (
        decision.details
    )
    assert "约18:00回到人民公园" not in decision.details  # the rest of a line gives way first


def test_owners_are_the_members_a_nickname_names_and_never_oneself() -> None:
    rows = chat(
        (-5, "高新-老周-2018", "今天光线真好"),
        (0, "青禾", "今天外拍结束，辛苦各位！这次返图由老周汇总，11月28日（周六）前传群相册"),
        (2, "锦江-阿鲤-2019", "这次的原片我和老周一起修，下周五（13号）之前一定传完"),
        (4, "青禾", "明早9:00北门集合，迟到15分钟以上请自己联系组长哦"),
    )
    actions = summarize_offline(rows, admins={"青禾"}).action_items
    owners = {a.owner for a in actions}
    assert {"高新-老周-2018", "锦江-阿鲤-2019"} <= owners, actions
    assert "自己" not in owners


def test_a_rule_the_organisers_set_is_decided_and_one_still_to_be_set_is_not() -> None:
    rows = chat(
        (0, "馆主", "两位都先消消气。占位的事我们商量一下，明天给大家一个统一的规矩"),
        (60, "馆主", "关于铺垫子的规矩：从3月16日（周一）起，团课开课前15分钟才开放教室铺垫子。"),
        (90, "前台", "提前说一下：下周清明假期的营业时间和课表，定下来以后在群里通知大家"),
    )
    s = summarize_offline(rows, admins={"馆主", "前台"})
    [decision] = s.decisions
    assert decision.text.startswith("关于铺垫子的规矩") and decision.on == date(2026, 3, 16)


def test_a_teachers_promise_by_a_date_with_its_weekday_in_brackets_is_an_action_item() -> None:
    rows = chat((0, "教练-阿杰", "报名工作坊的同学：我4月1日（周三）前会在群里发一个热身视频"))
    [action] = summarize_offline(rows, admins=set()).action_items
    assert (action.owner, action.due_on) == ("教练-阿杰", date(2026, 4, 1))


def test_what_an_apostrophe_leaves_of_ill_and_weve_is_never_a_topic() -> None:
    rows = chat(
        (0, "Ann", "I'll bring the mats, we've got 2 spare ones"),
        (1, "Bo", "I'll bring the mats too, we've got 3 spare ones"),
        (10, "Cy", "They're fine, I'll check the mats at 6"),
        (11, "Di", "They're fine, I'll check the mats at 7"),
    )
    topics = summarize_offline(rows, admins=set()).topics
    words = {w for t in topics for w in t.keywords}
    assert "mats" in words and not words & {"ll", "ve", "re"}, words


def test_what_someone_may_fail_to_do_is_no_action_item() -> None:
    rows = chat(
        (0, "德阳-栀栀", "请问衣橱可以把衣服寄到德阳吗？我周末不一定能来成都取"),
        (1, "Sam", "I might not make it by Friday, sorry"),
        (2, "德阳-栀栀", "我周六去取衣服"),
    )
    actions = summarize_offline(rows, admins=set()).action_items
    assert [a.task for a in actions] == ["我周六去取衣服"], actions


def test_a_cantonese_verdict_carries_its_details_and_the_deadline_beats_the_head_count() -> None:
    rows = chat(
        (0, "Kelvin 館長", "方案定咗：石澳戶外抱石日 🧗"),
        (
            1,
            "Kelvin 館長",
            "📅 日期：11月15日（星期日）\n⏰ 時間：早上 8:30 集合\n📍 集合地點：筲箕灣站 A3 出口\n"
            "💰 費用：會員 HK$250\n🧗 帶隊：Coach Ben\n👥 名額：12 人\n"
            "✍️ 報名：搵 Cherry，11月11日截止",
        ),
    )
    s = summarize_offline(rows, admins={"Kelvin 館長"}, language="zh")
    (decision,) = s.decisions
    assert "石澳" in decision.text
    shown = " ".join(decision.details)
    assert "11月11日截止" in shown and "8:30" in shown and "A3" in shown
    assert "名額" not in shown  # seven lines, six shown: the head count gives way


def test_a_rule_agreed_from_a_day_on_is_decided_and_so_is_a_promise_before_reopening() -> None:
    rows = chat(
        (0, "Kelvin 館長", "同大家講定：由星期一（3月9日）起，平日 19:00–22:00，"
                           "同一條線連續試3次就要讓下一位。"),
        (60, "Kelvin 館長", "From Monday 16 March, the wall closes at 21:00 on weekdays."),
        (120, "Marco 定線師", "我會喺3月11日（星期三）重開之前，將新線難度表 post 上 IG 📋"),
        (180, "阿峰", "我哋講定咗未？"),
    )  # fmt: skip
    s = summarize_offline(rows, admins={"Kelvin 館長"}, language="zh")
    assert [d.text[:6] for d in s.decisions] == ["同大家講定：", "From M"], s.decisions
    assert s.decisions[0].on == date(2026, 3, 9)
    [action] = s.action_items
    assert (action.owner, action.due_on) == ("Marco 定線師", date(2026, 3, 11))


def test_the_details_of_a_decision_are_not_listed_again_as_a_decision_of_their_own() -> None:
    rows = chat(
        (0, "团长", "定了：北区加一个提货点"),
        (1, "团长", "从3月9日（周一）起，15—20幢的邻居可以在18幢南门提货，"
                    "时间是到货当天17:00—19:30。"),
    )  # fmt: skip
    [decision] = summarize_offline(rows, admins={"团长"}, language="zh").decisions
    assert decision.text == "定了：北区加一个提货点" and "18幢南门" in decision.details[0]
