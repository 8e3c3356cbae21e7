"""Exports of the tools Chinese operators use (QQ, WeChat, WeCom), each fixture written by us
in the exact layout of the tool that produces it (see each parser's docstring)."""

from __future__ import annotations

import json
import re
import shutil
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from copilot.knowledge.chat_exports import ExportOptions, detect_chat_format
from copilot.knowledge.loaders import LoadedFile, UnreadableFileError, discover, load_file
from copilot.models import ChatMessage
from copilot.text import is_media_only

EXPORTS = Path(__file__).parent / "fixtures" / "exports"
CST = timezone(timedelta(hours=8))
QQ_NUMBERS = re.compile(r"(?<!\d)\d{9}(?!\d)")
WXID = re.compile(r"wxid_\w+")


def load(path: Path, **kwargs: object) -> LoadedFile:
    return load_file(path, community="c1", **kwargs)  # type: ignore[arg-type]


def rows(messages: list[ChatMessage]) -> list[tuple[str, str, bool]]:
    return [
        (m.ts.astimezone(CST).strftime("%m-%d %H:%M:%S"), m.author, m.is_service) for m in messages
    ]


def assert_no_accounts(loaded: LoadedFile) -> None:
    """QQ numbers, e-mails and wxids never reach the text, the name or the stored id."""
    for m in loaded.messages:
        for value in (m.text, m.author, m.author_id or ""):
            assert not QQ_NUMBERS.search(value), (m.id, value)
            assert not WXID.search(value), (m.id, value)
            assert "@example.com" not in value, (m.id, value)


# ---- QQ 消息管理器 ----------------------------------------------------------------------------


def test_qq_twelve_hour_export_with_header_block() -> None:
    loaded = load(EXPORTS / "qq" / "周末读书会.txt")  # UTF-8 with BOM, CRLF, English UI
    assert loaded.format == "qq"
    assert {m.channel for m in loaded.messages} == {"周末读书会"}  # from 消息对象
    assert rows(spoken(loaded.messages)) == [
        ("03-01 20:01:15", "林薇", False),  # 8:01:15 PM; the 【群主】 title is not the name
        ("03-01 20:02:40", "王磊", False),
        ("03-01 20:03:05", "系统消息", True),  # 系统消息(1000000)
        ("03-01 20:05:30", "林薇", False),
        ("03-01 21:12:30", "围观群众", False),  # the [图片] before it is not a message
        ("03-01 21:13:02", "Tom(产品)", False),  # a nickname with its own parentheses
        ("03-02 00:12:10", "夜猫子", False),  # 12:12 AM is just after midnight
        ("03-02 12:30:00", "林薇", False),  # 12:30 PM is noon
        ("03-02 13:05:00", "系统消息", True),  # 系统消息(10000)
    ]
    msgs = spoken(loaded.messages)
    assert msgs[0].ts == datetime(2024, 3, 1, 20, 1, 15, tzinfo=CST)
    assert msgs[2].text == "小周加入本群。"
    assert msgs[3].text == "不用全部读完，带着问题来就行。\n签到表放在群文件里了。"
    assert msgs[5].text == "可以的，人多热闹"  # the inline [表情] is gone
    # One person keeps one id across messages; the number itself is not stored.
    assert msgs[0].author_id == msgs[3].author_id == msgs[7].author_id
    assert msgs[0].author_id != msgs[1].author_id
    assert msgs[0].author_id is not None and msgs[0].author_id.startswith("qq-")
    assert msgs[4].author_id is not None and msgs[4].author_id.startswith("mail-")
    assert msgs[2].author_id is None
    assert_no_accounts(loaded)


def test_qq_timezone_option_moves_local_times() -> None:
    loaded = load(EXPORTS / "qq" / "周末读书会.txt", options=ExportOptions(tz=UTC))
    assert loaded.messages[0].ts == datetime(2024, 3, 1, 20, 1, 15, tzinfo=UTC)


def test_qq_export_all_in_utf16_keeps_groups_and_skips_friends() -> None:
    path = EXPORTS / "qq" / "全部消息记录.txt"
    assert path.read_bytes()[:2] == b"\xff\xfe"  # as the Chinese-UI client writes it
    loaded = load(path)
    assert loaded.format == "qq"
    assert {m.channel for m in loaded.messages} == {"城市徒步群"}
    assert rows(spoken(loaded.messages)) == [
        ("04-05 21:00:00", "阿杰", False),
        ("04-05 21:02:11", "林薇", False),
        ("04-05 21:04:02", "阿杰", False),
        ("04-06 07:25:30", "小鹿", False),
        ("04-06 18:40:00", "系统消息", True),
    ]
    assert "周末一起去徒步吗？" not in [m.text for m in loaded.messages]
    assert loaded.warnings == [
        f"{path}: skipped 1 one-to-one chat(s) (friends' sections); export a chat on its own "
        "to ingest it"
    ]
    assert_no_accounts(loaded)


def test_qq_same_export_without_a_bom_is_read_the_same(tmp_path: Path) -> None:
    reference = load(EXPORTS / "qq" / "全部消息记录.txt").messages
    text = (EXPORTS / "qq" / "全部消息记录.txt").read_bytes().decode("utf-16")
    (tmp_path / "全部消息记录.txt").write_bytes(text.encode("utf-16-le"))  # no BOM
    again = load(tmp_path / "全部消息记录.txt").messages
    assert [m.model_dump(exclude={"source"}) for m in again] == [
        m.model_dump(exclude={"source"}) for m in reference
    ]


def test_qq_header_lines_without_banner_and_email_senders(tmp_path: Path) -> None:
    path = tmp_path / "excerpt.txt"
    path.write_text(
        "2022-05-10 11:28:25 名字(带(嵌套)括号) (10001234)\n第一段\n\n第二段\n\n"
        "2022-05-10 11:29:26 围观<someone@example.com>\n（场外说明）\n\n"
        "2022-05-11 01:02:03 骰娘(67890123)\n.r 1d20\n",
        encoding="utf-8",
    )
    loaded = load(path)
    assert loaded.format == "qq"
    assert [(m.author, m.text) for m in loaded.messages] == [
        ("名字(带(嵌套)括号)", "第一段\n\n第二段"),
        ("围观", "（场外说明）"),
        ("骰娘", ".r 1d20"),
    ]


# ---- chatlog -----------------------------------------------------------------------------------


def test_chatlog_text_without_a_year_asks_for_one() -> None:
    path = EXPORTS / "chatlog" / "运营交流群.txt"
    assert detect_chat_format(path) == "chatlog"
    with pytest.raises(UnreadableFileError) as info:
        load(path)
    assert str(info.value) == (
        f"{path}: the dates have no year (a chatlog text export, e.g. '03-01 20:01:15'); say "
        "which year the messages are from with --year YYYY (the `year` field when uploading)"
    )


def test_chatlog_text_with_year() -> None:
    loaded = load(EXPORTS / "chatlog" / "运营交流群.txt", options=ExportOptions(year=2024))
    assert loaded.format == "chatlog"
    msgs = spoken(loaded.messages)
    assert rows(msgs) == [
        ("03-01 20:01:15", "林薇", False),  # "林薇(我)": the exporter's own message
        ("03-01 20:02:03", "王磊", False),
        ("03-01 20:05:00", "系统消息", True),
        ("03-01 20:06:30", "Sofia", False),
        ("03-01 20:08:00", "林薇", False),  # the picture and the sticker before it are gone
        ("03-02 09:15:00", "王磊", False),
        ("03-02 09:21:05", "小周", False),  # the voice message before it is gone
        ("03-02 09:30:00", "林薇", False),
    ]
    assert msgs[0].ts == datetime(2024, 3, 1, 20, 1, 15, tzinfo=CST)
    assert msgs[2].text == '"林薇"邀请"Sofia"加入了群聊'
    # A reply quotes its parent: linked, with the quoted sender's account left out.
    assert msgs[4].reply_to == msgs[3].id
    assert (
        msgs[4].text == "> Sofia:\n> 大家好，我是新来的，做读书社群两年了\n欢迎欢迎！周六一起来听听"
    )
    assert msgs[5].text == "第三章导读：地方政府与经济发展 https://example.org/reading/ch3"
    assert msgs[1].author_id == msgs[5].author_id and str(msgs[1].author_id).startswith("wx-")
    assert msgs[0].author_id is None  # "我" is no account
    assert_no_accounts(loaded)


def test_chatlog_text_of_one_day_names_the_problem(tmp_path: Path) -> None:
    path = tmp_path / "today.txt"
    path.write_text(
        "林薇(wxid_a1b2c3d4e5) 20:01:15\n早\n\n王磊(wxid_f6g7h8i9j0) 20:02:03\n早上好\n\n"
        "Sofia(wxid_k1l2m3n4o5) 20:03:00\n大家好\n",
        encoding="utf-8",
    )
    with pytest.raises(UnreadableFileError, match="the times have no date"):
        load(path, options=ExportOptions(year=2024))


def test_chatlog_json() -> None:
    loaded = load(EXPORTS / "chatlog" / "chatlog_messages.json")
    assert loaded.format == "chatlog"
    msgs = {m.id: m for m in spoken(loaded.messages)}
    assert "1709294820000" not in msgs  # an image
    assert {m.channel for m in loaded.messages} == {"运营交流群"}
    assert msgs["1709294880000"].reply_to == "1709294790000"
    assert msgs["1709294880000"].text == "欢迎欢迎！周六一起来听听"
    assert msgs["1709294700000"].is_service
    assert msgs["1709342100000"].text == (
        "第三章导读：地方政府与经济发展 https://example.org/reading/ch3"
    )
    assert msgs["1709294475000"].ts == datetime(2024, 3, 1, 12, 1, 15, tzinfo=UTC)
    assert_no_accounts(loaded)


# ---- MemoTrace (留痕) ---------------------------------------------------------------------------


MEMOTRACE = EXPORTS / "memotrace" / "城市徒步群"


def test_memotrace_txt_keeps_one_line_notices_and_drops_media() -> None:
    loaded = load(MEMOTRACE / "城市徒步群.txt")
    assert loaded.format == "wechat"
    msgs = spoken(loaded.messages)
    assert rows(msgs) == [
        ("04-06 07:30:00", "阿杰", False),
        ("04-06 07:35:00", "系统消息", True),  # the [表情包] before it is not a message
        ("04-06 07:36:40", "小鹿", False),
        ("04-06 07:41:00", "阿杰", False),  # the [图片] before it is not a message
        ("04-06 07:52:10", "系统消息", True),  # a notice too long to pass for a name
        ("04-06 08:02:00", "Momo", False),
        ("04-06 08:03:30", "阿杰", False),
        ("04-06 08:05:00", "Tom & Jerry", False),  # MemoTrace HTML-escapes names
        ("04-06 08:06:18", "系统消息", True),
        ("04-06 12:31:00", "阿杰", False),  # the [语音] before it is not a message
    ]
    assert msgs[1].text == '"阿杰"邀请"小鹿"加入了群聊'
    assert msgs[4].text.endswith('"周周"和"小鱼儿"加入了群聊')
    assert msgs[9].text == "四月徒步路线回顾 12公里城市绿道 https://example.org/hike/april"


def test_memotrace_csv_types() -> None:
    loaded = load(MEMOTRACE / "城市徒步群_utf8.csv")
    assert loaded.format == "memotrace"
    msgs = spoken(loaded.messages)
    assert {m.channel for m in msgs} == {"城市徒步群"}  # "_utf8" is MemoTrace's suffix
    assert rows(msgs) == [
        ("04-06 07:30:00", "阿杰", False),  # Remark wins over NickName
        ("04-06 07:35:00", "系统消息", True),  # Type 10000; the Type 47 sticker is gone
        ("04-06 07:36:40", "小鹿", False),
        ("04-06 07:41:00", "阿杰", False),  # the Type 3 image is gone
        ("04-06 07:58:20", "林薇", False),
        ("04-06 08:02:00", "Momo", False),  # no Remark: the NickName
        ("04-06 08:06:18", "系统消息", True),  # CDATA stripped
        ("04-06 18:00:05", "阿杰", False),  # the Type 34 voice message is gone
    ]
    assert msgs[6].text == '"Momo" 撤回了一条消息'
    assert msgs[0].ts == datetime(2024, 4, 6, 7, 30, tzinfo=CST)  # from CreateTime (epoch)
    assert msgs[0].author_id == msgs[3].author_id and str(msgs[0].author_id).startswith("wx-")
    assert_no_accounts(loaded)


def test_memotrace_csv_with_only_the_local_time_column(tmp_path: Path) -> None:
    import csv

    with (MEMOTRACE / "城市徒步群_utf8.csv").open(encoding="utf-8-sig", newline="") as f:
        table = [{k: v for k, v in row.items() if k != "CreateTime"} for row in csv.DictReader(f)]
    path = tmp_path / "城市徒步群_utf8.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(table[0]))
        writer.writeheader()
        writer.writerows(table)
    reference = load(MEMOTRACE / "城市徒步群_utf8.csv").messages
    assert [(m.ts, m.author, m.text) for m in load(path).messages] == [
        (m.ts, m.author, m.text) for m in reference
    ]


def _quote(reply: str, sender: str, name: str, quoted: str, createtime: str) -> str:
    """A WeChat quote (appmsg type 57) as MemoTrace writes it in StrContent."""
    return (
        f'<msg><appmsg appid="" sdkver="0"><title>{reply}</title><des></des><type>57</type>'
        f"<refermsg><type>1</type><svrid>7430000002552918343</svrid>"
        f"<fromusr>48021937563@chatroom</fromusr><chatusr>{sender}</chatusr>"
        f"<displayname>{name}</displayname><content>{quoted}</content>"
        f"<createtime>{createtime}</createtime></refermsg></appmsg>"
        f"<fromusername>wxid_tuanzhang01</fromusername></msg>"
    )


def test_memotrace_csv_quote_replies_answer_the_message_they_quote(tmp_path: Path) -> None:
    """A quote names the quoted message by sender and send time: the reply links to it, so the
    question counts as answered, even hours later with other talk between."""
    import csv

    header = (
        "localId,TalkerId,Type,SubType,IsSender,CreateTime,Status,StrContent,StrTime,Remark,"
        "NickName,Sender"
    )
    rows_ = [
        (
            1,
            1,
            "1795739450",
            "冬至的汤圆今年还团吗？",
            "2026-11-27 08:30:50",
            "豆豆妈",
            "wxid_ddm13",
        ),
        (2, 1, "1795740000", "今天好冷", "2026-11-27 08:40:00", "王姐", "wxid_wj55"),
        (3, 1, "1795740100", "鸡蛋还有吗？", "2026-11-27 08:41:40", "王姐", "wxid_wj55"),
        (
            4,
            49,
            "1795751286",
            _quote(
                "团的！12月14日开团", "wxid_ddm13", "豆豆妈", "冬至的汤圆今年还团吗？", "1795739450"
            ),
            "2026-11-27 11:48:06",
            "团长-阿May",
            "wxid_tuanzhang01",
        ),
        # no send time in the quote: found by its sender and text
        (
            5,
            49,
            "1795751300",
            _quote("还有三盒", "wxid_wj55", "王姐", "鸡蛋还有吗？", ""),
            "2026-11-27 11:48:20",
            "团长-阿May",
            "wxid_tuanzhang01",
        ),
    ]
    path = tmp_path / "邻里团购群_utf8.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header.split(","))
        for local, kind, created, text, shown, nick, sender in rows_:
            writer.writerow([local, 1, kind, 0, 0, created, 2, text, shown, "", nick, sender])
    msgs = load(path).messages
    question, _, eggs, answer, stock = msgs
    assert (answer.text, answer.reply_to) == ("团的！12月14日开团", question.id)
    assert (stock.text, stock.reply_to) == ("还有三盒", eggs.id)
    assert question.reply_to is None


def test_memotrace_html() -> None:
    loaded = load(MEMOTRACE / "城市徒步群.html")
    assert loaded.format == "memotrace"
    msgs = spoken(loaded.messages)
    assert {m.channel for m in msgs} == {"城市徒步群"}
    assert [m.author for m in msgs] == [
        "阿杰",
        "系统消息",
        "小鹿",
        "阿杰",
        "Momo",
        "阿杰",
        "阿杰",
        "林薇",
    ]
    assert msgs[3].text == "欢迎@小鹿 ！记得带水和防晒[微笑]"  # the emoji <img> back to its code
    assert msgs[4].text == "今天还有名额吗？\n我朋友也想来 <3"
    assert msgs[6].text == "四月徒步路线回顾 12公里城市绿道 {精选} https://example.org/hike/april"
    assert msgs[7].text == 'Tom & Jerry 说的 "别迟到" 我记住了'
    assert msgs[1].is_service and msgs[1].text == '"阿杰"邀请"小鹿"加入了群聊'


# ---- PyWxDump ---------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["csv", "json"])
def test_pywxdump_exports_use_users_json_for_names(kind: str) -> None:
    path = next((EXPORTS / "pywxdump" / kind).rglob("38104277316@chatroom_0_*"))
    loaded = load(path)
    assert loaded.format == "pywxdump"
    msgs = spoken(loaded.messages)
    assert [m.author for m in msgs][:6] == [
        "Maya（活动组）",
        "Jon",
        "Maya（活动组）",
        "系统消息",
        "小雨",
        "系统消息",
    ]
    assert msgs[2].text == "不用准备，海报上有提纲"  # the quoted part is not repeated
    assert msgs[2].reply_to == msgs[1].id == "3391027450018263512"
    assert msgs[5].text == '"Jon" 拍了拍 "小雨"'
    assert msgs[0].ts == datetime(2024, 5, 6, 20, 0, 12, tzinfo=CST)
    # 图片, 动画表情 and 语音 records are not messages.
    assert len(msgs) == 7
    assert_no_accounts(loaded)


def test_pywxdump_without_users_json_never_shows_a_wxid(tmp_path: Path) -> None:
    source = next((EXPORTS / "pywxdump" / "json").rglob("*_0_*.json"))
    shutil.copy(source, tmp_path / source.name)
    loaded = load(tmp_path / source.name)
    assert loaded.messages[0].author.startswith("wx-")
    assert_no_accounts(loaded)


def test_pywxdump_folder_ingest_leaves_the_contact_list_out() -> None:
    units = discover([EXPORTS / "pywxdump"])
    assert [p.name for p in units] == [  # type: ignore[union-attr]
        "38104277316@chatroom_0_5000.csv",
        "38104277316@chatroom_0_11.json",
    ]


# ---- WeCom 会话内容存档 --------------------------------------------------------------------------


def test_wecom_archive_json_lines() -> None:
    path = EXPORTS / "wecom_archive" / "chatdata.jsonl"
    loaded = load(path)
    assert loaded.format == "wecom-archive"
    msgs = spoken(loaded.messages)
    assert [m.author for m in msgs] == [
        "lixiaoyu",
        "wmGy3kCgAAx7V8bYp0mG2qE1Uv9s5TcQ",
        "zhaoming",
        "wbGy3kCgAAWoRkQ2yJ8Vj7bXq2C4mN5t",
        "wmGy3kCgAAx7V8bYp0mG2qE1Uv9s5TcQ",
    ]
    texts = [m.text for m in msgs]
    assert "每年12月31日清零哦，我打错了，是明年3月31日" not in texts  # recalled
    assert texts[2] == "积分有效期到明年3月31日，\n详见上图的会员规则。"  # mixed, image dropped
    assert texts[3] == "**本周活动**\n> 周六 14:00 门店烘焙课，名额 20 人"  # markdown
    assert texts[4] == "烘焙课报名 周六 14:00 门店 https://example.org/baking"  # link
    assert msgs[0].ts == datetime(2024, 5, 6, 12, 0, 0, 123000, tzinfo=UTC)
    assert msgs[0].id == "CAQQluDa4QUY0On2rYSAgAMgzPrShAE="
    assert loaded.warnings == [f"{path}: skipped 1 one-to-one message(s) (no roomid)"]


def test_wecom_archive_still_encrypted_says_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "chatdata.jsonl"
    record = {
        "seq": 1,
        "msgid": "m1",
        "publickey_ver": 1,
        "encrypt_random_key": "a",
        "encrypt_chat_msg": "b",
    }
    path.write_text(
        json.dumps(record) + "\n" + json.dumps(record | {"seq": 2}) + "\n", encoding="utf-8"
    )
    with pytest.raises(UnreadableFileError, match="decrypt them first with the WeCom Finance SDK"):
        load(path)


# ---- QQChatExporter (QQ NT) --------------------------------------------------------------------


def test_qq_chat_exporter_json() -> None:
    loaded = load(next((EXPORTS / "qq_chat_exporter").glob("*.json")))
    assert loaded.format == "qq-chat-exporter"
    msgs = {m.id: m for m in spoken(loaded.messages)}
    assert {m.channel for m in loaded.messages} == {"周末读书会"}
    assert "7500000000000000003" not in msgs  # an image
    assert "7500000000000000006" not in msgs  # recalled
    assert "7500000000000000008" not in msgs  # a voice message
    reply = msgs["7500000000000000004"]
    assert (reply.text, reply.reply_to) == ("不用全部读完，带着问题来就行", "7500000000000000002")
    assert msgs["7500000000000000005"].is_service
    assert msgs["7500000000000000001"].author_id == "u_Lw3rK9pQ2mX8vB1nC4dF6g"  # never the uin
    assert_no_accounts(loaded)


# ---- detection -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (EXPORTS / "qq" / "周末读书会.txt", "qq"),
        (EXPORTS / "qq" / "全部消息记录.txt", "qq"),
        (EXPORTS / "chatlog" / "运营交流群.txt", "chatlog"),
        (EXPORTS / "chatlog" / "chatlog_messages.json", "chatlog"),
        (MEMOTRACE / "城市徒步群.txt", "wechat"),
        (MEMOTRACE / "城市徒步群_utf8.csv", "memotrace"),
        (MEMOTRACE / "城市徒步群.html", "memotrace"),
        (
            EXPORTS
            / "pywxdump"
            / "csv"
            / "38104277316@chatroom"
            / "38104277316@chatroom_0_5000.csv",
            "pywxdump",
        ),
        (
            EXPORTS
            / "pywxdump"
            / "json"
            / "38104277316@chatroom"
            / "38104277316@chatroom_0_11.json",
            "pywxdump",
        ),
        (EXPORTS / "pywxdump" / "json" / "38104277316@chatroom" / "users.json", None),
        (EXPORTS / "wecom_archive" / "chatdata.jsonl", "wecom-archive"),
    ],
)
def test_detected_without_kind(path: Path, expected: str | None) -> None:
    assert detect_chat_format(path) == expected


def spoken(messages: list[ChatMessage]) -> list[ChatMessage]:
    """The messages that say something (media-only posts are kept as '[图片]' placeholders;
    `test_media_only_posts_are_placeholders` checks them)."""
    return [m for m in messages if not is_media_only(m.text)]


@pytest.mark.parametrize(
    ("path", "placeholders"),
    [
        (EXPORTS / "qq" / "周末读书会.txt", ["[图片]"]),
        (EXPORTS / "chatlog" / "运营交流群.txt", ["[图片]", "[动画表情]", "[语音]"]),
        (
            EXPORTS / "memotrace" / "城市徒步群" / "城市徒步群_utf8.csv",
            ["[表情]", "[图片]", "[语音]"],
        ),
    ],
)
def test_media_only_posts_are_placeholders(path: Path, placeholders: list[str]) -> None:
    year = ExportOptions(year=2024) if path.parent.name == "chatlog" else None
    loaded = load(path, options=year) if year else load(path)
    media = [m for m in loaded.messages if is_media_only(m.text)]
    assert sorted(m.text for m in media) == sorted(placeholders)
    assert all(not m.is_service for m in media)
