"""Finding 1 of the hardening issue: a DingTalk sign covers only its timestamp, so a captured
``timestamp`` + ``sign`` pair could carry a rewritten body for an hour (a spoofed operator id,
``/summary 30d``, a ``sessionWebhook`` of another session). Replayed here against the real app."""

from __future__ import annotations

import time

from connectors.tables import list_reviews
from copilot.api import create_app
from tests.connectors import helpers as h
from tests.connectors_e2e.conftest import COMMUNITY, Harness
from tests.connectors_e2e.events import CHAT, PATH, event, posted_text, replies

CONVERSATION = CHAT["dingtalk"]


def body(fake_url: str, msg_id: str, text: str, *, staff: str = "u_member", session: str) -> bytes:
    now = int(time.time())
    return h.dumps(
        {
            "conversationId": CONVERSATION,
            "conversationType": "2",
            "msgId": msg_id,
            "senderStaffId": staff,
            "senderNick": staff,
            "isInAtList": True,
            "createAt": now * 1000,
            "sessionWebhook": f"{fake_url}/robot/sendBySession?session={session}",
            "sessionWebhookExpiredTime": (now + 3600) * 1000,
            "msgtype": "text",
            "text": {"content": f" {text}"},
        }
    )


async def test_a_captured_sign_is_refused_with_another_body(e2e: Harness) -> None:
    e2e.route("dingtalk", CONVERSATION, operators=["u_op"])
    signed = event("dingtalk", "会费多少？", e2e.fake, event_id="msgLegit1")
    assert (await e2e.post(signed.path, signed.req)).status_code == 200
    assert len(replies(e2e.fake, "dingtalk")) == 1

    forged = body(e2e.fake.url, "msgForged1", "/summary 30d", staff="u_op", session="attacker")
    res = await e2e.post(PATH["dingtalk"], h.Req(forged, signed.req.headers, {}))
    assert res.status_code == 401
    assert "already used" in res.json()["error"]["message"]
    assert len(replies(e2e.fake, "dingtalk")) == 1  # nothing posted anywhere
    assert not [r for r in e2e.fake.requests if r.query.get("session") == "attacker"]

    # The platform resending the very same request is acked, and answered only once.
    assert (await e2e.post(signed.path, signed.req)).status_code == 200
    assert len(replies(e2e.fake, "dingtalk")) == 1


async def test_used_signs_are_remembered_across_restarts_and_processes(e2e: Harness) -> None:
    e2e.route("dingtalk", CONVERSATION)
    signed = event("dingtalk", "会费多少？", e2e.fake, event_id="msgLegit2")
    assert (await e2e.post(signed.path, signed.req)).status_code == 200

    # Another server process on the same store: its own engine, app and worker.
    from copilot.service import Copilot

    other = Copilot(e2e.copilot.settings, embedder=e2e.copilot.embedder, llm=None)
    app = create_app(other.settings, other)
    import httpx

    forged = body(e2e.fake.url, "msgForged2", "会费多少？", session="attacker")
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            res = await client.post(PATH["dingtalk"], content=forged, headers=signed.req.headers)
            await app.state.connector_worker.drain()
    other.close()
    assert res.status_code == 401
    assert not [r for r in e2e.fake.requests if r.query.get("session") == "attacker"]


async def test_answers_stay_in_the_conversation_the_route_names(e2e: Harness) -> None:
    e2e.route("dingtalk", CONVERSATION)
    first = body(e2e.fake.url, "msgA", "会费多少？", session="readers-group")
    await e2e.post(PATH["dingtalk"], h.dingtalk_request(first, int(time.time() * 1000) - 5))
    # A freshly signed body naming the same conversation but another session on the host.
    second = body(e2e.fake.url, "msgB", "可以退款吗？", session="other-group")
    await e2e.post(PATH["dingtalk"], h.dingtalk_request(second, int(time.time() * 1000)))
    sessions = [r.query["session"] for r in replies(e2e.fake, "dingtalk")]
    assert sessions == ["readers-group", "readers-group"]


async def test_operator_commands_on_unsigned_bodies_wait_for_an_operator_key(
    e2e: Harness, operator_key: dict[str, str]
) -> None:
    e2e.route("dingtalk", CONVERSATION, operators=["u_op"])
    # A valid sign, a body claiming to come from the operator: nothing proves that it does.
    forged = body(e2e.fake.url, "msgCmd", "/summary 30d", staff="u_op", session="readers-group")
    await e2e.post(PATH["dingtalk"], h.dingtalk_request(forged, int(time.time() * 1000)))
    (notice,) = replies(e2e.fake, "dingtalk")
    assert "review queue" in posted_text(notice)
    (item,) = list_reviews(e2e.copilot.db, COMMUNITY)
    assert item.question == "/summary 30d" and item.status == "pending"
    rejected = await e2e.client.post(
        f"/v1/communities/{COMMUNITY}/reviews/{item.id}/reject", headers=operator_key
    )
    assert rejected.status_code == 200
    assert len(replies(e2e.fake, "dingtalk")) == 1  # no digest reached the chat
