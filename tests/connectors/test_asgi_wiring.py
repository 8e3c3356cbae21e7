"""The connector interface driven through a real ASGI app, the way the app layer will wire it:
Starlette's case-insensitive headers, raw body and URL-decoded query params go straight in."""

from __future__ import annotations

import json

from fastapi import FastAPI, Request, Response
from fastapi.testclient import TestClient

from connectors import Connector, ConnectorError, InboundMessage
from connectors.platforms.discord import DiscordConnector
from connectors.platforms.wecom import WecomConnector
from tests.connectors.helpers import (
    WECOM,
    discord_request,
    discord_settings,
    vector,
    wecom_settings,
)


def app_for(connectors: dict[str, Connector], now: float, seen: list[InboundMessage]) -> FastAPI:
    app = FastAPI()

    @app.api_route("/connectors/{platform}/{hook}", methods=["GET", "POST"])
    async def webhook(platform: str, hook: str, request: Request) -> Response:
        conn = connectors[platform]
        try:
            result, out = conn.handle(
                request.headers, await request.body(), dict(request.query_params), now=now
            )
        except ConnectorError as err:
            out = err.response()
        else:
            if isinstance(result, InboundMessage):
                seen.append(result)
        return Response(out.body, out.status_code, out.headers, out.media_type)

    return app


def test_wecom_url_check_and_discord_command_through_asgi() -> None:
    seen: list[InboundMessage] = []
    connectors: dict[str, Connector] = {
        "wecom": WecomConnector(wecom_settings()),
        "discord": DiscordConnector(discord_settings()),
    }
    client = TestClient(app_for(connectors, 1409659589, seen))

    # WeCom sends echostr URL-encoded (+ and / inside); Starlette decodes it for us.
    q = WECOM["verify_url"]["query"]
    url = (
        "/connectors/wecom/callback?"
        + WECOM["verify_url"]["query_as_sent_url_encoded"]
        + f"&msg_signature={q['msg_signature']}&timestamp={q['timestamp']}&nonce={q['nonce']}"
    )
    ok = client.get(url)
    assert (ok.status_code, ok.text) == (200, "1616140317555161061")
    assert client.get(url.replace("nonce=2", "nonce=3")).status_code == 401

    interaction = vector("discord_slash_command_example_interaction.json")["interaction"]
    req = discord_request(json.dumps(interaction).encode(), 1409659589)
    res = client.post("/connectors/discord/interactions", content=req.body, headers=req.headers)
    assert res.status_code == 200 and res.json() == {"type": 5}
    forged = client.post(
        "/connectors/discord/interactions", content=req.body + b" ", headers=req.headers
    )
    assert forged.status_code == 401 and "signature" in forged.json()["error"]
    assert [m.command for m in seen] == ["cardsearch"]
