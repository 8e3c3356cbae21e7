from __future__ import annotations

import json
from collections.abc import Mapping

import httpx
import pytest

from connectors.base import Challenge, DeliveryError, Ignored, InboundMessage, VerificationError
from connectors.platforms.slack import SlackConnector
from tests.connectors.conformance import ConnectorConformance
from tests.connectors.fake_platform import SLACK_BOT_USER_ID, FakePlatform
from tests.connectors.helpers import (
    SLACK_BOT,
    SLACK_SECRET,
    Req,
    dumps,
    slack_request,
    slack_settings,
    vector,
)

NOW = 1_700_000_000


def slack(**kw: object) -> SlackConnector:
    return SlackConnector(slack_settings(**kw))  # type: ignore[arg-type]


def event_callback(event: Mapping[str, object], event_id: str = "Ev1") -> bytes:
    return dumps({"type": "event_callback", "team_id": "T1", "event_id": event_id, "event": event})


# -- verification ---------------------------------------------------------------------------
def test_known_answer_vector_verifies() -> None:
    # _source: slackapi/python-slack-sdk tests/slack_sdk/signature/test_signature_verifier.py
    v = vector("slack_signature_vector.json")
    headers = {
        "X-Slack-Request-Timestamp": v["timestamp"],
        "X-Slack-Signature": v["expected_signature"],
    }
    slack().verify(headers, v["body"].encode(), {}, now=v["mock_clock_now"])
    # Our own request builder agrees with the vector.
    built = slack_request(v["body"].encode(), int(v["timestamp"]))
    assert built.headers["X-Slack-Signature"] == v["expected_signature"]


def test_vector_with_one_byte_changed_is_rejected() -> None:
    v = vector("slack_signature_vector.json")
    headers = {
        "x-slack-request-timestamp": v["timestamp"],
        "x-slack-signature": v["expected_signature"],
    }
    tampered = v["body"].replace("roadrunner", "roadrunnes").encode()
    with pytest.raises(VerificationError) as err:
        slack().verify(headers, tampered, {}, now=v["mock_clock_now"])
    assert err.value.status == 401


@pytest.mark.parametrize("skew", [301, -301, 3600])
def test_outside_five_minute_window_is_rejected(skew: int) -> None:
    req = slack_request(b"{}", NOW)
    with pytest.raises(VerificationError, match="stale"):
        slack().verify(req.headers, req.body, {}, now=NOW + skew)


def test_inside_window_is_accepted() -> None:
    req = slack_request(b"{}", NOW)
    slack().verify(req.headers, req.body, {}, now=NOW + 299)


@pytest.mark.parametrize(
    "headers",
    [{}, {"X-Slack-Request-Timestamp": str(NOW)}, {"X-Slack-Request-Timestamp": "soon"}],
)
def test_missing_or_malformed_headers_are_rejected(headers: dict[str, str]) -> None:
    with pytest.raises(VerificationError):
        slack().verify(headers, b"{}", {}, now=NOW)


def test_non_utf8_body_is_rejected_not_crashing() -> None:
    req = slack_request(b"\xff\xfe", NOW)
    with pytest.raises(VerificationError):
        slack().verify(req.headers, req.body, {}, now=NOW)


# -- url_verification -----------------------------------------------------------------------
def test_url_verification_answers_the_challenge_after_verifying() -> None:
    # _source: Slack docs https://api.slack.com/events/url_verification
    v = vector("slack_url_verification_payload.json")
    req = slack_request(dumps(v["request_body"]), NOW)
    result, response = slack().handle(req.headers, req.body, {}, now=NOW)
    assert isinstance(result, Challenge)
    assert response.status_code == 200
    assert json.loads(response.body) == v["expected_response_json"]


def test_unsigned_url_verification_is_rejected() -> None:
    body = dumps(vector("slack_url_verification_payload.json")["request_body"])
    with pytest.raises(VerificationError):
        slack().handle({}, body, {}, now=NOW)


# -- parsing --------------------------------------------------------------------------------
def test_app_mention_doc_example() -> None:
    # _source: Slack docs https://docs.slack.dev/reference/events/app_mention
    payload = vector("slack_app_mention_event_callback.json")["payload"]
    req = slack_request(dumps(payload), NOW)
    msg, response = slack(bot_user_id=SLACK_BOT).handle(req.headers, req.body, {}, now=NOW)
    assert isinstance(msg, InboundMessage)
    assert response.status_code == 200
    assert msg.text == "is it everything a river should be?"
    assert msg.mentioned and msg.command is None
    assert (msg.event_id, msg.chat_id, msg.user_id) == ("Ev123ABC456", "C123ABC456", "U061F7AUR")
    assert msg.chat_type == "group" and msg.thread_id is None
    assert msg.reply_context["thread_ts"] == "1515449522.000016"  # top-level: its own ts


def test_app_mention_without_known_bot_id_strips_leading_mention() -> None:
    # _source: slackapi/bolt-js PR #2057 base-events.spec.ts (inner event only)
    event = vector("slack_app_mention_with_blocks_boltjs_test.json")["event"]
    msg = slack().parse({}, event_callback(event), {})
    assert isinstance(msg, InboundMessage)
    assert msg.text == "hey" and msg.mentioned
    assert msg.reply_context["thread_ts"] == "1707806347.397809"


def test_thread_reply_keeps_parent_ts_and_command() -> None:
    event = {
        "type": "app_mention",
        "user": "U1",
        "channel": "C1",
        "text": f"<@{SLACK_BOT}> /summary 24h",
        "ts": "1700000100.000200",
        "thread_ts": "1700000000.000100",
    }
    msg = slack(bot_user_id=SLACK_BOT).parse({}, event_callback(event), {})
    assert isinstance(msg, InboundMessage)
    assert (msg.command, msg.args, msg.text) == ("summary", "24h", "/summary 24h")
    assert msg.thread_id == "1700000000.000100"
    assert msg.reply_context["thread_ts"] == "1700000000.000100"  # the parent, never the reply


def test_plain_thread_message_is_delivered_unmentioned() -> None:
    event = {
        "type": "message",
        "channel_type": "channel",
        "user": "U2",
        "channel": "C1",
        "text": "and what about <@U3>?",
        "ts": "2.0",
        "thread_ts": "1.0",
    }
    msg = slack(bot_user_id=SLACK_BOT).parse({}, event_callback(event), {})
    assert isinstance(msg, InboundMessage)
    assert not msg.mentioned and msg.text == "and what about <@U3>?"


def test_direct_message_is_private_and_addressed() -> None:
    event = {"type": "message", "channel_type": "im", "user": "U2", "channel": "D1", "text": "hi"}
    event["ts"] = "3.0"
    msg = slack(bot_user_id=SLACK_BOT).parse({}, event_callback(event), {})
    assert isinstance(msg, InboundMessage)
    assert msg.chat_type == "private" and msg.mentioned


@pytest.mark.parametrize(
    "event",
    [
        {"type": "message", "user": "U2", "channel": "C1", "text": f"<@{SLACK_BOT}> hi", "ts": "1"},
        {"type": "message", "bot_id": "B1", "user": "U9", "channel": "C1", "text": "x", "ts": "1"},
        {"type": "message", "subtype": "message_changed", "channel": "C1", "ts": "1"},
        {"type": "reaction_added", "user": "U2", "reaction": "+1"},
    ],
)
def test_duplicates_bots_and_non_messages_are_ignored(event: dict[str, object]) -> None:
    assert isinstance(slack(bot_user_id=SLACK_BOT).parse({}, event_callback(event), {}), Ignored)


def test_retry_is_recognised_by_event_id() -> None:
    payload = vector("slack_app_mention_event_callback.json")["payload"]
    first = slack_request(dumps(payload), NOW)
    retry = slack_request(dumps(payload), NOW + 60)
    retry.headers |= {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    a, _ = slack().handle(first.headers, first.body, {}, now=NOW)
    b, _ = slack().handle(retry.headers, retry.body, {}, now=NOW + 60)
    assert isinstance(a, InboundMessage) and isinstance(b, InboundMessage)
    assert a.event_id == b.event_id == "Ev123ABC456"


# -- replies against the fake Slack API -----------------------------------------------------
async def test_reply_posts_into_the_thread(fake_platform: FakePlatform) -> None:
    conn = slack(api=fake_platform.url + "/api/", bot_user_id=SLACK_BOT)
    event = {"type": "app_mention", "user": "U1", "channel": "C9", "text": "<@U0LAN0Z89> q"}
    event |= {"ts": "5.5", "thread_ts": "4.4"}
    msg = conn.parse({}, event_callback(event), {})
    assert isinstance(msg, InboundMessage)
    await conn.reply(msg, "Tom & Jerry <!channel> answer", mention=["UADMIN"])
    await conn.aclose()
    (call,) = fake_platform.calls("chat.postMessage")
    assert call.headers["authorization"] == "Bearer xoxb-test"
    assert call.json["channel"] == "C9" and call.json["thread_ts"] == "4.4"
    # Markup from the answer is escaped (no @channel ping); the admin mention is real.
    assert call.json["text"] == "Tom &amp; Jerry &lt;!channel&gt; answer\n\n<@UADMIN>"


async def test_long_reply_is_split_at_paragraphs(fake_platform: FakePlatform) -> None:
    conn = slack(api=fake_platform.url + "/api/")
    paragraphs = [f"Paragraph {i}. " + "word " * 300 for i in range(6)]  # ~1.5k chars each
    await conn.send("C1", "\n\n".join(paragraphs), thread_id="1.0")
    await conn.aclose()
    texts = [c.json["text"] for c in fake_platform.calls("chat.postMessage")]
    assert len(texts) > 1 and all(len(t) <= 4000 for t in texts)
    assert all(t.startswith("Paragraph") for t in texts)
    assert {c.json["thread_ts"] for c in fake_platform.calls("chat.postMessage")} == {"1.0"}


async def test_platform_error_raises_delivery_error(fake_platform: FakePlatform) -> None:
    fake_platform.respond("POST", "chat.postMessage", json={"ok": False, "error": "not_in_channel"})
    conn = slack(api=fake_platform.url + "/api/")
    with pytest.raises(DeliveryError, match="not_in_channel"):
        await conn.send("C1", "hi")
    await conn.aclose()


async def test_setup_learns_bot_user_id(
    fake_platform: FakePlatform, http: httpx.AsyncClient
) -> None:
    conn = SlackConnector(slack_settings(api=fake_platform.url + "/api/"), http)
    await conn.setup()
    assert conn.bot_user_id == SLACK_BOT_USER_ID


class TestSlackConformance(ConnectorConformance):
    platform = "slack"
    payload = dumps(vector("slack_app_mention_event_callback.json")["payload"])
    odd_shape = b'{"type": "event_callback", "event": "not an object"}'

    def make(self) -> SlackConnector:
        return slack()

    def sign(self, payload: bytes, ts: int, right_secret: bool = True) -> Req:
        return slack_request(payload, ts, SLACK_SECRET if right_secret else "x" * 32)
