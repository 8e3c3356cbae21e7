"""OneBot v11 (NapCat, Lagrange, LLOneBot) HTTP POST: the X-Signature HMAC-SHA1, group messages
in both message forms (segments and CQ codes), and replies through the HTTP API on the fake."""

from __future__ import annotations

import json
from typing import Any

import pytest

from connectors.base import DeliveryError, Ignored, InboundMessage, VerificationError
from connectors.platforms.onebot import OnebotConnector, message_segments
from tests.connectors.conformance import ConnectorConformance
from tests.connectors.fake_platform import FakePlatform
from tests.connectors.helpers import (
    ONEBOT,
    ONEBOT_SECRET,
    Req,
    dumps,
    onebot_group_message,
    onebot_request,
    onebot_settings,
)

NOW = 1_700_000_000


def onebot(**kw: Any) -> OnebotConnector:
    return OnebotConnector(onebot_settings(**kw))


class TestOnebotConformance(ConnectorConformance):
    platform = "onebot"
    payload = dumps(onebot_group_message("会费多少？", NOW))
    odd_shape = dumps({**onebot_group_message("x", NOW), "sender": "not an object"})

    def make(self) -> OnebotConnector:
        return onebot()

    def sign(self, payload: bytes, ts: int, right_secret: bool = True) -> Req:
        # The time OneBot stamps an event with is inside the signed body.
        try:
            data = json.loads(payload)
        except ValueError:
            data = None
        if isinstance(data, dict) and "time" in data:
            payload = dumps({**data, "time": ts})
        return onebot_request(payload, ONEBOT_SECRET if right_secret else "wrong-secret")


def test_known_answer_signature_and_event() -> None:
    msg, response = onebot().handle(ONEBOT["headers"], ONEBOT["raw_body"].encode(), {}, now=NOW)
    assert isinstance(msg, InboundMessage) and response.status_code == 200
    assert (msg.chat_id, msg.chat_type, msg.user_id, msg.user_name) == (
        "123456789",
        "group",
        "20002000",
        "林薇",  # the group card before the nickname
    )
    assert (msg.text, msg.mentioned, msg.event_id) == ("会费多少？", True, "10001000:-2147480001")


@pytest.mark.parametrize("change", ["body", "signature", "prefix"])
def test_any_change_to_the_vector_is_401(change: str) -> None:
    headers, body = dict(ONEBOT["headers"]), ONEBOT["raw_body"].encode()
    if change == "body":
        body = body.replace("会费".encode(), "退款".encode())
    elif change == "signature":
        headers["X-Signature"] = headers["X-Signature"][:-1] + "0"
    else:
        headers["X-Signature"] = headers["X-Signature"].replace("sha1=", "")
    with pytest.raises(VerificationError) as err:
        onebot().handle(headers, body, {}, now=NOW)
    assert err.value.status == 401


def test_cq_code_string_messages_are_read_like_segments() -> None:
    segments = message_segments("[CQ:at,qq=10001000] 周六&#91;线下&#93;活动几点？[CQ:face,id=14]")
    assert segments == [
        {"type": "at", "data": {"qq": "10001000"}},
        {"type": "text", "data": {"text": " 周六[线下]活动几点？"}},
        {"type": "face", "data": {"id": "14"}},
    ]
    event = {**onebot_group_message("x", NOW), "message": "[CQ:at,qq=10001000] 活动几点？"}
    msg = onebot().parse({}, dumps(event), {})
    assert isinstance(msg, InboundMessage) and (msg.text, msg.mentioned) == ("活动几点？", True)


def test_unmentioned_group_chatter_is_not_addressed_and_others_numbers_stay_out() -> None:
    event = onebot_group_message("早上好", NOW, at_bot=False)
    event["message"].insert(0, {"type": "at", "data": {"qq": "30003000"}})
    msg = onebot().parse({}, dumps(event), {})
    assert isinstance(msg, InboundMessage)
    assert (msg.mentioned, msg.text) == (False, "早上好")  # no "30003000" in the text


def test_non_message_events_and_the_bots_own_messages_are_ignored() -> None:
    heartbeat = {"time": NOW, "self_id": 10001000, "post_type": "meta_event",
                 "meta_event_type": "heartbeat", "interval": 5000}  # fmt: skip
    assert isinstance(onebot().parse({}, dumps(heartbeat), {}), Ignored)
    own = {**onebot_group_message("hi", NOW), "user_id": 10001000}
    assert isinstance(onebot().parse({}, dumps(own), {}), Ignored)


async def test_reply_quotes_the_question_and_mentions_with_segments(
    fake_platform: FakePlatform,
) -> None:
    conn = OnebotConnector(onebot_settings(api=fake_platform.url))
    msg = conn.parse({}, dumps(onebot_group_message("会费多少？", NOW, message_id=4242)), {})
    assert isinstance(msg, InboundMessage)
    await conn.reply(msg, "会费每月 30 元。[1] @全体成员", mention=["30003000"])
    (call,) = fake_platform.calls("/send_group_msg")
    assert call.headers["authorization"] == "Bearer onebot-token"
    assert call.json == {
        "group_id": 123456789,
        "message": [
            {"type": "reply", "data": {"id": "4242"}},
            {
                "type": "text",
                "data": {"text": "会费每月 30 元。[1] @全体成员"},
            },  # text: pings nobody
            {"type": "at", "data": {"qq": "30003000"}},
        ],
    }
    await conn.aclose()


async def test_failed_api_call_is_a_delivery_error(fake_platform: FakePlatform) -> None:
    fake_platform.respond(
        "POST",
        r"/send_group_msg",
        json={
            "status": "failed",
            "retcode": 1200,
            "wording": "消息发送失败，请尝试重发",
            "data": None,
        },
    )
    conn = OnebotConnector(onebot_settings(api=fake_platform.url))
    with pytest.raises(DeliveryError, match="retcode 1200"):
        await conn.send("123456789", "每周摘要")
    await conn.aclose()
