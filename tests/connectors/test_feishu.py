from __future__ import annotations

import json
import os
from typing import Any

import httpx
import pytest

from connectors.base import Challenge, Ignored, InboundMessage, VerificationError
from connectors.platforms.feishu import FeishuConnector, decrypt, signature
from tests.connectors.conformance import ConnectorConformance
from tests.connectors.fake_platform import FEISHU_BOT_OPEN_ID, FEISHU_TENANT_TOKEN, FakePlatform
from tests.connectors.helpers import (
    FEISHU_KEY,
    FEISHU_TOKEN,
    Req,
    dumps,
    feishu_encrypt,
    feishu_event,
    feishu_request,
    feishu_settings,
    vector,
)

NOW = 1_708_399_533


def feishu(**kw: Any) -> FeishuConnector:
    return FeishuConnector(feishu_settings(**kw))


def handle(req: Req, conn: FeishuConnector | None = None, now: float = NOW) -> Any:
    return (conn or feishu()).handle(req.headers, req.body, {}, now=now)


# -- known answers ---------------------------------------------------------------------------
def test_official_decrypt_vector() -> None:
    # _source: nonebot/adapter-feishu tests/test_feishu_utils.py test_aes (Feishu doc example)
    v = vector("feishu_decrypt_official_vector.json")
    assert decrypt(v["encrypt"], v["encrypt_key"]).decode() == v["expected_plaintext"]


def test_signature_vector() -> None:
    # _source: DERIVED from the official decrypt vector + oapi-sdk-go event.Signature
    v = vector("feishu_signature_vector_DERIVED.json")
    h = v["headers"]
    expected = signature(
        h["X-Lark-Request-Timestamp"],
        h["X-Lark-Request-Nonce"],
        v["encrypt_key"],
        v["raw_body"].encode(),
    )
    assert expected == h["X-Lark-Signature"]


def test_signed_vector_that_is_not_an_event_is_still_rejected() -> None:
    # The signature is authentic, but "hello world" carries no verification token.
    v = vector("feishu_signature_vector_DERIVED.json")
    req = Req(v["raw_body"].encode(), v["headers"])
    with pytest.raises(VerificationError):
        handle(req, now=int(v["headers"]["X-Lark-Request-Timestamp"]))


def test_decrypt_agrees_with_lark_oapi() -> None:
    from lark_oapi.core.utils.decryptor import AESCipher  # slow import: only here

    for size in (0, 1, 15, 16, 17, 1000):
        plain = os.urandom(size).hex().encode()
        enc = feishu_encrypt(plain, "some key")
        assert decrypt(enc, "some key") == AESCipher("some key").decrypt_str(enc).encode() == plain


# -- verification ----------------------------------------------------------------------------
def test_encrypted_url_verification_returns_challenge() -> None:
    payload = {"challenge": "ajls384kdjx98XX", "token": FEISHU_TOKEN, "type": "url_verification"}
    result, response = handle(feishu_request(payload, ts=None))
    assert isinstance(result, Challenge)
    assert json.loads(response.body) == {"challenge": "ajls384kdjx98XX"}


def test_url_verification_with_wrong_token_is_403() -> None:
    payload = {"challenge": "c", "token": "someone-else", "type": "url_verification"}
    with pytest.raises(VerificationError) as err:
        handle(feishu_request(payload, ts=None))
    assert err.value.status == 403


def test_unsigned_event_is_rejected() -> None:
    with pytest.raises(VerificationError, match="unsigned"):
        handle(feishu_request(feishu_event(1), ts=None))


def test_plaintext_body_is_rejected_when_encryption_is_configured() -> None:
    body = dumps(feishu_event(1))
    with pytest.raises(VerificationError):
        handle(Req(body, {}))


@pytest.mark.parametrize("what", ["tampered", "wrong_key", "wrong_token", "stale", "future"])
def test_rejections(what: str) -> None:
    now = NOW
    if what == "wrong_key":
        req = feishu_request(feishu_event(1), NOW, key="another key")
    elif what == "wrong_token":
        req = feishu_request(feishu_event(1, token="other"), NOW)
    else:
        req = feishu_request(feishu_event(1), NOW)
    if what == "tampered":
        outer = json.loads(req.body)
        outer["encrypt"] = feishu_encrypt(dumps(feishu_event(0)))
        req = Req(dumps(outer), req.headers)
    now = {"stale": NOW + 301, "future": NOW - 301}.get(what, NOW)
    with pytest.raises(VerificationError) as err:
        handle(req, now=now)
    assert err.value.status == (403 if what == "wrong_token" else 401)


# -- parsing ---------------------------------------------------------------------------------
def test_group_event_with_bot_mention() -> None:
    # _source: nonebot/adapter-feishu tests/data/events.json (second event)
    msg, response = handle(feishu_request(feishu_event(1), NOW))
    assert isinstance(msg, InboundMessage)
    assert (msg.text, msg.command, msg.args) == ("/say 34567", "say", "34567")
    assert msg.mentioned and msg.chat_type == "group"
    assert (msg.event_id, msg.chat_id, msg.message_id) == (
        "746*****d335b08",
        "chat_id",
        "message_id",
    )
    assert msg.user_id == "sender_open_id"
    assert json.loads(response.body) == {"msg": "success"}


def test_group_event_without_mention() -> None:
    # _source: nonebot/adapter-feishu tests/data/events.json (first event)
    msg, _ = handle(feishu_request(feishu_event(0), NOW))
    assert isinstance(msg, InboundMessage)
    assert not msg.mentioned and msg.text == "/say 12345"


def test_other_mentions_are_spelled_out_and_thread_is_kept() -> None:
    event = feishu_event(1)
    message = event["event"]["message"]
    message["content"] = json.dumps({"text": "@_user_1 ask @_user_2 about 活动 @_user_10"})
    message["thread_id"] = "omt_1"
    message["mentions"] += [
        {"key": "@_user_2", "id": {"open_id": "ou_amy"}, "name": "Amy"},
        {"key": "@_user_10", "id": {"open_id": "ou_bob"}, "name": "Bob"},
    ]
    msg, _ = handle(feishu_request(event, NOW))
    assert msg.text == "ask @Amy about 活动 @Bob"
    assert msg.thread_id == "omt_1" and msg.reply_context["in_thread"] == "1"


def test_mention_of_someone_else_only_is_not_a_bot_mention() -> None:
    event = feishu_event(1)
    event["event"]["message"]["mentions"][0]["id"]["open_id"] = "ou_someone"
    msg, _ = handle(feishu_request(event, NOW))
    assert not msg.mentioned and msg.text == "@bot /say 34567"


def test_bot_messages_and_other_events_are_ignored() -> None:
    event = feishu_event(1)
    event["event"]["sender"]["sender_type"] = "app"
    assert isinstance(handle(feishu_request(event, NOW))[0], Ignored)
    event = feishu_event(1)
    event["header"]["event_type"] = "im.chat.member.bot.added_v1"
    assert isinstance(handle(feishu_request(event, NOW))[0], Ignored)


# -- replies against the fake Open API -------------------------------------------------------
async def test_reply_uses_cached_tenant_token(
    fake_platform: FakePlatform, http: httpx.AsyncClient
) -> None:
    conn = FeishuConnector(feishu_settings(api=fake_platform.url), http)
    msg, _ = handle(feishu_request(feishu_event(1), NOW), conn)
    await conn.reply(msg, '第一条回答 <at user_id="all"></at>', mention=["ou_admin"])
    await conn.reply(msg, "second")
    assert len(fake_platform.calls("tenant_access_token")) == 1
    first, second = fake_platform.calls("/reply")
    assert first.path == "/open-apis/im/v1/messages/message_id/reply"
    assert first.headers["authorization"] == f"Bearer {FEISHU_TENANT_TOKEN}"
    assert first.json["msg_type"] == "text" and first.json["reply_in_thread"] is False
    text = json.loads(first.json["content"])["text"]
    assert text == '第一条回答 ＜at user_id="all"></at>\n\n<at user_id="ou_admin"></at>'
    assert first.json["uuid"] != second.json["uuid"]


async def test_expired_token_is_refreshed_once(
    fake_platform: FakePlatform, http: httpx.AsyncClient
) -> None:
    expired = {"code": 99991663, "msg": "Invalid access token for authorization."}
    fake_platform.respond("POST", "/reply$", status=400, json=expired)
    conn = FeishuConnector(feishu_settings(api=fake_platform.url), http)
    msg, _ = handle(feishu_request(feishu_event(1), NOW), conn)
    await conn.reply(msg, "hi")
    assert len(fake_platform.calls("tenant_access_token")) == 2
    assert len(fake_platform.calls("/reply")) == 2


async def test_send_to_chat_and_setup(fake_platform: FakePlatform, http: httpx.AsyncClient) -> None:
    conn = FeishuConnector(feishu_settings(api=fake_platform.url, bot_open_id=None), http)
    await conn.setup()
    assert conn.bot_open_id == FEISHU_BOT_OPEN_ID
    await conn.send("oc_group", "weekly digest")
    (call,) = fake_platform.calls("/open-apis/im/v1/messages", "POST")
    assert call.query == {"receive_id_type": "chat_id"} and call.json["receive_id"] == "oc_group"


class TestFeishuConformance(ConnectorConformance):
    platform = "feishu"
    payload = dumps(feishu_event(1))
    odd_shape = dumps(
        {
            **feishu_event(1),
            "event": {
                "message": {"message_type": "text", "content": '{"text": "hi"}'},
                "sender": {"sender_type": "user", "sender_id": "not an object"},
            },
        }
    )

    def make(self) -> FeishuConnector:
        return FeishuConnector(feishu_settings())

    def sign(self, payload: bytes, ts: int, right_secret: bool = True) -> Req:
        return feishu_request(payload, ts, key=FEISHU_KEY if right_secret else "other key")
