"""One matrix over all six platforms: a forged, tampered, stale or replayed request is refused
with 401/403 by ``handle`` and never reaches ``parse`` (nothing is processed).

Two cells are impossible by platform design and are therefore absent, not skipped:
Telegram signs nothing and has no timestamp (the secret token is the only proof; a
re-delivery is recognised by ``update_id``), and DingTalk's sign covers only the timestamp
and secret, not the body (see test_dingtalk.test_signature_does_not_cover_the_body). What the
app does about those two (each DingTalk sign accepted once, operator commands held for
approval) is tested end to end in tests/connectors_e2e/test_forgery.py.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from connectors.base import Connector, ConnectorError, InboundMessage, VerificationError
from connectors.dingtalk import DingtalkConnector
from connectors.discord import DiscordConnector
from connectors.feishu import FeishuConnector
from connectors.slack import SlackConnector
from connectors.telegram import TelegramConnector
from connectors.wecom import WecomConnector
from tests.connectors import helpers as h

NOW = 1_700_000_000


@dataclass
class Platform:
    make: Callable[[], Connector]
    sign: Callable[[bytes | str, int, bool], h.Req]  # (payload, timestamp, right_secret)
    payload: bytes | str
    window: int | None  # replay window in seconds; None = platform has no timestamp
    signs_body: bool = True


def _slack(p: bytes | str, ts: int, ok: bool) -> h.Req:
    return h.slack_request(
        p if isinstance(p, bytes) else p.encode(), ts, h.SLACK_SECRET if ok else "x" * 32
    )


def _telegram(p: bytes | str, ts: int, ok: bool) -> h.Req:
    return h.telegram_request(
        p if isinstance(p, bytes) else p.encode(), h.TELEGRAM_SECRET if ok else "guess"
    )


def _discord(p: bytes | str, ts: int, ok: bool) -> h.Req:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = h.DISCORD_KEY if ok else Ed25519PrivateKey.generate()
    return h.discord_request(p if isinstance(p, bytes) else p.encode(), ts, key)


def _feishu(p: bytes | str, ts: int, ok: bool) -> h.Req:
    plain = p if isinstance(p, bytes) else p.encode()
    return h.feishu_request(plain, ts, key=h.FEISHU_KEY if ok else "other key")


def _wecom(p: bytes | str, ts: int, ok: bool) -> h.Req:
    text = p.decode("utf-8", "replace") if isinstance(p, bytes) else p
    return h.wecom_request(text, ts, token=h.WECOM_TOKEN if ok else "otherToken")


def _dingtalk(p: bytes | str, ts: int, ok: bool) -> h.Req:
    return h.dingtalk_request(
        p if isinstance(p, bytes) else p.encode(), ts * 1000, h.DINGTALK_SECRET if ok else "x"
    )


SLACK_EVENT = h.dumps(h.vector("slack_app_mention_event_callback.json")["payload"])
PLATFORMS = {
    "slack": Platform(lambda: SlackConnector(h.slack_settings()), _slack, SLACK_EVENT, 300),
    "telegram": Platform(
        lambda: TelegramConnector(h.telegram_settings()),
        _telegram,
        h.dumps(h.vector("telegram_private_text_update.json")["update"]),
        None,
        signs_body=False,
    ),
    "discord": Platform(
        lambda: DiscordConnector(h.discord_settings()),
        _discord,
        h.dumps(h.vector("discord_slash_command_example_interaction.json")["interaction"]),
        300,
    ),
    "feishu": Platform(
        lambda: FeishuConnector(h.feishu_settings()), _feishu, h.dumps(h.feishu_event(1)), 300
    ),
    "wecom": Platform(
        lambda: WecomConnector(h.wecom_settings()),
        _wecom,
        json.dumps(h.vector("wecom_aibot_group_text_message_example.json")["decrypted_message"]),
        300,
    ),
    "dingtalk": Platform(
        lambda: DingtalkConnector(h.dingtalk_settings()),
        _dingtalk,
        h.dumps(h.vector("dingtalk_robot_callback_group_message.json")["body"]),
        3600,
        signs_body=False,
    ),
}


def tamper(req: h.Req) -> h.Req:
    """Flip one byte inside the signed content (the ciphertext for encrypted platforms)."""
    if req.body.startswith(b'{"encrypt"'):
        outer = json.loads(req.body)
        raw = outer["encrypt"]
        outer["encrypt"] = raw[:20] + ("A" if raw[20] != "A" else "B") + raw[21:]
        return h.Req(h.dumps(outer), req.headers, req.query)
    i = req.body.index(b":") + 2
    body = req.body[:i] + bytes([req.body[i] ^ 1]) + req.body[i + 1 :]
    return h.Req(body, req.headers, req.query)


def refused(conn: Connector, req: h.Req, now: float) -> VerificationError:
    def must_not_parse(*args: object) -> None:
        raise AssertionError("parse() ran on a rejected request")

    conn.parse = must_not_parse  # type: ignore[method-assign,assignment]
    with pytest.raises(VerificationError) as err:
        conn.handle(req.headers, req.body, req.query, now=now)
    assert err.value.status in (401, 403)
    response = err.value.response()
    assert response.status_code == err.value.status and "error" in json.loads(response.body)
    return err.value


@pytest.mark.parametrize("name", list(PLATFORMS))
def test_valid_request_is_accepted(name: str) -> None:
    p = PLATFORMS[name]
    req = p.sign(p.payload, NOW, True)
    result, response = p.make().handle(req.headers, req.body, req.query, now=NOW)
    assert isinstance(result, InboundMessage) and result.platform == name
    assert response.status_code == 200


@pytest.mark.parametrize("name", list(PLATFORMS))
def test_wrong_secret(name: str) -> None:
    p = PLATFORMS[name]
    refused(p.make(), p.sign(p.payload, NOW, False), NOW)


@pytest.mark.parametrize("name", [n for n, p in PLATFORMS.items() if p.signs_body])
def test_tampered_body(name: str) -> None:
    p = PLATFORMS[name]
    refused(p.make(), tamper(p.sign(p.payload, NOW, True)), NOW)


@pytest.mark.parametrize("name", [n for n, p in PLATFORMS.items() if p.window])
def test_stale_timestamp(name: str) -> None:
    p = PLATFORMS[name]
    assert p.window
    error = refused(p.make(), p.sign(p.payload, NOW - p.window - 1, True), NOW)
    assert "stale" in error.message


@pytest.mark.parametrize("name", [n for n, p in PLATFORMS.items() if p.window])
def test_replay_after_window(name: str) -> None:
    p = PLATFORMS[name]
    assert p.window
    captured = p.sign(p.payload, NOW, True)
    first, _ = p.make().handle(captured.headers, captured.body, captured.query, now=NOW)
    assert isinstance(first, InboundMessage)
    refused(p.make(), captured, NOW + p.window + 1)


@pytest.mark.parametrize("name", list(PLATFORMS))
def test_replay_within_window_keeps_event_id_for_dedupe(name: str) -> None:
    p = PLATFORMS[name]
    captured = p.sign(p.payload, NOW, True)
    ids = set()
    for later in (0, 30):
        msg, _ = p.make().handle(captured.headers, captured.body, captured.query, now=NOW + later)
        assert isinstance(msg, InboundMessage) and msg.event_id
        ids.add(msg.event_id)
    assert len(ids) == 1


@pytest.mark.parametrize("name", list(PLATFORMS))
def test_garbage_is_refused_without_a_500(name: str) -> None:
    p = PLATFORMS[name]
    req = p.sign(b"\x00not json\xff", NOW, True)
    with pytest.raises(ConnectorError) as err:
        p.make().handle(req.headers, req.body, req.query, now=NOW)
    assert 400 <= err.value.status < 500


ODD_SHAPES = {
    "slack": b'{"type": "event_callback", "event": "not an object"}',
    "telegram": b'{"update_id": 1, "message": {"message_id": 1, "text": "x", "from": {"id": 1}, '
    b'"chat": 5}}',
    "discord": b'{"type": 2, "id": "1", "token": "t", "data": "ask"}',
    "feishu": h.dumps(
        {
            **h.feishu_event(1),
            "event": {
                "message": {"message_type": "text", "content": '{"text": "hi"}'},
                "sender": {"sender_type": "user", "sender_id": "not an object"},
            },
        }
    ),
    "wecom": b'["not", "an", "object"]',
    "dingtalk": b'{"msgtype": "text", "text": "plain string"}',
}


@pytest.mark.parametrize("name", list(PLATFORMS))
def test_authentic_but_oddly_shaped_payload_is_a_400(name: str) -> None:
    p = PLATFORMS[name]
    req = p.sign(ODD_SHAPES[name], NOW, True)
    with pytest.raises(ConnectorError) as err:
        p.make().handle(req.headers, req.body, req.query, now=NOW)
    assert err.value.status == 400
