"""Signed group events for every platform, shaped like the vectors in tests/connectors, plus
where each platform's reply lands on the fake API and how to read the posted text."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from connectors.registry import connector_classes, platform_names
from tests.connectors import helpers as h
from tests.connectors.fake_platform import FakePlatform, RecordedRequest

PLATFORMS = platform_names()
# Each platform's test group; a new platform adds its own here (a KeyError says so).
CHAT = {
    "slack": "C123ABC456",
    "telegram": "-1001293752024",
    "discord": "645027906669510667",
    "feishu": "oc_readers",
    "wecom": "wrchat_readers",
    "dingtalk": "cidReaders==",
    "qq": "C9F778FE6ADF9D1D1DBE395BF744A33A",
    "onebot": "123456789",
}
PATH = {
    name: f"/connectors/{name}/{cls.webhook.hook}"
    for name, cls in connector_classes().items()
    if cls.webhook
}
# Where reply() posts on the fake API (the thread/reply-specific endpoint of each platform).
REPLY_PATH = {
    "slack": "chat.postMessage",
    "telegram": "/sendMessage",
    "discord": "/messages/@original",
    "feishu": "/reply",
    "wecom": "/cgi-bin/aibot/response",
    "dingtalk": "/robot/sendBySession",
    "qq": f"/v2/groups/{CHAT['qq']}/messages",
    "onebot": "/send_group_msg",
}


@dataclass(frozen=True)
class Event:
    path: str
    req: h.Req


def event(
    platform: str,
    text: str,
    fake: FakePlatform,
    *,
    event_id: str,
    user: str = "u_member",
    mentioned: bool = True,
    command: str | None = None,
) -> Event:
    """A signed delivery of ``text`` in the platform's test group (``/command`` when given)."""
    now = int(time.time())
    build: Callable[..., h.Req] = _BUILDERS[platform]
    return Event(PATH[platform], build(text, fake, event_id, user, mentioned, command, now))


def _slack(
    text: str,
    fake: FakePlatform,
    eid: str,
    user: str,
    mentioned: bool,
    command: str | None,
    now: int,
) -> h.Req:
    body = f"/{command} {text}".strip() if command else text
    ev = {
        "type": "app_mention" if mentioned else "message",
        "user": user,
        "channel": CHAT["slack"],
        "text": f"<@{h.SLACK_BOT}> {body}" if mentioned else body,
        "ts": f"{now}.000100",
        "thread_ts": "1700000000.000001",
        "channel_type": "channel",
    }
    payload = {
        "type": "event_callback",
        "team_id": "T1",
        "api_app_id": "A1",
        "event": ev,
        "event_id": eid,
        "event_time": now,
    }
    return h.slack_request(h.dumps(payload), now)


def _telegram(
    text: str,
    fake: FakePlatform,
    eid: str,
    user: str,
    mentioned: bool,
    command: str | None,
    now: int,
) -> h.Req:
    entities: list[dict[str, Any]] = []
    if command:
        body = f"/{command} {text}".strip()
        entities.append({"type": "bot_command", "offset": 0, "length": len(command) + 1})
    elif mentioned:
        body = f"@copilot_test_bot {text}"
        entities.append({"type": "mention", "offset": 0, "length": 17})
    else:
        body = text
    uid = abs(hash(user)) % 10**9
    msg = {
        "message_id": int(eid) % 100000,
        "date": now,
        "text": body,
        "entities": entities,
        "chat": {"id": int(CHAT["telegram"]), "type": "supergroup", "title": "Readers"},
        "from": {"id": uid, "is_bot": False, "first_name": "M", "username": user},
        "message_thread_id": 77,
        "is_topic_message": True,
    }
    return h.telegram_request(h.dumps({"update_id": int(eid), "message": msg}))


def _discord(
    text: str,
    fake: FakePlatform,
    eid: str,
    user: str,
    mentioned: bool,
    command: str | None,
    now: int,
) -> h.Req:
    interaction = {
        "type": 2,
        "id": eid,
        "application_id": "111",
        "token": f"tok-{eid}",
        "channel_id": CHAT["discord"],
        "guild_id": "290926798626357999",
        "member": {"user": {"id": user, "username": user}},
        "data": {
            "type": 1,
            "name": command or "ask",
            "id": "1",
            "options": [{"type": 3, "name": "text", "value": text}] if text else [],
        },
    }
    return h.discord_request(h.dumps(interaction), now)


def _feishu(
    text: str,
    fake: FakePlatform,
    eid: str,
    user: str,
    mentioned: bool,
    command: str | None,
    now: int,
) -> h.Req:
    body = f"/{command} {text}".strip() if command else text
    message: dict[str, Any] = {
        "chat_id": CHAT["feishu"],
        "chat_type": "group",
        "message_id": f"om_{eid}",
        "message_type": "text",
        "create_time": str(now * 1000),
        "content": json.dumps({"text": f"@_user_1 {body}" if mentioned else body}),
    }
    if mentioned:
        message["mentions"] = [
            {"key": "@_user_1", "name": "bot", "id": {"open_id": "open_id", "user_id": "bot"}}
        ]
    payload = {
        "schema": "2.0",
        "header": {
            "event_id": eid,
            "token": h.FEISHU_TOKEN,
            "create_time": str(now * 1000),
            "event_type": "im.message.receive_v1",
            "app_id": "cli_test",
        },
        "event": {
            "message": message,
            "sender": {"sender_type": "user", "sender_id": {"open_id": user}},
        },
    }
    return h.feishu_request(payload, now)


def _wecom(
    text: str,
    fake: FakePlatform,
    eid: str,
    user: str,
    mentioned: bool,
    command: str | None,
    now: int,
) -> h.Req:
    body = f"/{command} {text}".strip() if command else text
    message = {
        "msgid": eid,
        "aibotid": "AIBOT",
        "chatid": CHAT["wecom"],
        "chattype": "group",
        "from": {"userid": user},
        "msgtype": "text",
        "response_url": f"{fake.url}/cgi-bin/aibot/response?response_code={eid}",
        "text": {"content": f"@RobotA {body}" if mentioned else body},
    }
    return h.wecom_request(json.dumps(message, ensure_ascii=False), now)


def _dingtalk(
    text: str,
    fake: FakePlatform,
    eid: str,
    user: str,
    mentioned: bool,
    command: str | None,
    now: int,
) -> h.Req:
    body = f"/{command} {text}".strip() if command else text
    payload = {
        "conversationId": CHAT["dingtalk"],
        "conversationType": "2",
        "msgId": eid,
        "senderStaffId": user,
        "senderId": f"$:{user}",
        "senderNick": user,
        "isInAtList": mentioned,
        "chatbotUserId": "$:bot",
        "createAt": now * 1000,
        "sessionWebhook": f"{fake.url}/robot/sendBySession?session={eid}",
        "sessionWebhookExpiredTime": (now + 3600) * 1000,
        "msgtype": "text",
        "text": {"content": f" {body}"},
    }
    return h.dingtalk_request(h.dumps(payload), _unique_ms(now))


_last_ms = 0


def _unique_ms(now: int) -> int:
    """A DingTalk sign depends on the timestamp alone and is accepted once: like the real
    platform, give every delivery its own millisecond."""
    global _last_ms
    _last_ms = max(now * 1000, _last_ms + 1)
    return _last_ms


def _qq(
    text: str,
    fake: FakePlatform,
    eid: str,
    user: str,
    mentioned: bool,
    command: str | None,
    now: int,
) -> h.Req:
    body = f"/{command} {text}".strip() if command else text
    d = {
        "author": {"member_openid": user},
        "content": f" {body}",  # QQ removes the bot's @ and leaves the space
        "group_openid": CHAT["qq"],
        "id": f"ROBOT1.0_{eid}",
        "timestamp": datetime.fromtimestamp(now, UTC).isoformat(),
    }
    return h.qq_request(h.qq_event("GROUP_AT_MESSAGE_CREATE", d, f"GROUP_AT:{eid}"), now)


def _onebot(
    text: str,
    fake: FakePlatform,
    eid: str,
    user: str,
    mentioned: bool,
    command: str | None,
    now: int,
) -> h.Req:
    body = f"/{command} {text}".strip() if command else text
    event = h.onebot_group_message(
        body, now, message_id=int(eid) % 2**31, at_bot=mentioned, group=int(CHAT["onebot"])
    )
    event["user_id"] = event["sender"]["user_id"] = user
    return h.onebot_request(h.dumps(event))


_BUILDERS: dict[str, Callable[..., h.Req]] = {
    "slack": _slack,
    "telegram": _telegram,
    "discord": _discord,
    "feishu": _feishu,
    "wecom": _wecom,
    "dingtalk": _dingtalk,
    "qq": _qq,
    "onebot": _onebot,
}


def replies(fake: FakePlatform, platform: str) -> list[RecordedRequest]:
    return [r for r in fake.calls(REPLY_PATH[platform]) if r.method in ("POST", "PATCH")]


def posted_text(req: RecordedRequest) -> str:
    """The text a reply carried, whatever the platform's payload shape."""
    body = req.json or {}
    if isinstance(body.get("message"), list):  # onebot segments
        return "".join(str((s.get("data") or {}).get("text", "")) for s in body["message"])
    if "text" in body and isinstance(body["text"], str):
        return str(body["text"])  # slack, telegram
    if "content" in body and isinstance(body["content"], str):
        try:
            return str(json.loads(body["content"])["text"])  # feishu
        except (ValueError, KeyError, TypeError):
            return str(body["content"])  # discord
    for key in ("markdown", "text"):  # wecom markdown, dingtalk text
        if isinstance(body.get(key), dict):
            return str(body[key].get("content", ""))
    return json.dumps(body, ensure_ascii=False)
