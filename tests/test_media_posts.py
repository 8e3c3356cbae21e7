"""Media-only posts (a picture, a sticker, a voice message) are activity: they count in the
message totals and per-member activity, but they are never knowledge, never a question and
never the answer to one."""

from __future__ import annotations

from copilot.analytics.exchanges import link_questions
from copilot.analytics.health import compute_health
from copilot.knowledge.chat_exports import parse_wechat
from copilot.knowledge.chunking import chat_pieces, chat_windows
from copilot.models import ChatMessage

EXPORT = """2026-03-02 20:00:00 阿青
今晚的茶会几点开始？

2026-03-02 20:01:00 小满
[图片]

2026-03-02 20:02:00 老顾
[表情]

2026-03-02 20:30:00 小满
[表情]我也想知道
"""


def messages() -> list[ChatMessage]:
    return parse_wechat(EXPORT, community="c", source="group.txt", channel="g")


def test_a_picture_or_sticker_is_a_message_of_its_author() -> None:
    msgs = messages()
    assert [m.text for m in msgs] == ["今晚的茶会几点开始？", "[图片]", "[表情]", "我也想知道"]
    report = compute_health(msgs, tz="Asia/Shanghai")
    assert report.total_messages == 4
    assert {m.member: m.messages for m in report.active_members.top} == {
        "阿青": 1,
        "小满": 2,
        "老顾": 1,
    }


def test_a_sticker_does_not_answer_a_question() -> None:
    msgs = messages()
    [exchange] = link_questions(msgs)
    assert exchange.question.text == "今晚的茶会几点开始？" and not exchange.answered
    report = compute_health(msgs, tz="Asia/Shanghai")
    assert (report.question_count, report.unanswered_count) == (1, 1)


def test_media_posts_are_never_indexed() -> None:
    msgs = messages()
    windows = " ".join(p.text for p in chat_windows(msgs, max_tokens=500))
    pieces = " ".join(p.text for p in chat_pieces(msgs, max_tokens=500))
    assert "[图片]" not in windows + pieces and "[表情]" not in windows + pieces
    assert "几点开始" in windows
