from __future__ import annotations

import copy
import json
import time
from typing import Any

import httpx
import pytest

from connectors.base import DeliveryError, Ignored, InboundMessage, VerificationError
from connectors.http import same_origin
from connectors.platforms.dingtalk import DingtalkConnector, sign
from tests.connectors.conformance import ConnectorConformance
from tests.connectors.fake_platform import FakePlatform
from tests.connectors.helpers import (
    DINGTALK_SECRET,
    Req,
    dingtalk_request,
    dingtalk_settings,
    dumps,
    vector,
)

# _source: DERIVED from DingTalk doc literals (receive-message timestamp, signing sample secret)
SIGN = vector("dingtalk_callback_sign_vector_DERIVED.json")
# _source: DingTalk docs '接收消息的消息协议' (open.dingtalk.com/document/isvapp/receive-message)
SAMPLE = vector("dingtalk_robot_callback_group_message.json")
TS = int(SIGN["headers"]["timestamp"])
NOW = TS / 1000


def dingtalk(**kw: Any) -> DingtalkConnector:
    return DingtalkConnector(dingtalk_settings(**kw))


def test_known_answer_sign() -> None:
    assert sign(SIGN["headers"]["timestamp"], SIGN["app_secret"]) == SIGN["headers"]["sign"]
    dingtalk().verify(SIGN["headers"], b"{}", {}, now=NOW)


@pytest.mark.parametrize("offset_s", [3599, -3599])
def test_inside_one_hour_window_is_accepted(offset_s: int) -> None:
    dingtalk().verify(SIGN["headers"], b"{}", {}, now=NOW + offset_s)


@pytest.mark.parametrize("offset_s", [3601, -3601, 86400])
def test_outside_one_hour_window_is_rejected(offset_s: int) -> None:
    with pytest.raises(VerificationError, match="stale") as err:
        dingtalk().handle(SIGN["headers"], dumps(SAMPLE["body"]), {}, now=NOW + offset_s)
    assert err.value.status == 401


@pytest.mark.parametrize(
    "headers",
    [
        {"timestamp": SIGN["headers"]["timestamp"]},
        {"timestamp": SIGN["headers"]["timestamp"], "sign": SIGN["headers"]["sign"][:-2] + "A="},
        {"timestamp": str(TS + 1), "sign": SIGN["headers"]["sign"]},  # sign is bound to the time
        dingtalk_request(b"{}", TS, secret="not the secret").headers,
    ],
    ids=["missing-sign", "tampered-sign", "other-timestamp", "wrong-secret"],
)
def test_bad_signatures_are_rejected(headers: dict[str, str]) -> None:
    with pytest.raises(VerificationError):
        dingtalk().handle(headers, dumps(SAMPLE["body"]), {}, now=NOW)


def test_signature_does_not_cover_the_body() -> None:
    # DingTalk's scheme signs timestamp + secret only: a body swapped in transit within the hour
    # cannot be detected by verify(). The app layer accepts each sign once (replay_key), keeps
    # one reply URL per conversation and holds operator commands (connectors_e2e/test_forgery).
    body = dumps({**SAMPLE["body"], "text": {"content": "changed"}})
    dingtalk().verify(SIGN["headers"], body, {}, now=NOW)


def test_group_message_sample() -> None:
    msg, response = dingtalk().handle(
        SAMPLE["headers"] | SIGN["headers"], dumps(SAMPLE["body"]), {}, now=NOW
    )
    assert isinstance(msg, InboundMessage)
    assert msg.text == "你好" and msg.mentioned and msg.chat_type == "group"
    assert (msg.chat_id, msg.user_id, msg.user_name) == ("xxx", "user123", "杨xx")
    assert msg.event_id == msg.message_id == "msg0xxxxx"
    assert (
        msg.reply_context["session_webhook"]
        == "https://oapi.dingtalk.com/robot/sendBySession?session=xxxxx"
    )
    assert response.status_code == 200


def test_private_chat_and_command() -> None:
    body = {
        **SAMPLE["body"],
        "conversationType": "1",
        "isInAtList": False,
        "text": {"content": "/summary 7d"},
    }
    msg = dingtalk().parse({}, dumps(body), {})
    assert isinstance(msg, InboundMessage)
    assert (msg.chat_type, msg.mentioned, msg.command, msg.args) == (
        "private",
        True,
        "summary",
        "7d",
    )
    assert isinstance(dingtalk().parse({}, dumps({**body, "msgtype": "picture"}), {}), Ignored)


def test_session_webhook_host_check() -> None:
    api = "https://oapi.dingtalk.com"
    assert same_origin(SAMPLE["body"]["sessionWebhook"], api)
    assert not same_origin("https://oapi.dingtalk.com.evil.example/robot/sendBySession", api)
    assert not same_origin("http://oapi.dingtalk.com/robot/sendBySession", api)
    assert not same_origin("/robot/sendBySession", api)


def sample_on(fake: FakePlatform, **changes: Any) -> bytes:
    body = copy.deepcopy(SAMPLE["body"])
    body["sessionWebhook"] = fake.url + "/robot/sendBySession?session=xxxxx"
    body["sessionWebhookExpiredTime"] = int(time.time() * 1000) + 5_400_000
    return dumps(body | changes)


async def test_reply_posts_to_session_webhook(
    fake_platform: FakePlatform, http: httpx.AsyncClient
) -> None:
    conn = DingtalkConnector(dingtalk_settings(api=fake_platform.url), http)
    msg = conn.parse({}, sample_on(fake_platform), {})
    assert isinstance(msg, InboundMessage)
    await conn.reply(msg, "你好，活动在周五。", mention=["user123"])
    (call,) = fake_platform.requests
    assert (call.path, call.query) == ("/robot/sendBySession", {"session": "xxxxx"})
    # The reply shape of dingtalk-stream-sdk-python reply_text, as recorded in the vector.
    expected = SAMPLE[
        "reply_via_sessionWebhook_as_in_open-dingtalk/dingtalk-stream-sdk-python_chatbot.py_reply_text"
    ]
    assert call.json.keys() >= expected["body"].keys()
    assert call.json["text"] == {"content": "你好，活动在周五。\n\n@user123"}
    assert call.json["at"] == {"atUserIds": ["user123"], "isAtAll": False}


@pytest.mark.parametrize(
    "change",
    [
        {"sessionWebhook": "https://attacker.example/robot/sendBySession?session=x"},
        {"sessionWebhookExpiredTime": 1613635652738},
    ],
    ids=["foreign-host", "expired"],
)
async def test_reply_refuses_foreign_or_expired_webhook(
    fake_platform: FakePlatform, http: httpx.AsyncClient, change: dict[str, Any]
) -> None:
    conn = DingtalkConnector(dingtalk_settings(api=fake_platform.url), http)
    msg = conn.parse({}, sample_on(fake_platform, **change), {})
    assert isinstance(msg, InboundMessage)
    with pytest.raises(DeliveryError):
        await conn.reply(msg, "hi")
    assert fake_platform.requests == []


async def test_send_signs_custom_robot_webhook(
    fake_platform: FakePlatform, http: httpx.AsyncClient
) -> None:
    conn = DingtalkConnector(
        dingtalk_settings(api=fake_platform.url, webhook_secret="SECxyz"), http
    )
    await conn.send("robot-access-token", "本周摘要")
    (call,) = fake_platform.requests
    assert call.path == "/robot/send" and call.query["access_token"] == "robot-access-token"
    assert call.query["sign"] == sign(
        call.query["timestamp"], "SECxyz"
    )  # url-decoded by the server
    assert abs(int(call.query["timestamp"]) / 1000 - time.time()) < 60


async def test_platform_error_raises(fake_platform: FakePlatform, http: httpx.AsyncClient) -> None:
    fake_platform.respond(
        "POST", "/robot/send", json={"errcode": 310000, "errmsg": "sign not match"}
    )
    conn = DingtalkConnector(dingtalk_settings(api=fake_platform.url), http)
    with pytest.raises(DeliveryError, match="310000"):
        await conn.send("tok", "x")
    assert DINGTALK_SECRET not in json.dumps([r.query for r in fake_platform.requests])


class TestDingtalkConformance(ConnectorConformance):
    platform = "dingtalk"
    payload = dumps(vector("dingtalk_robot_callback_group_message.json")["body"])
    odd_shape = b'{"msgtype": "text", "text": "plain string"}'

    def make(self) -> DingtalkConnector:
        return DingtalkConnector(dingtalk_settings())

    def sign(self, payload: bytes, ts: int, right_secret: bool = True) -> Req:
        return dingtalk_request(payload, ts * 1000, DINGTALK_SECRET if right_secret else "x")
