"""`copilot connect`: outbound connections (Slack Socket Mode over a real WebSocket, Telegram
long polling) answer through the same worker as webhooks: one grounded answer per event, in
the asker's thread, never twice for a redelivery."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime

import httpx
import pytest
from typer.testing import CliRunner

from connectors.connect import connect
from connectors.outbound import (
    QqGateway,
    QqGatewaySettings,
    SlackSocketMode,
    SlackSocketSettings,
    TelegramPolling,
    TelegramPollingSettings,
)
from connectors.platforms.feishu import decrypt
from connectors.streams.dingtalk import DingtalkStream, DingtalkStreamSettings
from connectors.streams.discord import DiscordGateway, DiscordGatewaySettings
from connectors.streams.feishu import FeishuLongConnection, FeishuLongConnectionSettings
from connectors.tables import Route, list_reviews, put_route
from copilot.cli import app as cli
from copilot.service import Copilot
from tests.connectors import helpers as h
from tests.connectors.fake_dingtalk_stream import FakeDingtalkStream
from tests.connectors.fake_discord_gateway import BOT_USER, FakeDiscordGateway
from tests.connectors.fake_feishu_ws import FakeFeishuLongConnection
from tests.connectors.fake_platform import FakePlatform
from tests.connectors.fake_sockets import FakeQqGateway, FakeSlackSocket
from tests.connectors_e2e.conftest import COMMUNITY, reset_tables
from tests.connectors_e2e.events import CHAT, event, posted_text, replies

QUESTION = "会费多少？可以退款吗？"


@pytest.fixture
async def slack_socket(fake_platform: FakePlatform) -> AsyncIterator[FakeSlackSocket]:
    socket = await FakeSlackSocket().start()
    # Slack's HTTP half: apps.connections.open hands out the WebSocket URL (every reconnect).
    fake_platform.respond(
        "POST", r"/api/apps\.connections\.open", json={"ok": True, "url": socket.url}, times=100
    )
    yield socket
    await socket.stop()


async def until(check: Callable[[], bool], seconds: float = 60) -> None:
    for _ in range(int(seconds / 0.05)):
        if check():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("timed out")


def routed(copilot: Copilot, platform: str) -> None:
    reset_tables(copilot)
    put_route(copilot.db, Route(platform=platform, chat_id=CHAT[platform], community=COMMUNITY))


async def test_slack_socket_mode_answers_once_in_the_thread(
    e2e_copilot: Copilot, fake_platform: FakePlatform, slack_socket: FakeSlackSocket
) -> None:
    routed(e2e_copilot, "slack")
    settings = SlackSocketSettings(
        _env_file=None,  # type: ignore[call-arg]
        app_token="xapp-1-A1-fake",
        bot_token="xoxb-test",
        bot_user_id=h.SLACK_BOT,
        api_url=f"{fake_platform.url}/api/",
    )
    stop = asyncio.Event()
    async with httpx.AsyncClient() as http:
        stream = SlackSocketMode(settings, http)
        running = asyncio.create_task(connect(e2e_copilot, streams=[stream], stop=stop, http=http))
        payload = json.loads(event("slack", QUESTION, fake_platform, event_id="EvSock1").req.body)
        slack_socket.push(payload, "env-1")
        await until(lambda: bool(replies(fake_platform, "slack")))
        slack_socket.push(payload, "env-2", retry=1)  # Slack redelivers: same event_id
        await until(lambda: "env-2" in slack_socket.acks)
        await asyncio.sleep(0.5)
        stop.set()
        await running
    (reply,) = replies(fake_platform, "slack")
    assert "来源: [1] faq-morning-readers.md" in posted_text(reply)
    assert reply.json["thread_ts"] == "1700000000.000001" and reply.json["channel"] == CHAT["slack"]
    assert slack_socket.acks == ["env-1", "env-2"]  # every envelope acknowledged
    opened = fake_platform.calls("apps.connections.open")
    assert opened and opened[0].headers["authorization"] == "Bearer xapp-1-A1-fake"


async def test_telegram_long_polling_answers_and_advances_the_offset(
    e2e_copilot: Copilot, fake_platform: FakePlatform
) -> None:
    routed(e2e_copilot, "telegram")
    update = json.loads(event("telegram", QUESTION, fake_platform, event_id="880001").req.body)
    # The same update twice (an offset that did not advance elsewhere): answered once.
    fake_platform.respond("POST", r"/getUpdates", json={"ok": True, "result": [update]}, times=2)
    settings = TelegramPollingSettings(
        _env_file=None,  # type: ignore[call-arg]
        polling=True,
        bot_token=h.TELEGRAM_TOKEN,
        bot_username="copilot_test_bot",
        api_url=fake_platform.url,
        poll_timeout=1,
    )
    stop = asyncio.Event()
    async with httpx.AsyncClient() as http:
        stream = TelegramPolling(settings, http)
        running = asyncio.create_task(connect(e2e_copilot, streams=[stream], stop=stop, http=http))
        await until(lambda: bool(replies(fake_platform, "telegram")))
        await until(lambda: len(fake_platform.calls("/getUpdates")) >= 3)
        stop.set()
        await running
    (reply,) = replies(fake_platform, "telegram")
    assert "来源: [1] faq-morning-readers.md" in posted_text(reply)
    assert reply.json["message_thread_id"] == 77
    polls = fake_platform.calls("/getUpdates")
    assert "offset" not in polls[0].json and polls[2].json["offset"] == 880002


async def test_telegram_polling_runs_an_operators_command_without_the_review_hold(
    e2e_copilot: Copilot, fake_platform: FakePlatform
) -> None:
    reset_tables(e2e_copilot)
    route = Route(
        platform="telegram", chat_id=CHAT["telegram"], community=COMMUNITY, operators=["u_op"]
    )
    put_route(e2e_copilot.db, route)
    command = event("telegram", "24h", fake_platform, event_id="880020", user="u_op",
                    command="summary")  # fmt: skip
    fake_platform.respond(
        "POST", r"/getUpdates", json={"ok": True, "result": [json.loads(command.req.body)]}
    )
    settings = TelegramPollingSettings(
        _env_file=None,  # type: ignore[call-arg]
        polling=True,
        bot_token=h.TELEGRAM_TOKEN,
        bot_username="copilot_test_bot",
        api_url=fake_platform.url,
        poll_timeout=1,
    )
    stop = asyncio.Event()
    async with httpx.AsyncClient() as http:
        stream = TelegramPolling(settings, http)
        running = asyncio.create_task(connect(e2e_copilot, streams=[stream], stop=stop, http=http))
        await until(lambda: bool(replies(fake_platform, "telegram")))
        stop.set()
        await running
    (reply,) = replies(fake_platform, "telegram")
    # Fetched with the bot's token, the update is Telegram's own: no second factor needed
    # (a webhook's static secret header proves nothing about the body, so there it is held).
    assert "review queue" not in posted_text(reply)
    assert list_reviews(e2e_copilot.db, COMMUNITY, "pending") == []


def test_connect_without_configuration_says_what_to_set(
    monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)  # no .env
    monkeypatch.setenv("COPILOT_DATA_DIR", str(tmp_path / "data"))
    for name in ("SLACK_APP_TOKEN", "SLACK_BOT_TOKEN", "TELEGRAM_BOT_TOKEN", "TELEGRAM_POLLING"):
        monkeypatch.delenv(f"COPILOT_{name}", raising=False)
    result = CliRunner().invoke(cli, ["connect"])
    assert result.exit_code == 2
    assert "no outbound connection is configured" in result.output
    assert "COPILOT_SLACK_APP_TOKEN" in result.output


async def test_qq_gateway_answers_and_resumes_after_a_drop(
    e2e_copilot: Copilot, fake_platform: FakePlatform
) -> None:
    routed(e2e_copilot, "qq")
    gateway = await FakeQqGateway().start()
    fake_platform.respond("GET", r"/gateway$", json={"url": gateway.url}, times=10)
    settings = QqGatewaySettings(
        _env_file=None,  # type: ignore[call-arg]
        gateway=True,
        app_id=h.QQ_APP_ID,
        app_secret=h.QQ_SECRET,
        api_url=fake_platform.url,
        token_url=f"{fake_platform.url}/app/getAppAccessToken",
    )

    def group_at(mid: str) -> dict[str, object]:
        return {
            "author": {"member_openid": "E4F4AEA33253A2797FB897C50B81D7ED"},
            "content": f" {QUESTION}",
            "group_openid": CHAT["qq"],
            "id": mid,
            "timestamp": datetime.now(UTC).isoformat(),
        }

    stop = asyncio.Event()
    async with httpx.AsyncClient() as http:
        stream = QqGateway(settings, http)
        running = asyncio.create_task(connect(e2e_copilot, streams=[stream], stop=stop, http=http))
        await until(lambda: bool(gateway.logins))
        gateway.push("GROUP_AT_MESSAGE_CREATE", group_at("ROBOT1.0_gw1"), "GROUP_AT:1")
        await until(lambda: len(replies(fake_platform, "qq")) == 1)
        await gateway.drop()  # the link drops: the client resumes its session
        await until(lambda: len(gateway.logins) == 2)
        gateway.push("GROUP_AT_MESSAGE_CREATE", group_at("ROBOT1.0_gw1"), "GROUP_AT:1b")  # again
        gateway.push("GROUP_AT_MESSAGE_CREATE", group_at("ROBOT1.0_gw2"), "GROUP_AT:2")
        await until(lambda: len(replies(fake_platform, "qq")) == 2)
        await until(lambda: len(gateway.heartbeats) >= 2)
        await asyncio.sleep(0.3)
        stop.set()
        await running
        await gateway.stop()
    identify, resume = gateway.logins
    assert identify["op"] == 2 and identify["d"]["token"] == "QQBot qq-fake-access-token"
    assert identify["d"]["intents"] & (1 << 25)  # group @-messages and one-to-one chats
    assert resume["op"] == 6 and resume["d"]["session_id"] == "sess-1"
    assert resume["d"]["seq"] == 2  # READY (1) and the first event (2)
    answered = [r.json["msg_id"] for r in replies(fake_platform, "qq")]
    assert answered == ["ROBOT1.0_gw1", "ROBOT1.0_gw2"]  # the repeat was not answered twice
    assert "来源: [1] faq-morning-readers.md" in posted_text(replies(fake_platform, "qq")[0])
    assert gateway.heartbeats[-1] is not None  # heartbeats carry the last sequence seen


async def test_dingtalk_stream_answers_once_and_trusts_operator_commands(
    e2e_copilot: Copilot, fake_platform: FakePlatform
) -> None:
    reset_tables(e2e_copilot)
    chat = CHAT["dingtalk"]
    put_route(
        e2e_copilot.db,
        Route(platform="dingtalk", chat_id=chat, community=COMMUNITY, operators=["u_op"]),
    )
    gateway = await FakeDingtalkStream("dingkey", "dingsecret").start(fake_platform)
    settings = DingtalkStreamSettings(
        _env_file=None,  # type: ignore[call-arg]
        stream=True,
        app_key="dingkey",
        app_secret="dingsecret",
        api_url=fake_platform.url,
        stream_url=fake_platform.url,
    )

    def robot(text: str, eid: str, **kw: str) -> dict[str, object]:
        # The same robot message an HTTP callback carries (what Stream mode pushes).
        return json.loads(event("dingtalk", text, fake_platform, event_id=eid, **kw).req.body)  # type: ignore[no-any-return]

    stop = asyncio.Event()
    async with httpx.AsyncClient() as http:
        running = asyncio.create_task(
            connect(e2e_copilot, streams=[DingtalkStream(settings, http)], stop=stop, http=http)
        )
        question = robot(QUESTION, "dtStream1")
        await gateway.push(question)
        again = await gateway.push(question)  # pushed again (an ack DingTalk never got)
        await until(lambda: bool(replies(fake_platform, "dingtalk")))
        await until(lambda: gateway.acked(again) is not None)
        await gateway.push(robot("", "dtStream2", user="u_op", command="summary"))
        await until(lambda: len(replies(fake_platform, "dingtalk")) == 2)
        await asyncio.sleep(0.3)
        stop.set()
        await running
        await gateway.stop()
    answer, summary = replies(fake_platform, "dingtalk")
    assert "来源: [1] faq-morning-readers.md" in posted_text(answer)
    assert answer.query["session"] == "dtStream1"  # through the message's sessionWebhook
    # The stream authenticates the body, so an operator's command is not held for review.
    assert "没有可总结的内容" in posted_text(summary)  # the summary itself (nothing captured)
    assert list_reviews(e2e_copilot.db, COMMUNITY, "pending") == []


async def test_feishu_long_connection_answers_once_in_the_thread(
    e2e_copilot: Copilot, fake_platform: FakePlatform
) -> None:
    routed(e2e_copilot, "feishu")
    frontier = await FakeFeishuLongConnection("cli_test", "app-secret").start(fake_platform)
    settings = FeishuLongConnectionSettings(
        _env_file=None,  # type: ignore[call-arg]
        long_connection=True,
        app_id="cli_test",
        app_secret="app-secret",
        api_url=fake_platform.url,
    )
    signed = json.loads(event("feishu", QUESTION, fake_platform, event_id="evLong1").req.body)
    plain = json.loads(decrypt(signed["encrypt"], h.FEISHU_KEY))  # what the connection carries
    plain["event"]["message"]["mentions"][0]["id"]["open_id"] = "ou_fake_bot"  # the real bot
    stop = asyncio.Event()
    async with httpx.AsyncClient() as http:
        stream = FeishuLongConnection(settings, http)
        running = asyncio.create_task(connect(e2e_copilot, streams=[stream], stop=stop, http=http))
        await until(lambda: frontier.connections == 1)
        await frontier.push(plain)
        again = await frontier.push(plain)  # pushed again: an answer Feishu did not get
        await until(lambda: bool(replies(fake_platform, "feishu")) and again in frontier.answers)
        await asyncio.sleep(0.3)
        stop.set()
        await running
        await frontier.stop()
    (reply,) = replies(fake_platform, "feishu")
    assert "来源: [1] faq-morning-readers.md" in posted_text(reply)
    assert reply.path.endswith("/om_evLong1/reply")  # a reply to the member's message
    assert fake_platform.calls("/bot/v3/info")  # the bot learned its own open_id first


async def test_discord_gateway_answers_a_mention_once_as_a_reply(
    e2e_copilot: Copilot, fake_platform: FakePlatform
) -> None:
    routed(e2e_copilot, "discord")
    gateway = await FakeDiscordGateway("gw-token").start(fake_platform)
    settings = DiscordGatewaySettings(
        _env_file=None,  # type: ignore[call-arg]
        gateway=True,
        bot_token="gw-token",
        api_url=f"{fake_platform.url}/api/v10",
    )
    mention = {
        "id": "1200000000000000042", "type": 0, "channel_id": CHAT["discord"],
        "guild_id": "613425648685547541", "content": f"<@{BOT_USER['id']}> {QUESTION}",
        "author": {"id": "80351110224678912", "username": "lin"}, "mentions": [BOT_USER],
        "timestamp": datetime.now(UTC).isoformat(),
    }  # fmt: skip
    stop = asyncio.Event()
    posted = f"/channels/{CHAT['discord']}/messages"
    async with httpx.AsyncClient() as http:
        stream = DiscordGateway(settings, http)
        running = asyncio.create_task(connect(e2e_copilot, streams=[stream], stop=stop, http=http))
        await gateway.dispatch("MESSAGE_CREATE", mention)
        await until(lambda: bool(fake_platform.calls(posted, "POST")))
        await gateway.drop(4000)
        await gateway.dispatch("MESSAGE_CREATE", mention)  # replayed after the resume
        await asyncio.sleep(0.5)
        stop.set()
        await running
        await gateway.stop()
    (reply,) = fake_platform.calls(posted, "POST")
    assert "来源: [1] faq-morning-readers.md" in posted_text(reply)
    assert reply.json["message_reference"]["message_id"] == "1200000000000000042"
    assert reply.json["allowed_mentions"]["parse"] == []  # nobody pinged by accident
    assert reply.headers["authorization"] == "Bot gw-token"
