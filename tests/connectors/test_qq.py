"""QQ official bot API webhook: the documented key derivation and callback check, signed group
@-messages, and passive replies (msg_id + msg_seq, inside the reply window) on the fake API."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from connectors.base import Challenge, DeliveryError, Ignored, InboundMessage, VerificationError
from connectors.platforms.qq import QqConnector, signing_key
from tests.connectors.conformance import ConnectorConformance
from tests.connectors.fake_platform import QQ_ACCESS_TOKEN, FakePlatform
from tests.connectors.helpers import (
    QQ_SECRET,
    Req,
    dumps,
    qq_event,
    qq_key,
    qq_request,
    qq_settings,
    vector,
)

# _source: the official QQ bot docs (event-emit.md, sign.md, send-receive/event.md)
KAT = vector("qq_webhook_vectors.json")
NOW = 1_700_000_000


def qq(**kw: Any) -> QqConnector:
    return QqConnector(qq_settings(**kw))


def group_at(content: str = " 会费多少？", **extra: Any) -> dict[str, Any]:
    return {**KAT["group_at_message_create_d"], "content": content, **extra}


class TestQqConformance(ConnectorConformance):
    platform = "qq"
    payload = qq_event("GROUP_AT_MESSAGE_CREATE", KAT["group_at_message_create_d"])
    odd_shape = qq_event(
        "GROUP_AT_MESSAGE_CREATE", {**KAT["group_at_message_create_d"], "author": "x"}
    )

    def make(self) -> QqConnector:
        return qq()

    def sign(self, payload: bytes, ts: int, right_secret: bool = True) -> Req:
        return qq_request(payload, ts, QQ_SECRET if right_secret else "not-the-bot-secret")


def test_key_derivation_matches_the_documented_public_key() -> None:
    demo = KAT["key_derivation"]
    public = signing_key(demo["secret"]).public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    assert list(public) == demo["public_key"]


def test_callback_url_check_is_answered_as_documented() -> None:
    x = KAT["validation"]
    result, response = qq().handle(x["headers"], x["raw_body"].encode(), {}, now=NOW)
    assert isinstance(result, Challenge)
    assert response.status_code == 200 and response.media_type == "application/json"
    assert json.loads(response.body) == x["expected_response"]


@pytest.mark.parametrize(
    "token", ['{"op":0,"d":{},"t":"GROUP_AT_MESSAGE_CREATE"}', "a b", "", "x" * 65]
)
def test_callback_check_never_signs_anything_but_a_plain_token(token: str) -> None:
    # Otherwise anyone could have us sign "timestamp + forged body" and replay it as an event.
    body = dumps({"op": 13, "d": {"plain_token": token, "event_ts": "1725442341"}})
    with pytest.raises(VerificationError, match="missing QQ signature"):
        qq().handle({}, body, {}, now=NOW)


def test_group_at_message_doc_example() -> None:
    req = qq_request(qq_event("GROUP_AT_MESSAGE_CREATE", KAT["group_at_message_create_d"]), NOW)
    msg, response = qq().handle(req.headers, req.body, {}, now=NOW)
    assert isinstance(msg, InboundMessage)
    d = KAT["group_at_message_create_d"]
    assert (msg.chat_id, msg.chat_type, msg.user_id) == (
        d["group_openid"],
        "group",
        d["author"]["member_openid"],
    )
    assert (msg.text, msg.mentioned, msg.message_id, msg.event_id) == (
        "123",
        True,
        d["id"],
        d["id"],
    )
    assert json.loads(response.body) == {"op": 12, "d": 0}  # HTTP Callback ACK


def test_c2c_message_is_private_and_a_command_is_split() -> None:
    d = {**KAT["c2c_message_create_d"], "content": "/summary 24h"}
    msg = qq().parse({}, qq_event("C2C_MESSAGE_CREATE", d), {})
    assert isinstance(msg, InboundMessage)
    assert (msg.chat_type, msg.chat_id, msg.command, msg.args) == (
        "private",
        d["author"]["user_openid"],
        "summary",
        "24h",
    )


def test_other_events_are_acked_and_ignored() -> None:
    added = qq_event("GROUP_ADD_ROBOT", {"group_openid": "G", "op_member_openid": "M"})
    assert isinstance(qq().parse({}, added, {}), Ignored)
    ack = qq().ack(Ignored("x"))
    assert json.loads(ack.body) == {"op": 12, "d": 0}


def test_signature_of_another_bot_is_refused() -> None:
    req = qq_request(qq_event("GROUP_AT_MESSAGE_CREATE", group_at()), NOW, "AnotherBotSecret12")
    with pytest.raises(VerificationError, match="invalid QQ signature"):
        qq().verify(req.headers, req.body, {}, now=NOW)


def _message(age: timedelta, kind: str = "group") -> InboundMessage:
    sent = datetime.now(UTC) - age
    d = group_at(timestamp=sent.isoformat())
    msg = qq().parse({}, qq_event("GROUP_AT_MESSAGE_CREATE", d), {})
    assert isinstance(msg, InboundMessage)
    return msg.model_copy(update={"reply_context": {**msg.reply_context, "kind": kind}})


async def test_reply_is_passive_with_increasing_msg_seq(fake_platform: FakePlatform) -> None:
    conn = QqConnector(qq_settings(api=fake_platform.url))
    msg = _message(timedelta(seconds=30))
    await conn.reply(msg, "会费每月 30 元，可随时退款。[1]")
    await conn.reply(msg, "补充：退款三个工作日到账。")
    token_calls = fake_platform.calls("/app/getAppAccessToken")
    assert len(token_calls) == 1 and token_calls[0].json == {
        "appId": "11111111",
        "clientSecret": QQ_SECRET,
    }
    sent = fake_platform.calls(f"/v2/groups/{msg.chat_id}/messages")
    assert [(r.json["msg_id"], r.json["msg_seq"], r.json["msg_type"]) for r in sent] == [
        (msg.message_id, 1, 0),
        (msg.message_id, 2, 0),
    ]
    assert sent[0].json["content"] == "会费每月 30 元，可随时退款。[1]"
    assert {r.headers["authorization"] for r in sent} == {f"QQBot {QQ_ACCESS_TOKEN}"}
    await conn.aclose()


async def test_a_long_answer_stops_at_five_replies(fake_platform: FakePlatform) -> None:
    conn = QqConnector(qq_settings(api=fake_platform.url))
    conn.limit = 20
    await conn.reply(_message(timedelta(seconds=5)), "很长的回答。" * 40)
    sent = fake_platform.calls("/messages")
    assert [r.json["msg_seq"] for r in sent] == [1, 2, 3, 4, 5]
    assert sent[-1].json["content"].endswith("…")
    await conn.aclose()


async def test_reply_after_the_window_is_refused_without_calling_qq(
    fake_platform: FakePlatform,
) -> None:
    conn = QqConnector(qq_settings(api=fake_platform.url))
    with pytest.raises(DeliveryError, match="only within 5 minutes"):
        await conn.reply(_message(timedelta(minutes=6)), "太晚了")
    await conn.reply(_message(timedelta(minutes=30), kind="c2c"), "单聊 60 分钟内可以")
    assert len(fake_platform.calls("/v2/users/")) == 1
    assert fake_platform.calls("/v2/groups/") == []
    await conn.aclose()


async def test_unprompted_posts_are_refused_with_the_reason() -> None:
    with pytest.raises(DeliveryError, match="no longer post unprompted"):
        await qq().send("GROUP", "每周摘要")


async def test_api_error_is_a_delivery_error(fake_platform: FakePlatform) -> None:
    fake_platform.respond(
        "POST",
        r"/v2/groups/.*/messages",
        status=400,
        json={"code": 22009, "message": "msg limit exceed"},
    )
    conn = QqConnector(qq_settings(api=fake_platform.url))
    with pytest.raises(DeliveryError, match="msg limit exceed"):
        await conn.reply(_message(timedelta(seconds=1)), "hi")
    await conn.aclose()


def test_signing_key_uses_the_repeated_secret() -> None:
    assert qq_key().sign(b"x") == signing_key(QQ_SECRET).sign(b"x")
