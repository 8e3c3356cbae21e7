"""A signed event in → one grounded answer with its source out, in the right thread, for every
platform; a retried delivery never produces a second reply."""

from __future__ import annotations

import itertools

import pytest

from tests.connectors_e2e.conftest import Harness
from tests.connectors_e2e.events import CHAT, PLATFORMS, event, posted_text, replies

QUESTION = "会费多少？可以退款吗？"
_ids = itertools.count(910_000_001)


def new_id() -> str:
    return str(next(_ids))


def assert_threaded(platform: str, e2e: Harness, call_path: str, body: dict) -> None:  # type: ignore[type-arg]
    """The reply went to the asker's thread/message, not just the chat."""
    if platform == "slack":
        assert body["channel"] == CHAT["slack"] and body["thread_ts"] == "1700000000.000001"
    elif platform == "telegram":
        assert body["message_thread_id"] == 77 and "message_id" in body["reply_parameters"]
    elif platform == "discord":
        assert "/webhooks/111/tok-" in call_path  # the interaction's own response
    elif platform == "feishu":
        assert call_path.startswith("/open-apis/im/v1/messages/om_")
    elif platform == "qq":  # a passive reply to the member's message
        assert body["msg_id"].startswith("ROBOT1.0_") and body["msg_seq"] == 1
    elif platform == "onebot":  # quotes the question
        assert body["message"][0]["type"] == "reply" and body["group_id"] == 123456789
    else:  # wecom response_url / dingtalk sessionWebhook: bound to the asking message
        assert call_path.startswith(("/cgi-bin/aibot/response", "/robot/sendBySession"))


@pytest.mark.parametrize("platform", PLATFORMS)
async def test_answer_with_source_exactly_once(platform: str, e2e: Harness) -> None:
    e2e.route(platform, CHAT[platform])
    ev = event(platform, QUESTION, e2e.fake, event_id=new_id())

    first = await e2e.post(ev.path, ev.req)
    assert first.status_code == 200
    (reply,) = replies(e2e.fake, platform)
    text = posted_text(reply)
    assert "退款" in text and "[1]" in text
    assert "来源: [1] faq-morning-readers.md" in text
    assert_threaded(platform, e2e, reply.path, reply.json)

    again = await e2e.post(ev.path, ev.req)  # the platform retries the same event
    assert again.status_code == 200
    assert len(replies(e2e.fake, platform)) == 1


@pytest.mark.parametrize("platform", ["slack", "telegram", "feishu", "dingtalk", "onebot"])
async def test_group_message_without_mention_gets_no_reply(platform: str, e2e: Harness) -> None:
    e2e.route(platform, CHAT[platform], mode="mention")
    ev = event(platform, QUESTION, e2e.fake, event_id=new_id(), mentioned=False)
    assert (await e2e.post(ev.path, ev.req)).status_code == 200
    assert replies(e2e.fake, platform) == []


async def test_mode_all_answers_confident_questions_unmentioned(e2e: Harness) -> None:
    e2e.route("slack", CHAT["slack"], mode="all")
    unsure = event("slack", "明天北京会下雨吗？", e2e.fake, event_id=new_id(), mentioned=False)
    chatter = event("slack", "早上好呀大家", e2e.fake, event_id=new_id(), mentioned=False)
    sure = event("slack", QUESTION, e2e.fake, event_id=new_id(), mentioned=False)
    for ev in (unsure, chatter, sure):
        await e2e.post(ev.path, ev.req)
    (reply,) = replies(e2e.fake, "slack")
    assert "退款" in posted_text(reply)


@pytest.mark.parametrize("platform", PLATFORMS)
async def test_low_confidence_hands_off_to_the_admins(platform: str, e2e: Harness) -> None:
    admin = "adminxiaolin"
    e2e.route(platform, CHAT[platform], admins=[admin])
    ev = event(platform, "明天北京会下雨吗？", e2e.fake, event_id=new_id())
    await e2e.post(ev.path, ev.req)
    (reply,) = replies(e2e.fake, platform)
    text = posted_text(reply)
    assert "管理员" in text and admin in str(reply.json)
    assert "来源" not in text


async def test_unrouted_chat_is_acked_and_ignored(e2e: Harness) -> None:
    ev = event("slack", QUESTION, e2e.fake, event_id=new_id())
    assert (await e2e.post(ev.path, ev.req)).status_code == 200
    assert replies(e2e.fake, "slack") == []


async def test_forged_event_is_refused_with_the_error_shape(e2e: Harness) -> None:
    e2e.route("slack", CHAT["slack"])
    ev = event("slack", QUESTION, e2e.fake, event_id=new_id())
    forged = ev.req.__class__(ev.req.body + b" ", ev.req.headers)
    res = await e2e.post(ev.path, forged)
    assert res.status_code == 401 and res.json()["error"]["code"] == "unauthorized"
    assert replies(e2e.fake, "slack") == []


async def test_unconfigured_platform_is_404(e2e: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    e2e.worker.connectors.pop("dingtalk")  # type: ignore[attr-defined]
    res = await e2e.client.post("/connectors/dingtalk/callback", content=b"{}")
    assert res.status_code == 404
    assert res.json()["error"]["code"] == "not_found"
    assert (await e2e.client.post("/connectors/icq/events")).status_code == 404
