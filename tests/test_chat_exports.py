"""Chat exports → ChatMessage: one realistic fixture per platform export, plus detection."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from copilot.knowledge.chat_exports import ExportOptions, detect_chat_format, parse_wechat
from copilot.knowledge.loaders import (
    LoadedFile,
    NotAChatExportError,
    UnreadableFileError,
    load_file,
)
from copilot.models import ChatMessage
from copilot.text import is_media_only

EXPORTS = Path(__file__).parent / "fixtures" / "exports"
DOCS = Path(__file__).parent / "fixtures" / "docs"
CST = timezone(timedelta(hours=8))


def load(path: Path, **kwargs: object) -> LoadedFile:
    return load_file(path, community="c1", **kwargs)  # type: ignore[arg-type]


def by_id(messages: list[ChatMessage]) -> dict[str, ChatMessage]:
    return {m.id: m for m in messages}


def assert_well_formed(loaded: LoadedFile) -> None:
    assert loaded.kind == "chat" and loaded.documents == []
    keys = [(m.channel, m.id) for m in loaded.messages]
    assert len(keys) == len(set(keys)), "ids must be unique within a channel"
    for m in loaded.messages:
        assert m.community == "c1"
        assert m.source == loaded.source
        assert m.ts.tzinfo is not None
        assert m.text.strip()


# ---- Telegram -------------------------------------------------------------------------------


def test_telegram_group_export() -> None:
    loaded = load(EXPORTS / "telegram" / "result.json")
    assert loaded.format == "telegram"
    assert_well_formed(loaded)
    msgs = by_id(loaded.messages)
    assert {m.channel for m in loaded.messages} == {"增长黑客读书会"}
    # Photo and sticker without a caption: placeholders (activity, never knowledge).
    assert (msgs["7"].text, msgs["9"].text) == ("[Photo]", "[Sticker]")
    assert msgs["8"].text == "这是我上周的笔记，大家看看"
    # Entity lists are flattened; a text_link keeps its address.
    assert msgs["4"].text == (
        "欢迎大家！本周共读《增长黑客》第3章，打卡规则见 https://example.org/rules，"
        "有问题 @ 我 @linwei_ops。"
    )
    assert (
        msgs["6"].text
        == "不用每天，每周至少 3 次，格式参考 打卡模板 (https://example.org/template)"
    )
    assert (msgs["5"].reply_to, msgs["6"].reply_to, msgs["4"].reply_to) == ("4", "5", None)
    # date_unixtime wins over the naive local "date" (20:01:15 in the exporter's +08:00).
    assert msgs["4"].ts == datetime(2026, 11, 3, 12, 1, 15, tzinfo=UTC)
    assert (msgs["4"].author, msgs["4"].author_id) == ("林薇", "user100001")
    assert msgs["12"].author == "Deleted Account"
    assert msgs["11"].text == "Poll: 下次线下活动选哪天？ (周六 / 周日)"


def test_telegram_service_messages_describe_the_action() -> None:
    msgs = by_id(load(EXPORTS / "telegram" / "result.json").messages)
    service = {mid: m.text for mid, m in msgs.items() if m.is_service}
    assert service == {
        "1": "林薇 created the group «增长黑客读书会»",
        "2": "Chen Jie joined the group via invite link",
        "3": "林薇 added 王磊, Sofia Ruiz",
        "10": "林薇 pinned a message",
        "13": "Chen Jie left the group",
    }
    assert not msgs["4"].is_service


def test_telegram_naive_date_is_utc_when_there_is_no_unixtime(tmp_path: Path) -> None:
    data = {
        "name": "g",
        "type": "private_group",
        "id": 1,
        "messages": [
            {
                "id": 1,
                "type": "message",
                "date": "2026-11-03T20:01:15",
                "from": "A",
                "from_id": "user1",
                "text": "hi",
            }
        ],
    }
    (tmp_path / "result.json").write_text(json.dumps(data), encoding="utf-8")
    loaded = load(tmp_path / "result.json")
    (msg,) = loaded.messages
    assert msg.ts == datetime(2026, 11, 3, 20, 1, 15, tzinfo=UTC)
    assert loaded.warnings == [
        f"{tmp_path / 'result.json'}: 1 message time(s) have no time zone (no date_unixtime: "
        "an older Telegram Desktop); read as UTC. Pass --tz with the exporting computer's zone "
        "(e.g. --tz Asia/Shanghai) to place them right"
    ]
    # With the exporter's zone, the wall-clock time lands on the right instant.
    (local,) = load(tmp_path / "result.json", options=ExportOptions(tz=CST)).messages
    assert local.ts == datetime(2026, 11, 3, 12, 1, 15, tzinfo=UTC)


def test_telegram_forum_topics_become_threads() -> None:
    msgs = by_id(load(EXPORTS / "telegram_forum" / "result.json").messages)
    # A post "in" a topic points at the topic's creation notice: that is its thread,
    # not a reply to anyone. A reply inside the topic keeps both.
    assert (msgs["4"].thread, msgs["4"].reply_to) == ("2", None)
    assert (msgs["5"].thread, msgs["5"].reply_to) == ("2", "4")
    assert (msgs["6"].thread, msgs["6"].reply_to) == ("3", None)
    assert (msgs["7"].thread, msgs["7"].reply_to) == ("3", "6")
    assert (msgs["8"].thread, msgs["8"].reply_to) == (None, None)  # General topic
    assert msgs["2"].is_service and msgs["2"].text == "Ana created the topic «Launch feedback»"


def test_telegram_message_thread_id_is_used_when_present(tmp_path: Path) -> None:
    data = {
        "name": "g",
        "type": "public_supergroup",
        "id": 1,
        "messages": [
            {
                "id": 5,
                "type": "message",
                "date": "2026-11-03T20:00:00",
                "date_unixtime": "1793707200",
                "from": "A",
                "from_id": "user1",
                "text": "x",
                "message_thread_id": 2,
                "reply_to_message_id": 2,
            },
            {
                "id": 6,
                "type": "message",
                "date": "2026-11-03T20:01:00",
                "date_unixtime": "1793707260",
                "from": "B",
                "from_id": "user2",
                "text": "y",
                "message_thread_id": 2,
                "reply_to_message_id": 5,
            },
        ],
    }
    (tmp_path / "result.json").write_text(json.dumps(data), encoding="utf-8")
    msgs = by_id(load(tmp_path / "result.json").messages)
    assert (msgs["5"].thread, msgs["5"].reply_to) == ("2", None)
    assert (msgs["6"].thread, msgs["6"].reply_to) == ("2", "5")


def test_telegram_account_export_skips_private_chats() -> None:
    loaded = load(EXPORTS / "telegram_account" / "result.json")
    assert_well_formed(loaded)
    assert {m.channel for m in loaded.messages} == {"运营交流群", "Maker Announcements", "旧群"}
    assert "私聊：周末有空吗？" not in [m.text for m in loaded.messages]
    assert loaded.warnings == [
        f"{loaded.source}: skipped 2 private chat(s) (one-to-one, bots, Saved Messages); "
        "export a chat on its own to ingest it"
    ]


def test_telegram_malformed_messages_are_skipped_with_a_warning(tmp_path: Path) -> None:
    data = {
        "name": "g",
        "type": "private_group",
        "id": 1,
        "messages": [
            {"id": 1, "type": "message", "from": "A", "text": "no date"},
            {
                "id": 2,
                "type": "message",
                "date": "2026-11-03T20:00:00",
                "date_unixtime": "1793707200",
                "from": "A",
                "text": "ok",
            },
        ],
    }
    (tmp_path / "result.json").write_text(json.dumps(data), encoding="utf-8")
    loaded = load(tmp_path / "result.json")
    assert [m.id for m in loaded.messages] == ["2"]
    assert loaded.warnings == [f"{tmp_path / 'result.json'}: skipped 1 malformed message(s) in 'g'"]


# ---- Slack ----------------------------------------------------------------------------------


def test_slack_export_folder() -> None:
    loaded = load(EXPORTS / "slack_export")
    assert loaded.format == "slack"
    assert_well_formed(loaded)
    msgs = by_id(loaded.messages)
    assert {m.channel for m in loaded.messages} == {"general", "events"}
    welcome = msgs["1793707200.000200"]
    # A labelled link keeps its address, as a Telegram text_link does.
    assert welcome.text == (
        "Welcome @张美! Read the community handbook (https://example.org/handbook) before posting"
        " in #events."
    )
    assert (welcome.author, welcome.author_id) == ("Alice Chen", "U01ALICE")
    assert welcome.ts == datetime(2026, 11, 3, 12, 0, 0, 200, tzinfo=UTC)  # exact microseconds
    assert (welcome.thread, welcome.reply_to) == ("1793707200.000200", None)
    reply = msgs["1793707300.000300"]
    assert reply.text == "Thanks! Is the meetup on Saturday & open to newcomers?"
    assert (reply.thread, reply.reply_to) == ("1793707200.000200", "1793707200.000200")
    assert msgs["1793707500.000400"].text == "Yes <3 — RSVP here: https://example.org/rsvp"
    assert msgs["1793800000.000100"].text == (
        "Meetup sign-ups close Friday. @organizers please confirm the venue."
    )
    bot = msgs["1793707600.000500"]
    assert (bot.author, bot.text, bot.is_service) == (
        "Digest Bot",
        "@here Weekly digest is ready.",
        False,
    )
    join = msgs["1793707000.000100"]
    assert (join.is_service, join.text) == (True, "张美 has joined the channel")
    assert msgs["1793793700.000200"].is_service  # channel_topic
    assert msgs["1793707700.000600"].text == "[File]"  # a file upload without a comment
    # The DM folder is private and stays out.
    assert "private: can you lend me your notes?" not in [m.text for m in loaded.messages]
    assert loaded.warnings == [f"{loaded.source}: skipped 1 direct-message folder(s)"]


def test_slack_bot_attachments_file_comments_and_app_installs() -> None:
    msgs = by_id(load(EXPORTS / "slack_export").messages)
    github = msgs["1793794000.000300"]  # a bot post whose words are only in attachments[]
    assert (github.author, github.is_service, github.is_bot) == ("GitHub", False, True)
    assert github.text == (
        "[community-site] Pull request opened by bobli (https://github.com/bobli)\n"
        "#42 Add meetup calendar page\n"
        "Lists upcoming meetups from events.yaml & links the RSVP form."
    )
    assert msgs["1793794100.000400"].text == "New post: How we run our first meetup"  # fallback
    assert not any(m.is_bot for m in msgs.values() if m.author in ("Alice Chen", "Bob Li"))
    comment = msgs["1793794200.000500"]  # the commenter, not "unknown"; their words only
    assert (comment.author, comment.author_id, comment.is_service) == ("张美", "U03MEI", False)
    assert comment.text == "Slide 4 has the old venue address"
    install = msgs["1793793650.000150"]
    assert (install.author, install.is_service) == ("Alice Chen", True)
    assert install.text == "Alice Chen installed the integration github"


def test_slack_day_file_on_its_own_uses_folder_and_users(tmp_path: Path) -> None:
    loaded = load(EXPORTS / "slack_export" / "general" / "2026-11-03.json")
    assert loaded.format == "slack"
    assert {m.channel for m in loaded.messages} == {"general"}
    assert by_id(loaded.messages)["1793707200.000200"].author == "Alice Chen"
    shutil.copy(EXPORTS / "slack_export" / "general" / "2026-11-03.json", tmp_path / "day.json")
    alone = by_id(load(tmp_path / "day.json").messages)  # no users.json: profile names
    assert alone["1793707200.000200"].author == "Alice Chen"
    assert alone["1793707200.000200"].text.startswith("Welcome @U03MEI!")


def test_slack_broken_day_file_is_named(tmp_path: Path) -> None:
    root = tmp_path / "export"
    shutil.copytree(EXPORTS / "slack_export", root)
    (root / "events" / "2026-11-04.json").write_text("[{", encoding="utf-8")
    with pytest.raises(UnreadableFileError) as info:
        load(root)
    assert str(info.value).startswith(f"{root}/events/2026-11-04.json: not valid JSON (line 1")


# ---- Discord --------------------------------------------------------------------------------


def test_discord_chat_exporter_channel() -> None:
    loaded = load(EXPORTS / "discord" / "general.json")
    assert loaded.format == "discord"
    assert_well_formed(loaded)
    msgs = by_id(loaded.messages)
    assert {m.channel for m in loaded.messages} == {"general"}
    join = msgs["930000000000000001"]
    assert (join.is_service, join.text, join.author) == (True, "carl joined the server", "carl")
    hello = msgs["930000000000000002"]
    assert (hello.author, hello.author_id) == ("Alex", "310000000000000001")
    assert hello.ts == datetime(2026, 11, 3, 12, 1, 2, 123000, tzinfo=UTC)
    reply = msgs["930000000000000003"]
    assert reply.reply_to == "930000000000000002"
    assert reply.text == "Thanks @Alex! Where do I find the contributor guide? :wave:"
    assert msgs["930000000000000004"].text == "[File]"  # an image without text
    assert msgs["930000000000000005"].text == "Hack Night #12\nFriday 19:00, bring a project."
    assert [m.id for m in loaded.messages if m.is_bot] == ["930000000000000005"]  # author.isBot
    pin = msgs["930000000000000006"]
    assert pin.is_service and pin.reply_to is None


def test_discord_default_message_with_a_reference_is_a_reply() -> None:
    msgs = by_id(load(EXPORTS / "discord" / "general.json").messages)
    assert msgs["930000000000000007"].reply_to == "930000000000000005"  # older exporter builds
    assert msgs["930000000000000008"].reply_to is None  # a crosspost from another channel


def test_discord_thread_export_belongs_to_its_parent_channel() -> None:
    msgs = load(EXPORTS / "discord" / "general_thread.json").messages
    assert {(m.channel, m.thread) for m in msgs} == {("general", "940000000000000001")}
    assert msgs[1].reply_to == "950000000000000001"


def test_discord_export_with_missing_fields_names_the_file(tmp_path: Path) -> None:
    data = json.loads((EXPORTS / "discord" / "general.json").read_text(encoding="utf-8"))
    del data["messages"][1]["timestamp"]
    (tmp_path / "general.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(UnreadableFileError) as info:
        load(tmp_path / "general.json")
    assert str(info.value) == (
        f"{tmp_path / 'general.json'}: looks like a DiscordChatExporter export but could not "
        "be read (missing field 'timestamp')"
    )


# ---- WeChat / WeCom -------------------------------------------------------------------------


def test_wechat_export_tool_format() -> None:
    loaded = load(EXPORTS / "wechat" / "社群运营交流群.txt")
    assert loaded.format == "wechat"
    assert_well_formed(loaded)
    msgs = spoken(loaded.messages)
    assert {m.channel for m in msgs} == {"社群运营交流群"}  # from the "群聊：" line
    assert [m.author for m in msgs] == [
        "张三",
        "李四",
        "张三",
        "王五",
        "系统消息",
        "赵六",
        "赵六",
        "张三",
    ]
    first = msgs[0]
    assert first.ts == datetime(2026, 11, 3, 20, 1, 15, tzinfo=CST)
    assert first.ts.utcoffset() == timedelta(hours=8)
    assert first.text == "大家晚上好！本周五晚8点线上分享「新人破冰怎么做」，欢迎报名。"
    assert msgs[2].text == (
        "不用准备，带上问题就行。\n分享结束后会有 15 分钟答疑。\n报名表见群公告。"
    )
    assert "[图片]" not in [m.text for m in msgs]
    assert [m.is_service for m in msgs].count(True) == 1 and msgs[4].is_service
    assert "————" not in msgs[4].text  # the day separator is not content
    # The same text sent twice in one second is two messages with distinct, stable ids.
    assert msgs[6].id == msgs[5].id + "-2"


def test_wechat_same_export_in_gb18030_and_utf16() -> None:
    reference = load(EXPORTS / "wechat" / "社群运营交流群.txt").messages
    for name in ("gb18030_export.txt", "utf16_export.txt"):
        msgs = load(EXPORTS / "wechat" / name).messages
        assert [m.model_dump(exclude={"source"}) for m in msgs] == [
            m.model_dump(exclude={"source"}) for m in reference
        ], name


def test_wechat_pc_copy_sender_first() -> None:
    loaded = load(EXPORTS / "wechat" / "pc_copy.txt")
    assert loaded.format == "wechat"
    msgs = spoken(loaded.messages)
    assert {m.channel for m in msgs} == {"pc_copy"}  # no title line: the file name
    assert [(m.author, m.ts.strftime("%m-%d %H:%M")) for m in msgs] == [
        ("Momo", "11-03 20:01"),
        ("阿杰", "11-03 20:02"),
        ("Momo", "11-03 20:03"),
        ("阿杰", "11-03 20:10"),  # "下午8:10"
        ("小鹿", "11-04 09:06"),  # the sticker-only message before it is a placeholder
    ]
    assert [m.text for m in loaded.messages if is_media_only(m.text)] == ["[表情]"]
    assert msgs[1].text == "还有 5 个名额，报名链接：https://example.org/hike"


def test_wecom_headers_carry_the_account_id() -> None:
    msgs = load(EXPORTS / "wecom" / "企业微信客户群.txt").messages
    assert [(m.author, m.author_id) for m in msgs] == [
        ("张三", "zhangsan"),
        ("李华", "lihua.ops"),
        ("王芳", "wangfang"),
        ("张三", "zhangsan"),
    ]
    assert msgs[3].text == "每年 12 月 31 日清零，记得及时使用哦。"


def test_wechat_nickname_with_parentheses_is_not_split() -> None:
    text = (
        "2026-11-03 20:01:15 Tom(PM)\n早\n2026-11-03 20:02:15 小王\n早上好\n"
        "2026-11-03 20:03:15 阿丽\n大家好\n"
    )
    msgs = parse_wechat(text, community="c1", source="x.txt", channel="x")
    assert [(m.author, m.author_id) for m in msgs] == [
        ("Tom(PM)", None),
        ("小王", None),
        ("阿丽", None),
    ]


def test_wechat_time_zone_can_be_overridden() -> None:
    text = "2026-11-03 20:01:15 A\nhi\n"
    (msg,) = parse_wechat(text, community="c1", source="x.txt", channel="x", tz=UTC)
    assert msg.ts == datetime(2026, 11, 3, 20, 1, 15, tzinfo=UTC)


def test_wechat_forced_on_a_schedule_finds_no_chat(tmp_path: Path) -> None:
    with pytest.raises(NotAChatExportError, match="not a recognised chat export"):
        load(DOCS / "活动排期.txt", kind="chat")


# ---- generic JSONL / CSV / JSON -------------------------------------------------------------


def test_generic_jsonl() -> None:
    loaded = load(EXPORTS / "generic" / "community_chat.jsonl")
    assert loaded.format == "generic-chat"
    assert_well_formed(loaded)
    m = loaded.messages
    assert (m[0].channel, m[1].channel) == ("announcements", "community_chat")
    assert (m[1].id, m[1].reply_to, m[1].thread) == ("m-2", "m-1", "kickoff")
    assert m[1].author_id == "u-42"
    assert m[0].ts == datetime(2026, 11, 3, 12, 0, tzinfo=UTC)
    assert m[1].ts == datetime(2026, 11, 3, 12, 5, tzinfo=CST)
    assert m[2].ts == datetime.fromtimestamp(1793707200, UTC)  # epoch seconds
    assert m[3].ts == datetime(2026, 11, 3, 20, 0, tzinfo=UTC)  # naive → UTC
    assert m[4].ts == datetime.fromtimestamp(1793707200, UTC)  # epoch milliseconds
    assert m[0].thread is None
    # Without an id, the id is a hash of (ts, author, text): the same on every ingest.
    again = load(EXPORTS / "generic" / "community_chat.jsonl").messages
    assert [x.id for x in again] == [x.id for x in m]
    assert len(m[0].id) == 16


def test_generic_jsonl_isolated_bad_line_is_a_warning() -> None:
    loaded = load(EXPORTS / "generic" / "one_bad_line.jsonl")
    assert len(loaded.messages) == 9
    assert loaded.warnings == [
        f"{loaded.source} line 10: invalid JSON (Unterminated string starting at); skipped"
    ]


def test_generic_jsonl_mostly_broken_is_an_error_listing_lines() -> None:
    path = EXPORTS / "generic" / "mostly_broken.jsonl"
    with pytest.raises(UnreadableFileError) as info:
        load(path)
    assert str(info.value) == (
        f"{path}: 3 of 5 lines are not valid chat records (line 2: invalid JSON (Expecting ',' "
        "delimiter); line 3: unreadable time 'yesterday'; line 4: missing 'author')"
    )


def test_generic_csv_chat() -> None:
    loaded = load(EXPORTS / "generic" / "group_chat.csv")
    assert loaded.format == "generic-chat"
    assert [(m.channel, m.author) for m in loaded.messages] == [
        ("运营群", "张三"),
        ("运营群", "李四"),
        ("运营群", "张三"),
    ]
    assert loaded.messages[2].text == "不用准备。\n带上问题就行。"


def test_generic_json_list_of_messages(tmp_path: Path) -> None:
    records = [
        {"timestamp": "2026-11-03T12:00:00Z", "sender": "A", "content": "hi"},
        {"timestamp": "2026-11-03T12:01:00Z", "sender": "B", "content": "hello"},
    ]
    (tmp_path / "chat.json").write_text(json.dumps(records), encoding="utf-8")
    loaded = load(tmp_path / "chat.json")
    assert loaded.format == "generic-chat"
    assert [m.author for m in loaded.messages] == ["A", "B"]


def test_chat_export_without_any_text_message(tmp_path: Path) -> None:
    data = {
        "name": "g",
        "type": "private_group",
        "id": 1,
        "messages": [
            {
                "id": 1,
                "type": "message",
                "date": "2026-11-03T20:00:00",
                "from": "A",
                "text": "",
                "photo": "photos/1.jpg",
            }
        ],
    }
    (tmp_path / "result.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(Exception) as info:
        load(tmp_path / "result.json")
    assert str(info.value) == f"{tmp_path / 'result.json'}: no chat messages with text found"


# ---- detection ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (EXPORTS / "telegram" / "result.json", "telegram"),
        (EXPORTS / "telegram_account" / "result.json", "telegram"),
        (EXPORTS / "slack_export", "slack"),
        (EXPORTS / "slack_export" / "general" / "2026-11-03.json", "slack"),
        (EXPORTS / "discord" / "general.json", "discord"),
        (EXPORTS / "wechat" / "社群运营交流群.txt", "wechat"),
        (EXPORTS / "wechat" / "pc_copy.txt", "wechat"),
        (EXPORTS / "wechat" / "gb18030_export.txt", "wechat"),
        (EXPORTS / "wecom" / "企业微信客户群.txt", "wechat"),
        (EXPORTS / "generic" / "community_chat.jsonl", "generic-chat"),
        (EXPORTS / "generic" / "group_chat.csv", "generic-chat"),
        (DOCS / "rules.txt", None),
        (DOCS / "活动排期.txt", None),
        (DOCS / "faq.csv", None),
        (DOCS / "faq.json", None),
        (DOCS / "community.json", None),
        (DOCS / "activities.jsonl", None),
        (DOCS / "handbook.md", None),
        (DOCS, None),
    ],
)
def test_detect_chat_format(path: Path, expected: str | None) -> None:
    assert detect_chat_format(path) == expected


@pytest.mark.parametrize(
    "text",
    [
        # Minutes of a meeting: dated lines, but prose around them.
        "周会纪要\n\n参会：张三、李四\n\n议题一：新人破冰\n讨论后决定每周五做一次线上分享。\n"
        "2026-11-03 20:00 第一次分享\n主题待定。\n\n议题二：积分规则\n积分可兑换周边。\n"
        "负责人：王五\n截止：本周五\n2026-11-10 20:00 第二次分享\n待定。\n\n下次会议另行通知。\n",
        # A log of times without content under each.
        "2026-11-03 20:00:00 start\n2026-11-03 20:05:00 stop\n2026-11-03 20:10:00 start\n",
        # A how-to that quotes one example header.
        "How to export WeChat chats\n\nThe file looks like this:\n\n2026-11-03 20:01:15 张三\n"
        "大家好\n\nOpen it in a text editor and check the encoding.\nThen upload it.\n"
        "If it fails, ask in #help.\n",
    ],
)
def test_prose_with_dates_is_not_wechat(tmp_path: Path, text: str) -> None:
    path = tmp_path / "notes.txt"
    path.write_text(text, encoding="utf-8")
    assert detect_chat_format(path) is None
    assert load(path).format == "text"


def test_content_calendar_csv_is_a_document_unless_chat_is_forced(tmp_path: Path) -> None:
    path = tmp_path / "calendar.csv"
    path.write_text(
        "date,author,content\n2026-11-03,Maya,Welcome post\n2026-11-10,Jon,Weekly digest\n",
        encoding="utf-8",
    )
    assert detect_chat_format(path) is None
    assert load(path).format == "csv"
    forced = load(path, kind="chat")
    assert [(m.author, m.ts.day) for m in forced.messages] == [("Maya", 3), ("Jon", 10)]


def spoken(messages: list[ChatMessage]) -> list[ChatMessage]:
    """The messages that say something (media-only posts are kept as '[图片]' placeholders)."""
    return [m for m in messages if not is_media_only(m.text)]
