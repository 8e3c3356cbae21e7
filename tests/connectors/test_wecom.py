from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pytest

from connectors.base import Challenge, DeliveryError, Ignored, InboundMessage, VerificationError
from connectors.platforms.wecom import WecomConnector
from connectors.text import utf8_len
from connectors.wecom_crypto import WXBizMsgCrypt, parse_xml
from tests.connectors.conformance import ConnectorConformance
from tests.connectors.fake_platform import FakePlatform
from tests.connectors.helpers import (
    WECOM,
    WECOM_KEY,
    WECOM_TOKEN,
    Req,
    dumps,
    vector,
    wecom_request,
    wecom_settings,
)

# _source: sbzhu/weworkapi_php callback/Sample.php (Tencent sample; official docs' example)
PHP = WECOM
# _source: sbzhu/weworkapi_python callback/Sample.py (Tencent sample)
PY = vector("wecom_wxbizmsgcrypt_vector_ww1436.json")
# _source: JeffreySu/WeiXinMPSDK Senparc.Weixin.Work.Test/JSONMsgCryptTest.cs
AIBOT = vector("wecom_aibot_json_crypt_vector.json")
# _source: WeCom docs 'intelligent robot / receive message' (path/100719) text example
GROUP_EXAMPLE = vector("wecom_aibot_group_text_message_example.json")["decrypted_message"]


def wecom(v: dict[str, Any] = PHP, **kw: Any) -> WecomConnector:
    kw.setdefault("corp_id", v.get("receive_id_corpid"))
    return WecomConnector(
        wecom_settings(token=v["token"], encoding_aes_key=v["encoding_aes_key"], **kw)
    )


# -- known answers ---------------------------------------------------------------------------
@pytest.mark.parametrize("v", [PHP, PY], ids=["php-sample", "python-sample"])
def test_url_verification_vectors(v: dict[str, Any]) -> None:
    q = v["verify_url"]["query"]
    result, response = wecom(v).handle({}, b"", q, now=int(q["timestamp"]))
    assert isinstance(result, Challenge)
    assert response.body == v["verify_url"]["expected_response_body_LOCALLY_COMPUTED"]
    assert response.media_type == "text/plain"


def test_url_verification_from_the_url_encoded_query_as_sent() -> None:
    query = dict(parse_qsl(PHP["verify_url"]["query_as_sent_url_encoded"]))
    query |= {k: PHP["verify_url"]["query"][k] for k in ("msg_signature", "timestamp", "nonce")}
    result, _ = wecom().handle({}, b"", query, now=1409659589)
    assert isinstance(result, Challenge) and result.body == "1616140317555161061"


@pytest.mark.parametrize("v", [PHP, PY], ids=["php-sample", "python-sample"])
def test_app_message_vectors(v: dict[str, Any]) -> None:
    m = v["decrypt_msg"]
    msg, response = wecom(v).handle(
        {}, m["body"].encode(), m["query"], now=int(m["query"]["timestamp"])
    )
    assert isinstance(msg, InboundMessage)
    expected = parse_xml(
        m.get("expected_plaintext_xml") or m["expected_plaintext_xml_LOCALLY_COMPUTED"]
    )
    assert (msg.text, msg.user_id, msg.event_id) == (
        expected["Content"],
        expected["FromUserName"],
        expected["MsgId"],
    )
    assert msg.chat_type == "private" and msg.mentioned
    assert msg.reply_context == {"kind": "app", "agent_id": expected["AgentID"]}
    assert response.status_code == 200 and response.body == ""


def test_intelligent_robot_json_vector() -> None:
    q = AIBOT["query"]
    conn = wecom(AIBOT, corp_id=None)
    msg, _ = conn.handle({}, dumps(AIBOT["body"]), q, now=int(q["timestamp"]))
    assert isinstance(msg, InboundMessage)
    assert (msg.text, msg.user_id, msg.event_id) == ("test", "test", "1234567890123456")
    assert msg.chat_type == "group" and msg.chat_id == "1234567890123456"  # chatid ⇒ group


def test_encrypt_round_trip_and_passive_xml_envelope() -> None:
    crypt = WXBizMsgCrypt(WECOM_TOKEN, WECOM_KEY)
    envelope = parse_xml(crypt.reply_xml("<xml>hi</xml>", "corp", "1409659813", "n1"))
    crypt.check_signature(envelope["MsgSignature"], "1409659813", "n1", envelope["Encrypt"])
    assert crypt.decrypt(envelope["Encrypt"]) == ("<xml>hi</xml>", "corp")


# -- verification failures -------------------------------------------------------------------
NOW = 1_700_000_000


def robot_message(**kw: Any) -> str:
    return json.dumps({**GROUP_EXAMPLE, **kw}, ensure_ascii=False)


@pytest.mark.parametrize(
    "req",
    [
        pytest.param(wecom_request(robot_message(), NOW, token="wrongtoken"), id="wrong-token"),
        pytest.param(wecom_request(robot_message(), NOW, key="A" * 43), id="wrong-aes-key"),
        pytest.param(
            wecom_request(robot_message(), NOW, receive_id="wx_other_corp"), id="other-receiver"
        ),
        pytest.param(
            wecom_request("<xml/>", NOW, kind="app", receive_id="wx_other"), id="app-other-corp"
        ),
    ],
)
def test_forged_requests_are_401(req: Req) -> None:
    with pytest.raises(VerificationError) as err:
        wecom().handle(req.headers, req.body, req.query, now=NOW)
    assert err.value.status == 401


def test_tampered_ciphertext_and_stale_timestamp_are_rejected() -> None:
    req = wecom_request(robot_message(), NOW)
    wecom().verify({}, req.body, req.query, now=NOW + 299)
    with pytest.raises(VerificationError, match="stale"):
        wecom().verify({}, req.body, req.query, now=NOW + 301)
    outer = json.loads(req.body)
    outer["encrypt"] = outer["encrypt"][:-8] + "AAAAAAA="
    with pytest.raises(VerificationError, match="msg_signature"):
        wecom().verify({}, dumps(outer), req.query, now=NOW)


def test_dtd_in_xml_envelope_is_refused() -> None:
    body = b'<!DOCTYPE x [<!ENTITY a "aaaa">]><xml><Encrypt>&a;</Encrypt></xml>'
    query = {"msg_signature": "x", "timestamp": str(NOW), "nonce": "1"}
    with pytest.raises(VerificationError):
        wecom().handle({}, body, query, now=NOW)


# -- parsing ---------------------------------------------------------------------------------
def test_group_at_message_from_docs() -> None:
    req = wecom_request(
        robot_message(
            response_url="https://qyapi.weixin.qq.com/cgi-bin/aibot/response?response_code=RC"
        ),
        NOW,
    )
    msg, response = wecom(bot_name="RobotA").handle(req.headers, req.body, req.query, now=NOW)
    assert isinstance(msg, InboundMessage)
    assert msg.text == "hello robot" and msg.mentioned
    assert (msg.chat_id, msg.user_id, msg.chat_type) == ("CHATID", "USERID", "group")
    assert msg.event_id == "CAIQ16HMjQYY/NGagIOAgAMgq4KM0AI="
    assert msg.quoted_text == "这是今日的测试情况"
    assert msg.reply_context["response_url"].endswith("response_code=RC")
    assert response.body == ""


def test_single_chat_and_commands_without_bot_name() -> None:
    single = robot_message(chattype="single", text={"content": "/summary 24h"})
    single_data = json.loads(single)
    single_data.pop("chatid")
    req = wecom_request(json.dumps(single_data), NOW)
    msg, _ = wecom().handle(req.headers, req.body, req.query, now=NOW)
    assert (msg.chat_type, msg.chat_id, msg.command, msg.args) == (
        "private",
        "USERID",
        "summary",
        "24h",
    )
    req = wecom_request(robot_message(text={"content": "@小助手 总结今天的讨论"}), NOW)
    msg, _ = wecom().handle(req.headers, req.body, req.query, now=NOW)
    assert msg.text == "总结今天的讨论"


def test_stream_refresh_and_app_events_are_ignored() -> None:
    req = wecom_request(json.dumps({"msgtype": "stream", "msgid": "m", "stream": {"id": "s"}}), NOW)
    assert isinstance(wecom().handle(req.headers, req.body, req.query, now=NOW)[0], Ignored)
    event = "<xml><MsgType>event</MsgType><Event>enter_agent</Event></xml>"
    req = wecom_request(event, NOW, kind="app")
    assert isinstance(wecom().handle(req.headers, req.body, req.query, now=NOW)[0], Ignored)


def test_passive_robot_reply_is_an_encrypted_stream() -> None:
    conn = wecom()
    req = wecom_request(robot_message(), NOW)
    msg, _ = conn.handle(req.headers, req.body, req.query, now=NOW)
    response = conn.passive_reply(msg, "答案 <@all>", nonce="n2", timestamp=str(NOW))
    envelope = json.loads(response.body)
    conn.crypt.check_signature(envelope["msgsignature"], str(NOW), "n2", envelope["encrypt"])
    plain, receive_id = conn.crypt.decrypt(envelope["encrypt"])
    assert receive_id == ""
    stream = json.loads(plain)["stream"]
    assert stream["finish"] is True and stream["content"] == "答案 ＜@all>"


# -- replies against the fake WeCom API ------------------------------------------------------
async def robot_msg(conn: WecomConnector, response_url: str) -> InboundMessage:
    req = wecom_request(robot_message(response_url=response_url), NOW)
    msg, _ = conn.handle(req.headers, req.body, req.query, now=NOW)
    assert isinstance(msg, InboundMessage)
    return msg


async def test_robot_reply_posts_once_to_response_url(
    fake_platform: FakePlatform, http: httpx.AsyncClient
) -> None:
    conn = WecomConnector(wecom_settings(api=fake_platform.url), http)
    msg = await robot_msg(conn, fake_platform.url + "/cgi-bin/aibot/response?response_code=RC1")
    await conn.reply(msg, "很长的回答。" * 1000, mention=["zhangsan"])
    (call,) = fake_platform.requests  # response_url is single-use: one message, truncated
    assert call.query == {"response_code": "RC1"} and call.json["msgtype"] == "markdown"
    content = call.json["markdown"]["content"]
    assert utf8_len(content) <= 4096 and content.endswith("…\n\n<@zhangsan>")


async def test_robot_reply_refuses_foreign_response_url(
    fake_platform: FakePlatform, http: httpx.AsyncClient
) -> None:
    conn = WecomConnector(wecom_settings(api=fake_platform.url), http)
    msg = await robot_msg(conn, "http://169.254.169.254/latest/meta-data")
    with pytest.raises(DeliveryError, match="response_url"):
        await conn.reply(msg, "hi")
    assert fake_platform.requests == []


async def test_app_reply_uses_access_token_and_refreshes(
    fake_platform: FakePlatform, http: httpx.AsyncClient
) -> None:
    fake_platform.respond(
        "POST", "message/send", json={"errcode": 42001, "errmsg": "access_token expired"}
    )
    conn = WecomConnector(
        wecom_settings(api=fake_platform.url, corp_secret="s3", agent_id="218"), http
    )
    m = PHP["decrypt_msg"]
    msg, _ = wecom(api=fake_platform.url).handle({}, m["body"].encode(), m["query"], now=1409659813)
    await conn.reply(msg, "你好！")
    sends = fake_platform.calls("message/send")
    assert len(fake_platform.calls("gettoken")) == 2 and len(sends) == 2
    assert sends[-1].json == {
        "touser": "mycreate",
        "msgtype": "text",
        "agentid": 218,
        "text": {"content": "你好！"},
    }


async def test_group_robot_webhook_send_splits_by_bytes(
    fake_platform: FakePlatform, http: httpx.AsyncClient
) -> None:
    conn = WecomConnector(wecom_settings(api=fake_platform.url), http)
    digest = "\n\n".join(f"## 第{i}周\n" + "活跃成员讨论了新的活动方案。" * 60 for i in range(4))
    await conn.send("KEY123", digest + "\n<@all>", mention=["wangqing"])
    calls = fake_platform.calls("/cgi-bin/webhook/send")
    assert len(calls) > 1 and all(c.query == {"key": "KEY123"} for c in calls)
    contents = [c.json["markdown"]["content"] for c in calls]
    assert all(utf8_len(t) <= 4096 for t in contents)
    assert "<@all>" not in "".join(contents) and contents[-1].endswith("<@wangqing>")


class TestWecomConformance(ConnectorConformance):
    platform = "wecom"
    payload = json.dumps(
        vector("wecom_aibot_group_text_message_example.json")["decrypted_message"]
    ).encode()
    odd_shape = b'["not", "an", "object"]'

    def make(self) -> WecomConnector:
        return WecomConnector(wecom_settings())

    def sign(self, payload: bytes, ts: int, right_secret: bool = True) -> Req:
        text = payload.decode("utf-8", "replace")
        return wecom_request(text, ts, token=WECOM_TOKEN if right_secret else "otherToken")
