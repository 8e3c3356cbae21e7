"""Redaction: personal data in chat text is replaced; dates, prices, links and ids survive."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from copilot.knowledge.redact import RULES, id_card_valid, luhn_valid, redact, redact_message
from copilot.models import ChatMessage


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Mainland mobiles, glued to Chinese text, grouped, with country code.
        ("我的电话13812345678谢谢", "我的电话[PHONE]谢谢"),
        ("手机：138 1234 5678，晚上打", "手机：[PHONE]，晚上打"),
        ("call 138-1234-5678 after 6pm", "call [PHONE] after 6pm"),
        ("WhatsApp +86 138 1234 5678 or +8613812345678", "WhatsApp [PHONE] or [PHONE]"),
        ("(+86)13912345678", "[PHONE]"),
        ("0086-15012345678", "[PHONE]"),
        # International and North American forms.
        ("ring +44 20 7946 0958 today", "ring [PHONE] today"),
        ("US office +1 (415) 555-0132.", "US office [PHONE]."),
        ("call me at (415) 555-0132 or 415.555.0132", "call me at [PHONE] or [PHONE]"),
        # Landlines: with an area code, or after an explicit cue.
        ("座机010-12345678转分机", "座机[PHONE]转分机"),
        ("电话：0755-86013388", "电话：[PHONE]"),
        ("tel: 020 7946 0958", "tel: [PHONE]"),
        # E-mail, in Chinese context and with plus tags.
        ("邮箱abc.def@qq.com谢谢", "邮箱[EMAIL]谢谢"),
        ("write to jane+events@mail.example.org.", "write to [EMAIL]."),
        ("13812345678@163.com", "[EMAIL]"),
        # Resident ID cards with a valid checksum (X suffix in either case).
        ("身份证11010519491231002X请核对", "身份证[ID_CARD]请核对"),
        ("id 11010519491231002x", "id [ID_CARD]"),
        ("证件号：110101199003071014", "证件号：[ID_CARD]"),
        # Bank cards that pass the Luhn check, contiguous or grouped.
        ("卡号6222021234567890128", "卡号[BANK_CARD]"),
        ("card 4111 1111 1111 1111 exp 12/28", "card [BANK_CARD] exp 12/28"),
        ("转账到 6217-0000-0000-0000-004 即可", "转账到 [BANK_CARD] 即可"),
        # WeChat ids after a cue; the cue stays so the sentence still reads.
        ("加我微信：alice_2024", "加我微信：[WECHAT_ID]"),
        ("我的微信号是 Linwei-ops", "我的微信号是 [WECHAT_ID]"),
        ("有问题加vx abc123456", "有问题加vx [WECHAT_ID]"),
        ("V信: shequ_yunying", "V信: [WECHAT_ID]"),
        ("wx：zhang_san88 备注社群", "wx：[WECHAT_ID] 备注社群"),
        ("WeChat ID: growth_hacker", "WeChat ID: [WECHAT_ID]"),
        ("his id is wxid_k2j4h5g6f7d8", "his id is [WECHAT_ID]"),
        ("QQ号：123456789", "QQ号：[QQ]"),
        ("加qq 987654321", "加qq [QQ]"),
    ],
)
def test_personal_data_is_replaced(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The shapes a red-team pass found stored as is (hardening issue, finding 2).
        ("号码8613500135000", "号码[PHONE]"),
        ("打(138)0013-8003找我", "打[PHONE]找我"),
        ("call 138.0013.8004", "call [PHONE]"),
        ("电话１３８－００１３－８００５谢谢", "电话[PHONE]谢谢"),
        ("我的号 １３８００１３８００５", "我的号 [PHONE]"),
        ("1 3 8 0 0 1 3 8 0 0 6 这个号", "[PHONE] 这个号"),
        ("老身份证 110105491231002 还能用吗", "老身份证 [ID_CARD] 还能用吗"),
        ("证件 110105194912310021 校验位错了", "证件 [ID_CARD] 校验位错了"),
        ("订单号 110101199003077777（校验位不对）", "订单号 [ID_CARD]（校验位不对）"),
        ("卡 6222 0212 3456 7890 123 转我", "卡 [BANK_CARD] 转我"),
        ("card 4111-1111-1111-1112", "card [BANK_CARD]"),
        ("mail bob [at] bravo [dot] io thanks", "mail [EMAIL] thanks"),
        ("bob(at)bravo(dot)io", "[EMAIL]"),
        ("write bob at bravo dot io", "write [EMAIL]"),
        ("bob＠bravo．io", "[EMAIL]"),
        ("josé@bücher.de", "[EMAIL]"),
        ("邮箱 张三@例子.中国 谢谢", "邮箱 [EMAIL] 谢谢"),
        ("ivan@пример.рф", "[EMAIL]"),
        ("+V：abc12345 领资料", "+V：[WECHAT_ID] 领资料"),
        ("加V abc_123 拉你进群", "加V [WECHAT_ID] 拉你进群"),
        ("vx:wxabc123", "vx:[WECHAT_ID]"),
        ("＋Ｖ：ｌｉｎｇｑｕ８８", "＋Ｖ：[WECHAT_ID]"),
        ("加V：123456789", "加V：[WECHAT_ID]"),
        ("v：shequ2024", "v：[WECHAT_ID]"),
    ],
)
def test_shapes_that_used_to_slip_through(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "活动时间 2026-11-03 20:01:15，地点 3 楼",
        "2026/11/3 20:00 至 22:00",
        "价格 ¥1380.00，早鸟价 $1,299.99，共 1,234,567 人次",
        "see https://example.com/events/2026-11-03?id=42&page=2",
        "https://github.com/org/repo/pull/1234567",
        "Slack ts 1700000000.000200 and ms 1700000000123",
        "order 4111111111111112 (fails Luhn)",
        "流水号 1234567890123456789",
        "version 1.13812345678 is odd but not a phone",
        "WeChat channels are great for short videos",
        "我们的微信群很活跃",
        "QQ群：123456789",
        "电话会议 2026-11-03 20:00 开始",
        "the hotel 1234567 room block",
        "score 3-2, 15:30 kick-off, 98.6°F",
        "@alice.smith mentioned you",
        "look at example.com for the schedule",
        "meet at the cafe, then dot the i's",
        "v1.2.3 released; version 2 at 10:30",
        "价格 138.00 元，共 13 8 人",
        "全角逗号，全角冒号：不受影响",
        "",
    ],
)
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert redact(text) == text


def test_rules_pick_a_subset() -> None:
    text = "邮箱 a@b.cn 电话 13812345678"
    assert redact(text, rules={"email"}) == "邮箱 [EMAIL] 电话 13812345678"
    assert redact(text, rules={"phone"}) == "邮箱 a@b.cn 电话 [PHONE]"
    assert redact(text, rules=set()) == text
    assert redact(text, rules=RULES) == "邮箱 [EMAIL] 电话 [PHONE]"


def test_unknown_rule_is_refused_with_the_known_ones() -> None:
    with pytest.raises(ValueError, match=r"unknown redaction rule\(s\) \['phones'\]; known: "):
        redact("x", rules={"phones"})


def test_several_kinds_in_one_message() -> None:
    text = (
        "联系人张三，手机13912345678，邮箱zs@example.com，"
        "微信 zhangsan_88，身份证11010519491231002X"
    )
    assert redact(text) == (
        "联系人张三，手机[PHONE]，邮箱[EMAIL]，微信 [WECHAT_ID]，身份证[ID_CARD]"
    )


def test_checksums() -> None:
    assert id_card_valid("11010519491231002X")
    assert not id_card_valid("110105194912310021")
    assert luhn_valid("4111111111111111")
    assert not luhn_valid("4111111111111112")


def test_redact_message_changes_only_the_text() -> None:
    msg = ChatMessage(
        id="1",
        community="c1",
        channel="群",
        author="13812345678",
        ts=datetime(2026, 11, 3, tzinfo=UTC),
        text="我的电话13812345678谢谢",
        source="chat.txt",
    )
    out = redact_message(msg)
    assert out.text == "我的电话[PHONE]谢谢"
    assert out.model_dump(exclude={"text"}) == msg.model_dump(exclude={"text"})
    clean = msg.model_copy(update={"text": "hello"})
    assert redact_message(clean) is clean
