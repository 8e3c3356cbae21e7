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
    "text",
    [
        "活动时间 2026-11-03 20:01:15，地点 3 楼",
        "2026/11/3 20:00 至 22:00",
        "价格 ¥1380.00，早鸟价 $1,299.99，共 1,234,567 人次",
        "see https://example.com/events/2026-11-03?id=42&page=2",
        "https://github.com/org/repo/pull/1234567",
        "Slack ts 1700000000.000200 and ms 1700000000123",
        "订单号 110101199003077777（校验位不对）",
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
