"""The Feishu/Lark long connection against a fake speaking lark-oapi's protocol on 127.0.0.1:
the endpoint call with the app's id and secret, a refused ticket retried, protobuf pings on
the service id, events (also in parts) answered with code 200, a dropped connection
reopened, refused credentials ending with what to check, and Ctrl-C stopping at once."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from connectors.base import InboundMessage
from connectors.streams import StreamRefused
from connectors.streams.feishu import FeishuLongConnection, FeishuLongConnectionSettings
from tests.connectors.fake_feishu_ws import SERVICE_ID, FakeFeishuLongConnection
from tests.connectors.fake_platform import FakePlatform

APP_ID, APP_SECRET = "cli_a1b2c3", "fake-feishu-app-secret"
BOT = "ou_bot_long"


def receive_event(
    eid: str, text: str, *, chat: str = "oc_long", sender_type: str = "user"
) -> dict[str, Any]:
    now = str(int(time.time() * 1000))
    return {
        "schema": "2.0",
        "header": {
            "event_id": eid,
            "event_type": "im.message.receive_v1",
            "create_time": now,
            "token": "",
            "app_id": APP_ID,
            "tenant_key": "tk",
        },
        "event": {
            "sender": {"sender_id": {"open_id": "ou_member"}, "sender_type": sender_type},
            "message": {
                "message_id": f"om_{eid}",
                "chat_id": chat,
                "chat_type": "group",
                "message_type": "text",
                "create_time": now,
                "content": json.dumps({"text": f"@_user_1 {text}"}, ensure_ascii=False),
                "mentions": [{"key": "@_user_1", "name": "copilot", "id": {"open_id": BOT}}],
            },
        },
    }


def settings(fake: FakePlatform, secret: str = APP_SECRET) -> FeishuLongConnectionSettings:
    return FeishuLongConnectionSettings(
        _env_file=None,  # type: ignore[call-arg]
        long_connection=True,
        app_id=APP_ID,
        app_secret=secret,
        bot_open_id=BOT,
        api_url=fake.url,
    )


@pytest.fixture
async def frontier(fake_platform: FakePlatform) -> AsyncIterator[FakeFeishuLongConnection]:
    server = await FakeFeishuLongConnection(APP_ID, APP_SECRET).start(fake_platform)
    yield server
    await server.stop()


async def until(check: Any, seconds: float = 20) -> None:
    for _ in range(int(seconds / 0.02)):
        if check():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("timed out")


async def test_events_are_delivered_answered_and_pings_sent(
    fake_platform: FakePlatform, frontier: FakeFeishuLongConnection, http: httpx.AsyncClient
) -> None:
    got: list[InboundMessage] = []

    async def deliver(msg: InboundMessage) -> None:
        got.append(msg)

    stream = FeishuLongConnection(settings(fake_platform), http)
    stream.retry_first_s = 0.05
    frontier.hand_out_a_stale_ticket()  # the first handshake is refused: back off, retry
    running = asyncio.create_task(stream.run(deliver))
    try:
        await until(lambda: frontier.connections == 1)
        one = await frontier.push(receive_event("ev1", "会费多少？"))
        split = await frontier.push(receive_event("ev2", "可以退款吗？" * 40), parts=3)
        bot = await frontier.push(receive_event("ev3", "我是机器人", sender_type="app"))
        await until(lambda: bot in frontier.answers and len(frontier.pings) >= 2)
    finally:
        running.cancel()
    await asyncio.wait_for(asyncio.gather(running, return_exceptions=True), 2)  # stops at once

    assert frontier.refused == 1 and len(frontier.endpoint_calls) == 2
    assert frontier.endpoint_calls[0] == {"AppID": APP_ID, "AppSecret": APP_SECRET}
    assert [m.event_id for m in got] == ["ev1", "ev2"]  # the bot's own message is not answered
    assert got[0].text == "会费多少？" and got[0].mentioned and got[0].chat_id == "oc_long"
    assert got[1].text == "可以退款吗？" * 40  # put back together from its three parts
    assert got[0].reply_context["message_id"] == "om_ev1"
    for mid in (one, split, bot):  # every event is answered, or Feishu pushes it again
        assert frontier.answers[mid]["code"] == 200
    assert frontier.pings[0]["type"] == "ping" and frontier.pings[0]["service"] == str(SERVICE_ID)


async def test_a_dropped_connection_is_reopened_with_a_new_ticket(
    fake_platform: FakePlatform, frontier: FakeFeishuLongConnection, http: httpx.AsyncClient
) -> None:
    got: list[str] = []

    async def deliver(msg: InboundMessage) -> None:
        got.append(msg.event_id)

    stream = FeishuLongConnection(settings(fake_platform), http)
    stream.retry_first_s = 0.05
    # A malformed endpoint answer (no URL) is retried like a dropped link, not a crash.
    fake_platform.respond("POST", r"/callback/ws/endpoint", json={"code": 0, "data": {}})
    running = asyncio.create_task(stream.run(deliver))
    try:
        await until(lambda: frontier.connections == 1)
        assert len(fake_platform.calls("/callback/ws/endpoint")) == 2
        await frontier.push(receive_event("evA", "第一条"))
        await until(lambda: got == ["evA"])
        await frontier.drop()
        await until(lambda: frontier.connections == 2)
        await frontier.push(receive_event("evB", "第二条"))
        await until(lambda: got == ["evA", "evB"])
    finally:
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)
    assert len(frontier.endpoint_calls) == 2 and frontier.refused == 0


async def test_refused_credentials_end_the_stream_with_what_to_check(
    fake_platform: FakePlatform, frontier: FakeFeishuLongConnection, http: httpx.AsyncClient
) -> None:
    async def deliver(msg: InboundMessage) -> None:
        raise AssertionError("nothing may arrive")

    stream = FeishuLongConnection(settings(fake_platform, secret="wrong"), http)
    with pytest.raises(StreamRefused) as err:
        await asyncio.wait_for(stream.run(deliver), 10)
    assert "10014 app secret invalid" in str(err.value)
    assert "COPILOT_FEISHU_APP_SECRET" in str(err.value) and "wrong" not in str(err.value)
    assert frontier.connections == 0
