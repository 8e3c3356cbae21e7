"""OneBot v11 reverse WebSocket: NapCat/Lagrange connect to us with the access token; events
arrive as frames and each answer goes back on the same connection as an API call frame."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from connectors.tables import Route, put_route
from copilot.api import create_app
from copilot.service import Copilot
from tests.connectors import helpers as h
from tests.connectors.fake_platform import FakePlatform
from tests.connectors_e2e.conftest import COMMUNITY, platform_env, reset_tables

HANDSHAKE = {"Authorization": "Bearer onebot-token", "X-Self-ID": h.ONEBOT_SELF,
             "X-Client-Role": "Universal", "User-Agent": "OneBot/11"}  # fmt: skip
URL = "/connectors/onebot/ws"


def answer(echo: str) -> dict[str, object]:
    """What the OneBot implementation sends back for a send_group_msg call."""
    return {"status": "ok", "retcode": 0, "data": {"message_id": 1}, "echo": echo}


@pytest.fixture
def client(
    e2e_copilot: Copilot, fake_platform: FakePlatform, monkeypatch: pytest.MonkeyPatch
) -> TestClient:
    platform_env(monkeypatch, fake_platform.url)
    reset_tables(e2e_copilot)
    put_route(e2e_copilot.db, Route(platform="onebot", chat_id="123456789", community=COMMUNITY))
    return TestClient(create_app(e2e_copilot.settings, e2e_copilot))


def test_answers_go_back_on_the_socket_once_per_event(
    client: TestClient, fake_platform: FakePlatform
) -> None:
    first = h.onebot_group_message("会费多少？可以退款吗？", 1_900_000_000, message_id=7001)
    second = h.onebot_group_message("会费多少？可以退款吗？", 1_900_000_000, message_id=7002)
    with client, client.websocket_connect(URL, headers=HANDSHAKE) as ws:
        lifecycle = {"post_type": "meta_event", "meta_event_type": "lifecycle",
                     "sub_type": "connect", "self_id": 10001000, "time": 1}  # fmt: skip
        ws.send_text(json.dumps(lifecycle))
        ws.send_text(json.dumps(first))
        call = ws.receive_json()
        assert call["action"] == "send_group_msg" and call["params"]["group_id"] == 123456789
        assert call["params"]["message"][0] == {"type": "reply", "data": {"id": "7001"}}
        text = call["params"]["message"][1]["data"]["text"]
        assert "退款" in text and "来源: [1] faq-morning-readers.md" in text
        ws.send_json(
            {"status": "ok", "retcode": 0, "data": {"message_id": 1}, "echo": call["echo"]}
        )
        ws.send_text(json.dumps(first))  # delivered again: no second answer
        ws.send_text(json.dumps(second))
        again = ws.receive_json()
        assert again["params"]["message"][0]["data"]["id"] == "7002"
        ws.send_json(
            {"status": "ok", "retcode": 0, "data": {"message_id": 2}, "echo": again["echo"]}
        )
    assert fake_platform.calls("/send_group_msg") == []  # nothing went over HTTP


@pytest.mark.parametrize(
    "headers",
    [
        {**HANDSHAKE, "Authorization": "Bearer wrong"},
        {k: v for k, v in HANDSHAKE.items() if k != "Authorization"},
        {**HANDSHAKE, "X-Self-ID": ""},
    ],
)
def test_a_client_without_the_access_token_is_refused(
    client: TestClient, headers: dict[str, str]
) -> None:
    with (
        client,
        pytest.raises(WebSocketDisconnect) as closed,
        client.websocket_connect(URL, headers=headers) as ws,
    ):
        ws.receive_text()
    assert closed.value.code == 1008
