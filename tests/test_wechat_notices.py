"""WeChat text exports: a grey notice is a service message wherever the export puts it (on a
line under someone's words, or as the only line under a header), so message and member counts
leave it out; a member's words that merely mention patting are words."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from copilot.analytics.health import compute_health
from copilot.knowledge.chat_exports.wechat import parse_wechat

EXPORT = """群聊名称：夜跑团
2026-11-03 20:01:15 张三
大家好，今晚还跑吗
2026-11-03 20:03:10 李四
跑的，8点半老地方
"王五"撤回了一条消息
2026-11-03 20:04:00 王五
我昨天拍了拍他的肩膀，他说膝盖疼
2026-11-03 20:07:00 张三
张三拍了拍李四
2026-11-03 20:08:00 李四
"张三" 邀请 "赵六" 加入了群聊
"""


def test_notice_lines_are_service_messages_and_words_stay_words() -> None:
    msgs = parse_wechat(EXPORT, community="c", source="group.txt", channel="x")
    said = [(m.author, m.text) for m in msgs if not m.is_service]
    assert said == [
        ("张三", "大家好，今晚还跑吗"),
        ("李四", "跑的，8点半老地方"),  # the recall notice is not part of 李四's words
        ("王五", "我昨天拍了拍他的肩膀，他说膝盖疼"),
    ]
    notices = [m.text for m in msgs if m.is_service]
    assert notices == ['"王五"撤回了一条消息', "张三拍了拍李四", '"张三" 邀请 "赵六" 加入了群聊']
    report = compute_health(msgs, now=datetime(2026, 11, 3, 21, tzinfo=ZoneInfo("Asia/Shanghai")))
    assert report.total_messages == 3


QUOTED = """2026-11-25 08:00:10 小舟
作文是拍照交还是打字交？
2026-11-25 08:03:00 阿梨
周三几点截止？
2026-11-25 08:05:57 芒果
「小舟：作文是拍照交还是打字交？」
- - - - - - - - - - - - - - -
都行，周老师昨天说了，今晚22:00前交到作业区
2026-11-25 08:06:30 桃子
22:00前
「阿梨：周三几点截止？」
2026-11-25 08:07:00 小舟
在「作业区」→「提交」里交吗
"""


def test_a_quoted_reply_replies_to_the_quoted_message_and_says_only_the_reply() -> None:
    first, second, reply, tail_quoted, own = parse_wechat(
        QUOTED, community="c", source="group.txt", channel="x"
    )
    assert reply.text == "都行，周老师昨天说了，今晚22:00前交到作业区"
    assert reply.reply_to == first.id
    assert (tail_quoted.text, tail_quoted.reply_to) == ("22:00前", second.id)
    assert (own.text, own.reply_to) == ("在「作业区」→「提交」里交吗", None)
    report = compute_health(
        [first, second, reply, tail_quoted, own],
        now=datetime(2026, 11, 25, 9, tzinfo=ZoneInfo("Asia/Shanghai")),
    )
    assert report.question_count == 3 and report.unanswered_count == 1  # only the last one


def test_a_quote_of_nothing_in_the_export_stays_part_of_the_message() -> None:
    text = "2026-11-25 08:00:10 小舟\n转发一下\n「公告：周六活动取消」\n"
    [m] = parse_wechat(text, community="c", source="group.txt", channel="x")
    assert (m.text, m.reply_to) == ("转发一下\n「公告：周六活动取消」", None)
