"""Decisions, owners and due dates read the same way in simplified and traditional Chinese
and in English: a decision keeps the details its announcer posts next, the owner is named as
the chat writes the name, and the summary of a traditional-script community stays in its
script."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from copilot.models import ChatMessage
from copilot.skills.summarize import SummarizePorts, summarize_messages
from copilot.skills.summarize.offline import summarize_offline

TPE = ZoneInfo("Asia/Taipei")
START = datetime(2026, 3, 2, 19, 0, tzinfo=TPE)  # a Monday


def chat(*rows: tuple[int, str, str]) -> list[ChatMessage]:
    """(minutes after START, author, text)."""
    return [
        ChatMessage(id=f"m{i}", community="c", author=a, ts=START + timedelta(minutes=t), text=text)
        for i, (t, a, text) in enumerate(rows)
    ]


NIGHT_WALK = chat(
    (0, "團長-阿凱", "各位，下個月的夜遊行程定案了"),
    (1, "團長-阿凱", "日期：4月11日（週六）晚上7點\n集合：捷運劍潭站2號出口\n費用：每人150元"),
    (4, "小美", "我負責準備頭燈，週四前放到社辦"),
    (6, "團長-阿凱", "麻煩 @阿豪 週三前把保險名單整理好"),
    (20, "小芸", "我決定今年要爬完百岳"),
    (30, "團長-阿凱", "經過投票，決議：五月的活動改到合歡山，由小君帶隊"),
    (31, "副團長-小君", "好的"),
)


def test_a_decision_announced_in_traditional_script_keeps_the_details_posted_next() -> None:
    s = summarize_offline(NIGHT_WALK, admins={"團長-阿凱"}, tz="Asia/Taipei")
    walk, hike = s.decisions
    assert walk.text == "各位，下個月的夜遊行程定案了"
    assert "費用：每人150元" in walk.details
    assert (walk.on, walk.place, walk.owner) == (
        date(2026, 4, 11),
        "捷运剑潭站2号出口",
        "團長-阿凱",
    )
    assert hike.owner == "副團長-小君"  # "由小君帶隊": the member, as the chat names her
    assert all("百岳" not in d.text for d in s.decisions)  # a personal resolution


def test_traditional_script_tasks_have_their_owner_and_due_date() -> None:
    s = summarize_offline(NIGHT_WALK, admins={"團長-阿凱"}, tz="Asia/Taipei")
    assert [(a.owner, a.due_on) for a in s.action_items] == [
        ("小美", date(2026, 3, 5)),  # a commitment right after the decision
        ("阿豪", date(2026, 3, 4)),
    ]


def test_a_traditional_script_summary_is_all_in_traditional_script() -> None:
    result = summarize_messages(
        SummarizePorts(llm=None), NIGHT_WALK, language="zh-hant", admins=["團長-阿凱"]
    )
    assert result.language == "zh-hant"
    assert "**決定**" in result.markdown and "**待辦**" in result.markdown
    assert "决定" not in result.markdown and "条" not in result.markdown


MEETUP = chat(
    (0, "maria", "Quick update: we're going with the Riverside Hall for the spring meetup."),
    (1, "maria", "Date: April 18, 6:30pm. Tickets are $15, sign-ups close April 10."),
    (3, "dan", "I'll send the speaker invites by Friday."),
    (4, "maria", "@priya can you book the catering by next Tuesday?"),
    (5, "priya", "on it"),
    (20, "leo", "Decision: we'll move the newsletter to biweekly, starting March 16."),
    (21, "leo", "Sam owns the template."),
    (22, "Sam Lee", "Sounds good"),
    (30, "kim", "I've decided to quit sugar this month lol"),
    (40, "maria", "Action items: Dan to update the pricing page before EOD Thursday."),
    (41, "maria", "Tickets will go on sale next week."),
)


def test_english_decisions_carry_details_date_and_owner() -> None:
    s = summarize_offline(MEETUP, admins={"maria"}, tz="UTC")
    hall, newsletter = s.decisions
    # a detail line longer than a summary shows is split at its sentences, so nothing is cut
    assert hall.details == ["Date: April 18, 6:30pm.", "Tickets are $15, sign-ups close April 10."]
    assert (hall.on, hall.owner) == (date(2026, 4, 18), "maria")  # announced, nobody named
    assert newsletter.on == date(2026, 3, 16)
    assert all("sugar" not in d.text for d in s.decisions)


def test_english_tasks_from_minutes_requests_and_commitments() -> None:
    s = summarize_offline(MEETUP, admins={"maria"}, tz="UTC")
    assert [(a.owner, a.due_on) for a in s.action_items] == [
        ("dan", date(2026, 3, 6)),  # "I'll … by Friday" right after the decision
        ("priya", date(2026, 3, 10)),  # a request, although it ends with "?"
        ("Sam Lee", None),  # "Sam owns the template": Sam is the member "Sam Lee"
        ("dan", date(2026, 3, 5)),  # "Dan to update … before EOD Thursday"
    ]
    assert "Tickets" not in {a.owner for a in s.action_items}  # not a person in the chat


def test_a_volunteer_answering_a_call_is_a_task() -> None:
    rows = chat(
        (0, "群主-老王", "周六的烧烤谁能帮忙订车？"),
        (2, "小张", "我来订车，周五前发大家车牌号"),
        (90, "小李", "我明天去健身"),
    )
    s = summarize_offline(rows, admins={"群主-老王"})
    assert [(a.owner, a.due_on) for a in s.action_items] == [("小张", date(2026, 3, 6))]


def test_due_dates_said_as_weekend_month_end_or_ordinal_resolve() -> None:
    rows = chat(
        (0, "群主-老王", "春游方案定好了：4月12日去郊野公园"),
        (1, "群主-老王", "小李带队，周末前把名单发我"),
        (2, "群主-老王", "@阿花 月底前把照片整理好"),
        (3, "maria", "@dan can you close the books by the 20th?"),
        (4, "小李", "好"),
    )
    s = summarize_offline(rows, admins={"群主-老王", "maria"}, tz="Asia/Taipei")
    assert [d.on for d in s.decisions] == [date(2026, 4, 12)]
    assert [(a.owner, a.due_on) for a in s.action_items] == [
        ("小李", date(2026, 3, 7)),  # "小李带队": a member named before a task verb
        ("阿花", date(2026, 3, 31)),
        ("dan", date(2026, 3, 20)),
    ]


def test_an_agreement_followed_by_a_request_records_the_proposal_it_agrees_to() -> None:
    moderators = chat(
        (0, "Mia", "The AMA clashes with a holiday weekend. Should we move it?"),
        (5, "Lin", "Let's move it to the second Sunday, same time."),
        (6, "Kenji", "Agreed. Mia, can you post the announcement by Friday?"),
    )
    (decision,) = summarize_offline(moderators, admins=set(), tz="Asia/Taipei").decisions
    assert "second Sunday" in decision.text


GUILD = chat(
    (0, "Priya Nair", "Decided: new jobs-board rules from Monday 23 November."),
    (1, "Priya Nair", "Every post must state the rate and the deadline. Posts without a rate are "
                      "removed after 24 hours. Mei Chen collects complaints by Friday 20 November, "
                      "and I'll update the pinned template by Sunday 22 November."),
    (2, "Mei Chen", "On it 👍"),
    (5, "Ingrid Olsen", "Can I borrow a memoQ licence as an Associate member?"),
    (40, "Hana Sato", "What do people charge for LQA on games?"),
    (45, "Marco Bellini", "Per hour for me, £35"),
    (400, "Tomasz Wójcik", "@Ingrid sorry for the slow reply: licences are for Full members, but "
                           "agencies give a free memoQ web login for their projects."),
)  # fmt: skip


def test_a_labelled_verdict_takes_the_next_message_as_its_details_and_tasks() -> None:
    s = summarize_offline(GUILD, admins={"Priya Nair"}, tz="Europe/London")
    [rules] = s.decisions
    assert "Posts without a rate are removed after 24 hours." in rules.details
    assert [(a.owner, a.due_on) for a in s.action_items] == [
        ("Mei Chen", date(2026, 11, 20)),
        ("Priya Nair", date(2026, 11, 22)),
    ]
    assert s.action_items[1].task.startswith("I'll update the pinned template")


def test_an_answer_addressed_to_the_asker_by_first_name_hours_later_answers() -> None:
    s = summarize_offline(GUILD, admins={"Priya Nair"}, tz="Europe/London")
    listed = [q.text for q in s.open_questions + s.unanswered_questions]
    assert not any("memoQ" in q for q in listed), listed


def test_agreeing_with_a_remark_is_not_a_decision() -> None:
    rows = chat(
        (0, "Chloé Martin", "The CPD slides were great, the MTPE pricing grid especially."),
        (1, "Hana Sato", "Agreed, really useful"),
        (2, "Priya Nair", "We agreed to move the AGM to 15 January."),
    )
    assert [d.text for d in summarize_offline(rows).decisions] == [
        "We agreed to move the AGM to 15 January."
    ]
