"""Answers read from the source's structure: a list packed into several chunks, a sentence that
introduces a list, a sentence that names a section's list by its title, a chat announcement
posted as a header message and a details message."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from copilot.retrieval.question import read_question
from copilot.retrieval.units import announces_list
from copilot.service import Copilot

# Plain text pasted from a shared doc: the sentence introducing the steps comes first, the
# steps follow under their own heading, long enough to fill more than one chunk.
GUIDE = """新人须知
欢迎加入晨读会！请按顺序做完下面6步，就算正式入会了。
一、入会流程
1、扫码进群后，申请时备注报名订单号的后四位，管理员核对以后会通过你的申请。
2、进群后二十四小时之内把群昵称改成“城市-名字-晨读第几期”，方便大家互相认识。
3、填写群公告里置顶的读书计划表，写清楚这一期想读的书和每天能读多少页。
4、下载打卡小程序“晨读打卡”，加入本期圈子，当天完成第一次打卡并写一句感想。
5、在群里发一段自我介绍，说说你在哪座城市、喜欢什么书、为什么想参加晨读。
6、去群文件下载新人资料包，里面有往期书单、打卡模板和常见问题的整理。
二、常见问题
周末也要打卡，但可以晚一小时。
"""
# A sentence that names the lists of the sections after it.
SAFETY = """徒步安全守则
领队们商量以后，把安全要求整理成“四个必须”和“两种取消情况”，每位队员都要遵守。
一、四个必须
1、必须穿防滑的登山鞋，不穿运动凉鞋。
2、必须带够一升以上的饮用水。
3、必须跟紧收队的领队，不能独自离队。
4、必须提前把紧急联系人告诉领队。
二、两种取消情况
1、气象台发布暴雨黄色预警。
2、报名不足八人。
"""

# "方案定下来了：" then the details a minute later: one announcement.
CHAT = [
    {
        "id": "c1",
        "ts": "2026-11-30T10:00:00+08:00",
        "author": "领队-阿山",
        "text": "方案定下来了：",
    },
    {
        "id": "c2",
        "ts": "2026-11-30T10:01:00+08:00",
        "author": "领队-阿山",
        "text": "12月冬季夜爬·宝石山\n时间：12月19日（周六）18:30集合\n"
        "地点：保俶路宝石山入口\n费用：20元/人，含头灯租借\n报名：12月16日20:00截止",
    },
    {"id": "c3", "ts": "2026-11-30T10:05:00+08:00", "author": "队员-小白", "text": "报了！"},
]


@pytest.fixture(scope="module")
def club(tmp_path_factory: pytest.TempPathFactory, embedder) -> Copilot:  # type: ignore[no-untyped-def]
    from copilot.config import Settings

    folder = tmp_path_factory.mktemp("lists")
    (folder / "新人须知.txt").write_text(GUIDE, "utf-8")
    (folder / "徒步安全守则.txt").write_text(SAFETY, "utf-8")
    settings = Settings(  # type: ignore[call-arg]
        data_dir=folder / "data",
        llm_provider="offline",
        chunk_tokens=120,  # the six steps do not fit one chunk
        handoff_threshold=0.0,  # these tests pin the answer's shape, not the gate
        _env_file=None,
    )
    copilot = Copilot(settings, embedder=embedder, llm=None)
    assert not copilot.ingest_paths(
        "club", [folder / "新人须知.txt", folder / "徒步安全守则.txt"]
    ).skipped
    yield copilot
    copilot.close()


@pytest.fixture(scope="module")
def hikers(tmp_path_factory: pytest.TempPathFactory, embedder) -> Copilot:  # type: ignore[no-untyped-def]
    from copilot.config import Settings

    folder = tmp_path_factory.mktemp("hikers")
    chat = folder / "chat.jsonl"
    chat.write_text("\n".join(json.dumps(m, ensure_ascii=False) for m in CHAT), "utf-8")
    settings = Settings(  # type: ignore[call-arg]
        data_dir=folder / "data", llm_provider="offline", handoff_threshold=0.0, _env_file=None
    )
    copilot = Copilot(settings, embedder=embedder, llm=None)
    copilot.ingest_paths("hikers", [chat], kind="chat")
    yield copilot
    copilot.close()


def test_a_list_split_over_chunks_is_answered_whole_and_in_order(club: Copilot) -> None:
    steps = club.retriever.search("club", "入会要做哪几步？")
    assert len({c.chunk_id for c in steps.chunks if "入会流程" in c.heading}) >= 1
    result = club.ask("club", "新人入会要做完哪几件事？")
    answer = result.answer
    wanted = ["订单号", "群昵称", "读书计划表", "晨读打卡", "自我介绍", "资料包"]
    assert all(w in answer for w in wanted), answer
    assert [answer.index(w) for w in wanted] == sorted(answer.index(w) for w in wanted)
    assert "周末也要打卡" not in answer  # the next section is not part of the list


def test_a_sentence_that_names_a_list_is_answered_with_that_list(club: Copilot) -> None:
    answer = club.ask("club", "参加徒步必须做到的有哪几条？").answer
    for item in ("登山鞋", "饮用水", "收队", "紧急联系人"):
        assert item in answer, answer
    assert "暴雨" not in answer  # the other list the sentence names has two items, not four


# A rule list whose last item introduces a sub-list of duties, numbered in another style.
DUTIES = """值班规则
1、每位志愿者每月至少值班两次，每班四个小时。
2、临时不能来，最晚提前一天在群里说明。
3、值班内容：
（1）清理猫砂盆，每班至少一次；
（2）按喂食表称量喂食；
（3）给猫碗换水；
（4）填写值班记录本。
"""


def test_an_item_with_a_sub_list_brings_the_sub_list_into_the_answer(one_doc_answers) -> None:  # type: ignore[no-untyped-def]
    answer = one_doc_answers("值班规则.txt", DUTIES, "值班规则有哪几条？")
    for duty in ("猫砂盆", "喂食表", "换水", "值班记录本"):
        assert duty in answer, answer
    assert answer.index("值班内容") < answer.index("猫砂盆")  # under the item that lists them


def test_a_question_names_how_many_items_it_wants() -> None:
    assert read_question("社群的五个核心要素是什么？").count == 5
    assert read_question("What are the three roles?").count == 3
    # a month, a clock time and "one" are not list sizes
    assert read_question("一个月能补几次？").count is None
    assert read_question("12个月以后还能退吗？").count is None
    assert not read_question("一个月能补几次？").wants_list


def test_what_something_is_used_for_is_asked_about_that_thing() -> None:
    # "用来做什么" asks for a purpose: "用来" is part of the question, not a word the knowledge
    # must contain (counted as unknown, it handed off the demo's 积分可以用来做什么？).
    assert read_question("积分可以用来做什么？").content == frozenset({"积分"})
    assert "用来" not in read_question("群文件用来放什么？").content


def test_a_sentence_introduces_a_list_only_when_the_list_is_not_inline() -> None:
    assert announces_list("社群运营具有以下几个特点：")
    assert announces_list("请按顺序做完下面6步，就算正式入会了。")
    assert not announces_list("运营管理建立以下四感：仪式感、参与感、组织感及归属感。")
    assert not announces_list("周末也要打卡，但可以晚一小时。")


def test_the_answer_cites_the_document_the_list_comes_from(club: Copilot) -> None:
    result = club.ask("club", "新人入会要做完哪几件事？")
    assert result.citations and Path(result.citations[0].source).name == "新人须知.txt"


def test_a_chat_announcement_answers_with_the_lines_the_question_asks_for(hikers: Copilot) -> None:
    answer = hikers.ask("hikers", "12月的夜爬是哪天几点、在哪里集合？").answer
    assert "领队-阿山" in answer and "冬季夜爬" in answer
    assert "18:30" in answer and "宝石山入口" in answer, answer
    assert "报了！" not in answer  # another member's reply is not part of the announcement


def test_a_list_question_over_an_announcement_gets_every_line(hikers: Copilot) -> None:
    answer = hikers.ask("hikers", "12月夜爬的安排都有哪些？").answer
    for line in ("18:30", "宝石山入口", "20元", "12月16日"):
        assert line in answer, answer


# Release notes: the parent section gets an overview chunk that lists its sub-headings, and a
# question about one release names that sub-heading in other words than "what are".
PATCH_NOTES = """# Harbour Town patch notes

## 2.1.0 (2026-11-02) - the Lantern Update

- New: night markets every in-game Friday.
- New: a lighthouse you can climb for a view of the whole bay.
- Changed: rain now slows down carts.

## 2.0.0 (2026-09-14) - the Orchard Update

- New: apple trees and a cider press.
- New: a weekly farmers' market.
"""


def test_a_sub_heading_found_in_an_overview_is_answered_with_its_section(one_doc_answers) -> None:  # type: ignore[no-untyped-def]
    answer = one_doc_answers("patch-notes.md", PATCH_NOTES, "What did the Lantern Update bring?")
    for item in ("night markets", "lighthouse", "rain"):
        assert item in answer, answer
    assert "apple" not in answer  # another release's notes
    assert not answer.startswith("2.1.0 (2026-11-02) - the Lantern Update[")  # not the title alone


def test_enumerating_wordings_ask_for_a_list() -> None:
    assert read_question("10月19号那次更新都改了啥？").wants_list
    assert read_question("报名都要带什么？").wants_list
    assert read_question("What did the Lantern Update add?").wants_list
    assert read_question("What does the membership include?").wants_list
    # "都…什么时候" asks for a time, "什么意思" for a meaning
    assert not read_question("都是什么时候开始？").wants_list
    assert not read_question("这都是什么意思？").wants_list
    for single in (
        "日本的首都是什么？",  # 都 of a place name
        "活动都为什么取消了？",
        "它们都有什么区别？",
        "What do I click to add a member?",  # how to, not what was added
        "What did they change the meeting time to?",
    ):
        assert not read_question(single).wants_list, single


TRAITS = (
    "社群的五个特征\n\n"
    "很多人都进过各种各样的群，可是真正让人留下来的群并不多。"
    "我们在带群的几年里总结出好社群有五个特征。"
    "分别是同好、结构、输出、运营、复制。"
    "下面一个一个来讲，先从最基础的说起。\n"
)


def test_a_list_held_inline_in_the_next_sentence_is_part_of_the_answer(one_doc_answers) -> None:  # type: ignore[no-untyped-def]
    answer = one_doc_answers("特征.txt", TRAITS, "好的社群具备哪五个特点？")
    assert all(trait in answer for trait in ("同好", "结构", "输出", "运营", "复制")), answer


def test_inline_items_counts_short_items_not_prose() -> None:
    from copilot.retrieval.units import inline_items

    assert inline_items("分别是同好、结构、输出、运营、复制。") == 5
    assert inline_items("分别是同好、结构、输出、运营和复制。") == 5  # 和 joins the last one
    assert inline_items("The ladder is a warning, a timeout, a ban and a permanent ban.") == 4
    assert inline_items("我们今天去了公园，然后吃了饭，很开心。") == 0
    assert inline_items("In the morning we met at the station, and then walked by the river.") == 0


STRIKES = (
    "# Server rules\n\n## Strikes\n\nWe use a strike system. Strikes expire after 90 days.\n\n"
    "- 1st strike: a written warning from a moderator.\n- 2nd strike: a 24-hour timeout.\n"
    "- 3rd strike: a 7-day ban.\n- 4th strike: permanent ban.\n\n"
    "Scams and hate speech skip the ladder and get an immediate permanent ban.\n"
)


def test_a_sentence_about_a_list_brings_the_whole_list_not_its_tail(one_doc_answers) -> None:  # type: ignore[no-untyped-def]
    answer = one_doc_answers("rules.md", STRIKES, "What's the punishment ladder here?")
    assert all(s in answer for s in ("warning", "24-hour", "7-day", "permanent")), answer


HOURS = (
    "营业时间与订位\n\n"
    "营业时间（周二店休）：\n"
    "周一、周三、周四  14:00 - 23:00\n"
    "周五、周六        14:00 - 次日 02:00\n"
    "周日              12:00 - 23:00\n\n"
    "订位请在小程序里选日期和人数，包间必须提前一天订。\n"
)


def test_lines_of_a_table_without_header_are_answered_apart_not_glued(one_doc_answers) -> None:  # type: ignore[no-untyped-def]
    answer = one_doc_answers("营业时间.txt", HOURS, "店里每天几点开门，几点关门？")
    for line in ("14:00 - 23:00", "14:00 - 次日 02:00", "12:00 - 23:00"):
        assert line in answer, answer
    assert "23:00周" not in answer and "02:00周" not in answer, answer


# Five numbered steps, split by two sub-titles: the numbering goes on from ② to ③.
STEPS = (
    "新人入群五步走\n\n"
    "我们把新人入群拆成了五步，每一步都有人跟，下面就是现在的做法。\n\n"
    "一、入群前：填问卷、验疫苗\n"
    "① 扫码以后，先填一份入群问卷，写清楚养的是猫还是狗。\n"
    "② 养狗的群友要私信管理员发一张疫苗本的照片。\n\n"
    "二、入群后：三件事\n"
    "③ 进群一天之内，把群昵称改成区域加宠物名。\n"
    "④ 三天之内在群里发一段自我介绍，再配一张毛孩子的照片。\n"
    "⑤ 第一次参加遛狗局时，会有一位志愿者一对一带着你。\n"
)


def test_a_numbered_list_that_goes_on_across_sub_titles_is_answered_whole(one_doc_answers) -> None:  # type: ignore[no-untyped-def]
    answer = one_doc_answers("五步.txt", STEPS, "新人进群要走哪些步骤？")
    for step in ("问卷", "疫苗本", "群昵称", "自我介绍", "志愿者"):
        assert step in answer, answer


def test_an_order_or_a_rota_is_asked_as_a_list() -> None:
    assert read_question("进站以后各个房间按什么顺序进？").wants_list
    assert read_question("周日晚上的答疑怎么排的？").wants_list
    assert read_question("In what order do I visit the rooms?").wants_list
    assert not read_question("订单什么时候发货？").wants_list


# A handbook whose opening sentence names its own sections: it matches every question about
# any of them and answers none.
HANDBOOK = """# Ringers' handbook

This page covers the basics: practice nights, clothing, gloves and tower etiquette.
Ask Morwenna if anything is unclear.

## Practice nights

We ring every Thursday from 7:30 to 9:00 pm in the tower of St Piran's.

## Clothing

Wear flat shoes with soft soles and nothing with loose sleeves that can catch a rope.

## Gloves

Cotton gloves are optional; the tower keeps a box of spares by the door.

## Tower etiquette

Never touch a rope that is not yours while the bells are up.
"""


def test_a_contents_list_answers_only_a_list_question(one_doc_answers) -> None:  # type: ignore[no-untyped-def]
    wear = one_doc_answers("handbook.md", HANDBOOK, "What do I wear on practice nights?")
    assert "flat shoes" in wear, wear
    assert "covers the basics" not in wear and "Practice nights" not in wear, wear
    etiquette = one_doc_answers("handbook.md", HANDBOOK, "What is the tower etiquette?")
    assert etiquette.startswith("Never touch a rope"), etiquette  # not the title "Tower etiquette"
    sections = one_doc_answers("handbook.md", HANDBOOK, "What are the sections of the handbook?")
    assert all(t in sections for t in ("Practice nights", "Clothing", "Gloves")), sections


def test_a_sentence_listing_the_sections_is_marked_and_a_run_in_heading_is_not() -> None:
    from copilot.knowledge.sections import split_document

    run_in = "# 指南\n\n## 入群规则\n\n入群规则:进群先改名片,再读公告。\n\n"
    run_in += "## 活动安排\n\n每周六有活动。\n"
    marked = {
        u.text
        for text in (HANDBOOK, run_in)
        for piece in split_document(text, max_tokens=200)
        if not piece.meta.get("overview")  # the sub-headings list is a contents list too
        for u in piece.units
        if u.contents
    }
    assert marked == {
        "This page covers the basics: practice nights, clothing, gloves and tower etiquette."
    }


def test_a_list_question_takes_the_list_whose_item_ties_with_the_best_sentence() -> None:
    from copilot.retrieval.evidence import Evidence, ScoredUnit
    from copilot.retrieval.results import Retrieval, RetrievedChunk
    from copilot.retrieval.units import Unit
    from copilot.skills.answer.offline import compose_answer

    question = "申论前面那几道不是作文的题，一共分哪几种？"
    lead = "前面那几道题统称小题，一共四种题型："
    units = (
        Unit("sentence", "它和前面那几道题最大的不同在于：前面的题考归纳和加工的能力。"),
        Unit("sentence", lead),
        *(
            Unit("item", t, group=0, lead=lead)
            for t in ("归纳概括", "综合分析", "提出对策", "贯彻执行")
        ),
    )
    chunk = RetrievedChunk("c0", "申论.txt", "playbook", "申论", "…", 0.03, 0.6, 3.0, units=units)
    # The comparison sentence wins by a hair over an item of the list the question asks for.
    scored = [ScoredUnit(0, 0, 5.51, {}), ScoredUnit(0, 4, 5.47, {}), ScoredUnit(0, 1, 5.2, {})]
    retrieval = Retrieval(
        question, [chunk], 0.5, Evidence(scored, {}), read_question(question), True
    )
    answer = compose_answer(retrieval, "zh")[0].text
    assert all(t in answer for t in ("归纳概括", "综合分析", "提出对策", "贯彻执行")), answer
