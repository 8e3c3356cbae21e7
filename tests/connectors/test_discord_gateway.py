"""The Discord Gateway against a fake speaking v10 on 127.0.0.1: Identify with the intents,
@-mentions and DMs parsed (the bot's own and other bots' messages not), heartbeats with the
last sequence, Resume after a drop, a Reconnect request or a zombied link, and the close
codes that no retry can fix ending with what to do."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from connectors.base import InboundMessage
from connectors.streams import StreamRefused
from connectors.streams.discord import DiscordGateway, DiscordGatewaySettings
from tests.connectors.fake_discord_gateway import BOT_USER, FakeDiscordGateway
from tests.connectors.fake_platform import FakePlatform

TOKEN = "MTEwMDAwMDAwMDAwMDAwMDAwMQ.fake.gateway-token"
CHANNEL, GUILD = "645027906669510667", "613425648685547541"


def message(mid: str, content: str, *, author: str = "u_member", bot: bool = False,
            mentions: bool = True, guild: bool = True) -> dict[str, Any]:  # fmt: skip
    data: dict[str, Any] = {
        "id": mid,
        "type": 0,
        "channel_id": CHANNEL,
        "author": {"id": author, "username": "lin", "global_name": "小林", "bot": bot},
        "content": content,
        "mentions": [BOT_USER] if mentions else [],
        "timestamp": "2026-12-02T01:00:00.000000+00:00",
    }
    if guild:
        data["guild_id"] = GUILD
    return data


def settings(fake: FakePlatform, token: str = TOKEN, **kw: Any) -> DiscordGatewaySettings:
    return DiscordGatewaySettings(
        _env_file=None,  # type: ignore[call-arg]
        gateway=True,
        bot_token=token,
        api_url=f"{fake.url}/api/v10",
        **kw,
    )


@pytest.fixture
async def gateway(fake_platform: FakePlatform) -> AsyncIterator[FakeDiscordGateway]:
    gw = await FakeDiscordGateway(TOKEN).start(fake_platform)
    yield gw
    await gw.stop()


async def until(check: Any, seconds: float = 20) -> None:
    for _ in range(int(seconds / 0.02)):
        if check():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("timed out")


async def test_identify_messages_heartbeats_and_resume(
    fake_platform: FakePlatform, gateway: FakeDiscordGateway, http: httpx.AsyncClient
) -> None:
    got: list[InboundMessage] = []

    async def deliver(msg: InboundMessage) -> None:
        got.append(msg)

    stream = DiscordGateway(settings(fake_platform), http)
    stream.retry_first_s = 0.05
    running = asyncio.create_task(stream.run(deliver))
    try:
        await gateway.dispatch("MESSAGE_CREATE", message("m1", f"<@{BOT_USER['id']}> 会费多少？"))
        await gateway.dispatch("MESSAGE_CREATE", message("m2", "hi", author="b", bot=True))
        await gateway.dispatch("MESSAGE_CREATE", message("m3", "随便聊聊", mentions=False))
        await until(lambda: len(got) == 2 and len(gateway.heartbeats) >= 2)
        await gateway.drop(4000)  # resumable: the client resumes its session
        await until(lambda: len(gateway.logins) == 2)
        await gateway.dispatch("MESSAGE_CREATE", message("m4", "私聊问题", guild=False,
                                                         mentions=False))  # fmt: skip
        await gateway.reconnect()  # op 7: resume again
        await until(lambda: len(gateway.logins) == 3 and len(got) == 3)
    finally:
        running.cancel()
    await asyncio.wait_for(asyncio.gather(running, return_exceptions=True), 2)  # stops at once

    identify, resume, again = gateway.logins
    assert identify["op"] == 2 and identify["d"]["token"] == TOKEN
    assert identify["d"]["intents"] == (1 << 0) | (1 << 9) | (1 << 12)  # no privileged one
    assert resume["op"] == 6 and resume["d"]["session_id"] == "sess-1"
    assert resume["d"]["seq"] == 4  # READY and the three messages
    assert again["op"] == 6 and again["d"]["seq"] >= 6
    assert gateway.paths[0] == "/?v=10&encoding=json"
    first, chatter, dm = got  # the bot's message is never answered
    assert (first.text, first.mentioned, first.chat_type) == ("会费多少？", True, "group")
    assert first.event_id == "msg:m1" and first.reply_context["message_id"] == "m1"
    assert chatter.mentioned is False  # routing decides; mode "mention" ignores it
    assert (dm.chat_type, dm.mentioned) == ("private", True)
    assert gateway.heartbeats[-1] is not None  # heartbeats carry the last sequence


async def test_a_zombied_link_is_closed_and_resumed(
    fake_platform: FakePlatform, gateway: FakeDiscordGateway, http: httpx.AsyncClient
) -> None:
    async def deliver(msg: InboundMessage) -> None:
        pass

    stream = DiscordGateway(settings(fake_platform), http)
    stream.retry_first_s = 0.05
    running = asyncio.create_task(stream.run(deliver))
    try:
        await until(lambda: len(gateway.heartbeats) >= 1)
        gateway.stop_acking()  # the link looks open but nothing comes back
        await until(lambda: len(gateway.logins) == 2)
    finally:
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)
    assert gateway.logins[1]["op"] == 6 and gateway.connections == 2


@pytest.mark.parametrize(
    ("kw", "expected"),
    [
        ({"token": "wrong"}, "refused the bot token (HTTP 401)"),
        ({"message_content": True}, "Message Content intent is not enabled"),
    ],
)
async def test_what_no_retry_can_fix_ends_the_stream_with_what_to_do(
    fake_platform: FakePlatform,
    gateway: FakeDiscordGateway,
    http: httpx.AsyncClient,
    kw: dict[str, Any],
    expected: str,
) -> None:
    async def deliver(msg: InboundMessage) -> None:
        raise AssertionError("nothing may arrive")

    gateway.message_content_allowed = False
    stream = DiscordGateway(settings(fake_platform, **kw), http)
    with pytest.raises(StreamRefused) as err:
        await asyncio.wait_for(stream.run(deliver), 10)
    assert expected in str(err.value) and "wrong" not in str(err.value)
