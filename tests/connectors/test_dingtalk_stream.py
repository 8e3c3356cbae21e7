"""DingTalk Stream mode against a fake gateway speaking the SDK's protocol on 127.0.0.1:
credentials and one-time tickets, CALLBACK frames acknowledged by messageId, pings echoed,
a disconnect followed by a new connection, refused credentials ending with a clear error,
and a cancelled stream (Ctrl-C) stopping at once."""

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
from connectors.streams.dingtalk import DingtalkStream, DingtalkStreamSettings
from tests.connectors.fake_dingtalk_stream import BOT_TOPIC, FakeDingtalkStream
from tests.connectors.fake_platform import FakePlatform

APP_KEY, APP_SECRET = "dingfakeappkey", "fake-app-secret-0123456789"


def robot_message(fake: FakePlatform, msg_id: str, text: str, msgtype: str = "text") -> dict:  # type: ignore[type-arg]
    now = int(time.time() * 1000)
    message: dict[str, Any] = {
        "conversationId": "cidStream==",
        "conversationType": "2",
        "conversationTitle": "读书会",
        "msgId": msg_id,
        "senderStaffId": "staff-1",
        "senderId": "$:LWCP_v1:$member",
        "senderNick": "小林",
        "isInAtList": True,
        "chatbotUserId": "$:LWCP_v1:$bot",
        "robotCode": APP_KEY,
        "createAt": now,
        "sessionWebhook": f"{fake.url}/robot/sendBySession?session={msg_id}",
        "sessionWebhookExpiredTime": now + 3_600_000,
        "msgtype": msgtype,
    }
    if msgtype == "text":
        message["text"] = {"content": f" {text}"}
    else:
        message["content"] = {"downloadCode": "dl-1", "pictureDownloadCode": "pdl-1"}
    return message


def settings(fake: FakePlatform, secret: str = APP_SECRET) -> DingtalkStreamSettings:
    return DingtalkStreamSettings(
        _env_file=None,  # type: ignore[call-arg]
        stream=True,
        app_key=APP_KEY,
        app_secret=secret,
        api_url=fake.url,
        stream_url=fake.url,
    )


@pytest.fixture
async def gateway(fake_platform: FakePlatform) -> AsyncIterator[FakeDingtalkStream]:
    gw = await FakeDingtalkStream(APP_KEY, APP_SECRET).start(fake_platform)
    yield gw
    await gw.stop()


async def until(check: Any, seconds: float = 20) -> None:
    for _ in range(int(seconds / 0.02)):
        if check():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("timed out")


async def test_messages_are_delivered_acked_and_pings_echoed(
    fake_platform: FakePlatform, gateway: FakeDingtalkStream, http: httpx.AsyncClient
) -> None:
    got: list[InboundMessage] = []

    async def deliver(msg: InboundMessage) -> None:
        got.append(msg)

    stream = DingtalkStream(settings(fake_platform), http)
    gateway.hand_out_a_stale_ticket()  # the first connection is refused: back off, reopen
    stream.retry_first_s = 0.05
    running = asyncio.create_task(stream.run(deliver))
    try:
        mid = await gateway.push(robot_message(fake_platform, "msgA1", "会费多少？"))
        ping = await gateway.ping()
        picture = await gateway.push(robot_message(fake_platform, "msgA2", "", "picture"))
        await until(lambda: gateway.acked(picture) is not None)
    finally:
        running.cancel()
    await asyncio.wait_for(asyncio.gather(running, return_exceptions=True), 2)  # stops at once

    first, second = gateway.opens
    assert first == second and first["clientId"] == APP_KEY
    assert first["clientSecret"] == APP_SECRET
    assert first["subscriptions"] == [{"type": "CALLBACK", "topic": BOT_TOPIC}]
    assert len(gateway.refused_tickets) == 1 and gateway.connections == 1
    (msg,) = got  # the picture is acknowledged, not answered
    assert (msg.chat_id, msg.text, msg.user_id, msg.mentioned) == (
        "cidStream==",
        "会费多少？",
        "staff-1",
        True,
    )
    assert msg.reply_context["session_webhook"].startswith(f"{fake_platform.url}/robot/")
    ack = gateway.acked(mid)
    assert ack is not None and ack["code"] == 200
    assert json.loads(ack["data"]) == {"response": "OK"}
    pong = gateway.acked(ping)
    assert pong is not None and pong["code"] == 200 and "opaque" in json.loads(pong["data"])


async def test_a_disconnect_frame_moves_the_client_to_a_new_connection(
    fake_platform: FakePlatform, gateway: FakeDingtalkStream, http: httpx.AsyncClient
) -> None:
    got: list[str] = []

    async def deliver(msg: InboundMessage) -> None:
        got.append(msg.message_id)

    stream = DingtalkStream(settings(fake_platform), http)
    running = asyncio.create_task(stream.run(deliver))
    try:
        await gateway.push(robot_message(fake_platform, "msgB1", "第一条"))
        await gateway.disconnect()
        await gateway.push(robot_message(fake_platform, "msgB2", "第二条"))  # on the new one
        await until(lambda: len(got) == 2)
    finally:
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)
    assert got == ["msgB1", "msgB2"]
    assert gateway.connections == 2 and len(gateway.opens) == 2  # a fresh ticket each time


async def test_refused_credentials_end_the_stream_with_what_to_check(
    fake_platform: FakePlatform, gateway: FakeDingtalkStream, http: httpx.AsyncClient
) -> None:
    async def deliver(msg: InboundMessage) -> None:
        raise AssertionError("nothing may arrive")

    stream = DingtalkStream(settings(fake_platform, secret="wrong"), http)
    with pytest.raises(StreamRefused) as err:
        await asyncio.wait_for(stream.run(deliver), 10)
    assert "HTTP 401" in str(err.value) and "COPILOT_DINGTALK_APP_SECRET" in str(err.value)
    assert "wrong" not in str(err.value)  # the secret itself is never echoed
    assert gateway.connections == 0
