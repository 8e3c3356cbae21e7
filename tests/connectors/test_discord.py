from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from connectors.base import Challenge, DeliveryError, Ignored, InboundMessage, VerificationError
from connectors.platforms.discord import DiscordConnector
from connectors.text import utf16_len
from tests.connectors.conformance import ConnectorConformance
from tests.connectors.fake_platform import FakePlatform
from tests.connectors.helpers import (
    DISCORD_KEY,
    Req,
    discord_request,
    discord_settings,
    dumps,
    vector,
)

# _source: DERIVED — RFC 8032 TEST 1 key signing discord-interactions-js's pingRequestBody
KAT = vector("discord_ed25519_vector_DERIVED.json")
# _source: discord/discord-interactions-js src/__tests__/utils/SharedTestUtils.ts
SAMPLES = vector("discord_interaction_sample_bodies.json")
NOW = 1_700_000_000


def discord(**kw: Any) -> DiscordConnector:
    return DiscordConnector(discord_settings(**kw))


def ask(question: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": "1300000000000000001",
        "application_id": "222",
        "type": 2,
        "token": "interaction-token",
        "version": 1,
        "guild_id": "290926798626357999",
        "channel_id": "645027906669510667",
        "member": {"user": {"id": "53908232506183680", "username": "Mason"}},
        "data": {
            "id": "9",
            "name": "ask",
            "type": 1,
            "options": [{"type": 3, "name": "question", "value": question}],
        },
        **extra,
    }


def test_rfc8032_key_is_the_one_we_sign_with() -> None:
    rfc = KAT["rfc8032_test1"]
    public = DISCORD_KEY.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    assert public.hex() == rfc["public_key_hex"]
    assert DISCORD_KEY.sign(b"").hex() == rfc["signature_hex"]


def test_known_answer_ping_is_verified_and_ponged() -> None:
    x = KAT["discord_style"]
    result, response = discord().handle(x["headers"], x["raw_body"].encode(), {}, now=NOW)
    assert isinstance(result, Challenge)
    assert response.status_code == 200 and response.media_type == "application/json"
    assert json.loads(response.body) == SAMPLES["expected_ping_response"]


@pytest.mark.parametrize("part", ["body", "timestamp", "signature"])
def test_any_change_to_the_vector_is_401(part: str) -> None:
    x = KAT["discord_style"]
    headers, body = dict(x["headers"]), x["raw_body"].encode()
    if part == "body":
        body = body.replace(b'"type":1', b'"type":2')
    elif part == "timestamp":
        headers["X-Signature-Timestamp"] = str(NOW + 1)
    else:
        sig = headers["X-Signature-Ed25519"]
        headers["X-Signature-Ed25519"] = sig[:-1] + ("0" if sig[-1] != "0" else "1")
    with pytest.raises(VerificationError) as err:
        discord().handle(headers, body, {}, now=NOW)
    assert err.value.status == 401


def test_signed_with_another_key_is_401() -> None:
    req = discord_request(dumps(SAMPLES["pingRequestBody"]), NOW, Ed25519PrivateKey.generate())
    with pytest.raises(VerificationError):
        discord().verify(req.headers, req.body, {}, now=NOW)


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"X-Signature-Timestamp": str(NOW)},
        {"X-Signature-Ed25519": "zz", "X-Signature-Timestamp": "1"},
    ],
)
def test_missing_or_malformed_signature_headers_are_401(headers: dict[str, str]) -> None:
    with pytest.raises(VerificationError):
        discord().verify(headers, b"{}", {}, now=NOW)


def test_stale_timestamp_is_rejected_even_with_valid_signature() -> None:
    req = discord_request(dumps(SAMPLES["pingRequestBody"]), NOW)
    discord().verify(req.headers, req.body, {}, now=NOW + 299)
    with pytest.raises(VerificationError, match="stale"):
        discord().verify(req.headers, req.body, {}, now=NOW + 301)


def test_slash_command_doc_example() -> None:
    # _source: Discord docs, Slash Commands > Example Interaction (discord-api-docs)
    interaction = vector("discord_slash_command_example_interaction.json")["interaction"]
    req = discord_request(dumps(interaction), NOW)
    msg, response = discord().handle(req.headers, req.body, {}, now=NOW)
    assert isinstance(msg, InboundMessage)
    assert (msg.command, msg.args) == ("cardsearch", "The Gitrog Monster")
    assert (msg.user_id, msg.user_name, msg.chat_id) == (
        "53908232506183680",
        "Mason",
        "645027906669510667",
    )
    assert msg.chat_type == "group" and msg.mentioned and msg.event_id == "786008729715212338"
    # The example lacks application_id: the configured one is used.
    assert msg.reply_context == {
        "application_id": "111",
        "token": "A_UNIQUE_TOKEN",
        "interaction_id": "786008729715212338",
    }
    assert json.loads(response.body) == {"type": 5}  # deferred: answered within 15 min


def test_official_lib_sample_bodies() -> None:
    cmd = discord().parse({}, dumps(SAMPLES["applicationCommandRequestBody"]), {})
    assert isinstance(cmd, InboundMessage)
    assert cmd.command == "test" and cmd.chat_type == "private" and cmd.text == "/test"
    component = discord().parse({}, dumps(SAMPLES["messageComponentRequestBody"]), {})
    assert isinstance(component, Ignored)
    ack = discord().ack(component)
    assert json.loads(ack.body)["type"] == 4 and json.loads(ack.body)["data"]["flags"] == 64


def test_ask_command_text() -> None:
    msg = discord().parse({}, dumps(ask("How do I join the meetup?")), {})
    assert isinstance(msg, InboundMessage)
    assert msg.text == "/ask How do I join the meetup?" and msg.args == "How do I join the meetup?"
    assert msg.reply_context["application_id"] == "222"


async def test_reply_edits_original_then_follows_up(
    fake_platform: FakePlatform, http: httpx.AsyncClient
) -> None:
    conn = DiscordConnector(discord_settings(api=fake_platform.url + "/api/v10"), http)
    msg = conn.parse({}, dumps(ask("long one")), {})
    assert isinstance(msg, InboundMessage)
    answer = "\n\n".join(f"Part {i}: @everyone " + "x" * 1500 for i in range(3))
    await conn.reply(msg, answer, mention=["53908232506183680"])
    calls = fake_platform.requests
    assert [c.method for c in calls] == ["PATCH", "POST", "POST"]
    assert calls[0].path == "/api/v10/webhooks/222/interaction-token/messages/@original"
    assert calls[1].path == calls[2].path == "/api/v10/webhooks/222/interaction-token"
    assert all(utf16_len(c.json["content"]) <= 2000 for c in calls)
    assert calls[-1].json["content"].endswith("<@53908232506183680>")
    # @everyone in the text stays inert; only the named admin is pinged.
    assert calls[0].json["allowed_mentions"] == {"parse": [], "users": ["53908232506183680"]}


async def test_send_needs_bot_token_and_posts_to_channel(
    fake_platform: FakePlatform, http: httpx.AsyncClient
) -> None:
    api = fake_platform.url + "/api/v10"
    with pytest.raises(DeliveryError, match="BOT_TOKEN"):
        await DiscordConnector(discord_settings(api=api), http).send("1", "digest")
    conn = DiscordConnector(discord_settings(api=api, bot_token="bot-token"), http)
    await conn.send("645027906669510667", "weekly digest", thread_id="777")
    (call,) = fake_platform.requests
    assert call.path == "/api/v10/channels/777/messages"
    assert call.headers["authorization"] == "Bot bot-token"


class TestDiscordConformance(ConnectorConformance):
    platform = "discord"
    payload = dumps(vector("discord_slash_command_example_interaction.json")["interaction"])
    odd_shape = b'{"type": 2, "id": "1", "token": "t", "data": "ask"}'

    def make(self) -> DiscordConnector:
        return DiscordConnector(discord_settings())

    def sign(self, payload: bytes, ts: int, right_secret: bool = True) -> Req:
        return discord_request(
            payload, ts, DISCORD_KEY if right_secret else Ed25519PrivateKey.generate()
        )
