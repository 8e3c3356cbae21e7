from datetime import UTC, datetime, timedelta

from copilot.knowledge.chunking import chat_windows, chunk_id, split_markdown
from copilot.models import ChatMessage
from copilot.tokens import count_tokens

DOC = """# 群规
## 广告
群内禁止发广告。违者第一次警告，第二次移出群聊。
## 改群名片
进群后请把群名片改成"城市-昵称"。

# Weekly sharing
Every Wednesday at 20:00 a member shares a book.
"""


def test_sections_keep_their_heading_path() -> None:
    pieces = split_markdown(DOC, max_tokens=200)
    sections = [p for p in pieces if not p.meta.get("overview")]
    assert [p.heading for p in sections] == ["群规 > 广告", "群规 > 改群名片", "Weekly sharing"]
    assert sections[0].text.startswith("群内禁止发广告")
    assert sections[0].indexed_text.startswith("群规 > 广告\n")
    # A heading with sub-headings also lists them, for "what are the …" questions.
    (overview,) = [p for p in pieces if p.meta.get("overview") and p.heading == "群规"]
    assert [u.text.split("：")[0] for u in overview.units] == ["广告", "改群名片"]


def test_long_sections_split_on_sentence_ends_within_the_budget() -> None:
    sentence = "第{}天请在晚上十点前完成打卡并分享一句读书心得。"
    long = "## 打卡\n" + "".join(sentence.format(i) for i in range(60))
    pieces = split_markdown(long, max_tokens=80)
    assert len(pieces) > 5
    assert all(count_tokens(p.text) <= 80 for p in pieces)
    assert all(p.text.endswith("。") for p in pieces)  # never cut inside a sentence


def test_chunk_ids_are_content_hashes() -> None:
    a = split_markdown(DOC, max_tokens=200)
    b = split_markdown(DOC.replace("第二次移出群聊", "第三次移出群聊"), max_tokens=200)
    ids_a = {chunk_id("c1", "rules.md", p): p.text for p in a}
    ids_b = {chunk_id("c1", "rules.md", p): p.text for p in b}
    changed = {i for i, text in ids_a.items() if "第二次移出群聊" in text}
    assert changed and set(ids_a) - changed == set(ids_b) - set(ids_b).difference(ids_a)
    assert not changed & set(ids_b)  # the edited section got a new id, the others kept theirs
    assert chunk_id("c2", "rules.md", a[0]) != chunk_id("c1", "rules.md", a[0])


def _msg(i: int, minutes: int, channel: str = "general") -> ChatMessage:
    ts = datetime(2026, 11, 3, 20, 0, tzinfo=UTC) + timedelta(minutes=minutes)
    return ChatMessage(
        id=str(i), community="c1", channel=channel, author=f"u{i}", ts=ts, text=f"message {i}"
    )


def test_chat_windows_cut_at_gaps_and_channels() -> None:
    messages = [_msg(1, 0), _msg(2, 5), _msg(3, 100), _msg(4, 101, "random")]
    windows = chat_windows(messages, max_tokens=500)
    assert [w.meta["messages"] for w in windows] == [2, 1, 1]
    assert windows[0].text.splitlines() == [
        "[11-03 20:00] u1: message 1",
        "[11-03 20:05] u2: message 2",
    ]
    assert windows[2].meta["channel"] == "random"


def test_text_without_any_sentence_break_is_still_cut_to_the_budget() -> None:
    # One paragraph, no punctuation (a pasted log, a run-on post): it used to become one
    # chunk embedded whole, gigabytes of memory for a 1 MB upload.
    words = " ".join(f"member{i} joined the weekly reading" for i in range(400))
    han = "".join(f"第{i}位成员参加了每周的读书分享会" for i in range(300))  # CJK, no 。
    for text in (words, han):
        pieces = split_markdown("# Log\n" + text, max_tokens=100)
        assert len(pieces) > 10
        assert all(count_tokens(p.text) <= 100 for p in pieces)
        # Nothing is lost: the parts put back together are the text (spaces aside).
        assert "".join(p.text for p in pieces).replace(" ", "") == text.replace(" ", "")


def test_a_huge_heading_is_shortened_in_every_chunk() -> None:
    pieces = split_markdown("# " + "very long title " * 2000 + "\nShort body.", max_tokens=100)
    assert [p.text for p in pieces] == ["Short body."]
    assert count_tokens(pieces[0].heading) <= 64


def test_one_chat_message_longer_than_the_budget_spans_several_pieces() -> None:
    text = " ".join(f"offer{i}" for i in range(3000))
    long = _msg(1, 0).model_copy(update={"text": text})
    windows = chat_windows([long, _msg(2, 1)], max_tokens=200)
    assert len(windows) > 10
    assert all(count_tokens(w.text) <= 200 for w in windows)
    assert [w.meta["first_message"] for w in windows[:-1]] == ["1"] * (len(windows) - 1)
    assert windows[-1].text == "[11-03 20:01] u2: message 2"


def test_a_long_title_above_a_section_never_cuts_the_sections_own_name() -> None:
    text = (
        "澜山烘焙 × 港岛独立咖啡店主联盟 会员专享安排\n"
        "（供应商会员 澜山烘焙 Lanshan Roasters 提供，负责人：周子萱）\n\n"
        "各位老板好！我们是柴湾的一家小烘焙厂，下面是给联盟会员的几项安排，欢迎大家来玩。\n\n"
        "一、会员杯测会\n"
        "1. 时间：每个月最后一个星期四，晚上 7:00 到 9:00。\n"
        "2. 地点：柴湾利众街 27 号。\n\n"
        "二、烘焙入门课\n"
        "- 每个月第二个星期日下午 2:00 开始，一共 3 小时。\n"
        "- 学费 HK$880，联盟会员九折。\n"
    )
    pieces = split_markdown(text, max_tokens=300)
    cupping = next(p for p in pieces if "晚上 7:00" in p.text)
    course = next(p for p in pieces if "HK$880" in p.text)
    assert cupping.heading.endswith("会员杯测会"), cupping.heading
    assert course.heading.endswith("烘焙入门课"), course.heading
    assert all(count_tokens(p.heading) <= 64 for p in pieces)


def test_a_long_sentence_is_cut_by_width_keeping_english_commas_spaced() -> None:
    from copilot.retrieval.units import MAX_UNIT_CHARS, bounded

    english = (
        "SAT 13 MAR 2027 Rivers and Tides, spring concert at Riverside Arts Theatre, 505 Columbia"
        " Street, New Westminster, call 6:00 pm, concert 7:30 pm, tickets adults $30, seniors $24"
    )
    assert len(english) > MAX_UNIT_CHARS
    assert bounded(english) == [english]  # 180 Latin letters are 90 Chinese characters wide
    chinese = "，".join(["每周六上午九点在北门集合后出发去山顶"] * 12)
    pieces = bounded(chinese)
    assert len(pieces) > 1 and "".join(pieces) == chinese  # cut at a comma, nothing lost
    spaced = bounded(", ".join(["Theatre 505 Columbia Street New Westminster"] * 10))
    assert len(spaced) > 1 and all(", T" in p for p in spaced)  # the space after a comma stays


def test_a_long_announcement_is_cut_between_its_lines_so_every_line_stays_a_unit() -> None:
    lines = ["【活动公告】冬至·古镇行"] + [
        f"第{i}项：12月{i}日（周日）07:30 人民公园东门集合，费用128元，含往返大巴和午饭"
        for i in range(1, 9)
    ]
    notice = _msg(1, 0).model_copy(update={"text": "\n".join(lines)})
    windows = chat_windows([notice], max_tokens=120)
    assert len(windows) > 1 and all(count_tokens(w.text) <= 120 for w in windows)
    units = [u.text for w in windows for u in w.units]
    assert all(line in units for line in lines[1:]), units  # none lost across a cut


def test_options_put_to_the_group_are_no_evidence_but_a_vote_result_is() -> None:
    from copilot.knowledge.chunking import chat_pieces

    texts = [
        "跟大家商量个事：十二月想办围炉夜，日子在12月12日和12月19日两个周六里选，大家说说意见",
        "投票结果：围炉夜定在12月12日",
    ]
    chat = [_msg(i, i).model_copy(update={"text": t}) for i, t in enumerate(texts)]
    units = [u.text for p in chat_pieces(chat, max_tokens=220) for u in p.units]
    assert units == [texts[1]], units


def test_a_signup_list_under_a_bare_title_is_no_evidence_but_one_with_details_is() -> None:
    from copilot.knowledge.chunking import chat_pieces

    texts = [
        "#接龙 12月5日法棍线下工作坊\n1. 宁波-小满\n2. 杭州-小鱼",  # names, and the event's name
        "#接龙 围炉煮茶夜\n时间：12月12日 19:00\n地点：茶室二楼\n1. 青禾",
    ]
    chat = [_msg(i, i * 60).model_copy(update={"text": t}) for i, t in enumerate(texts)]
    units = " ".join(u.text for p in chat_pieces(chat, max_tokens=220) for u in p.units)
    assert "法棍" not in units and "小满" not in units
    assert "茶室二楼" in units


def test_a_spoken_paragraph_with_digits_is_cut_at_its_spaces_not_inside_a_word() -> None:
    from copilot.retrieval.units import MAX_UNIT_CHARS, bounded

    clauses = [f"第{i}段 早上六点半在春茧南门集合 7.5公里补给点 AA制吃早茶" for i in range(12)]
    paragraph = " ".join(clauses)
    pieces = bounded(paragraph)
    assert len(pieces) > 1 and " ".join(pieces) == paragraph  # nothing lost or cut mid-word
    assert all(len(p) <= MAX_UNIT_CHARS * 1.5 for p in pieces)
