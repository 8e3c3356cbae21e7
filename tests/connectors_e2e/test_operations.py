"""Operator-facing behaviour end to end: review queue, commands, capture, rate limits, restart."""

from __future__ import annotations

import itertools

import pytest

from connectors.tables import event_status, record_event
from connectors.worker import RateLimiter
from copilot.api import create_app
from tests.connectors_e2e.conftest import COMMUNITY, Harness
from tests.connectors_e2e.events import CHAT, PLATFORMS, event, posted_text, replies

QUESTION = "会费多少？可以退款吗？"
_ids = itertools.count(920_000_001)
# Discord delivers only slash commands to the app; the WeCom robot and the QQ official bot
# only messages that @ it.
ADDRESSED_ONLY = {"discord", "wecom", "qq"}
# Their proof does not cover the body (DingTalk signs the timestamp, Telegram sends a token).
UNSIGNED_BODY = {"dingtalk", "telegram"}


def new_id() -> str:
    return str(next(_ids))


@pytest.mark.parametrize("platform", ["slack", "telegram", "wecom"])
async def test_review_mode_posts_only_after_approval(
    platform: str, e2e: Harness, operator_key: dict[str, str]
) -> None:
    e2e.route(platform, CHAT[platform], mode="review")
    ev = event(platform, QUESTION, e2e.fake, event_id=new_id())
    await e2e.post(ev.path, ev.req)
    assert replies(e2e.fake, platform) == []

    base = f"/v1/communities/{COMMUNITY}/reviews"
    assert (await e2e.client.get(base)).status_code == 401
    (item,) = (await e2e.client.get(base, headers=operator_key)).json()
    assert item["status"] == "pending" and "退款" in item["draft"] and item["citations"]

    edited = "年费 99 元，7 天内可全额退款，找管理员小林办理。"
    ok = await e2e.client.post(
        f"{base}/{item['id']}/approve", json={"text": edited}, headers=operator_key
    )
    assert ok.status_code == 200 and ok.json()["status"] == "approved"
    (reply,) = replies(e2e.fake, platform)
    assert posted_text(reply).startswith(edited)

    again = await e2e.client.post(f"{base}/{item['id']}/approve", headers=operator_key)
    assert again.status_code == 409 and again.json()["error"]["code"] == "conflict"
    assert len(replies(e2e.fake, platform)) == 1
    assert (await e2e.client.get(base, headers=operator_key)).json() == []


async def test_rejected_review_posts_nothing(e2e: Harness, operator_key: dict[str, str]) -> None:
    e2e.route("feishu", CHAT["feishu"], mode="review")
    ev = event("feishu", QUESTION, e2e.fake, event_id=new_id())
    await e2e.post(ev.path, ev.req)
    base = f"/v1/communities/{COMMUNITY}/reviews"
    (item,) = (await e2e.client.get(base, headers=operator_key)).json()
    res = await e2e.client.post(f"{base}/{item['id']}/reject", headers=operator_key)
    assert res.status_code == 200 and res.json()["status"] == "rejected"
    assert (await e2e.client.post(f"{base}/999999/reject", headers=operator_key)).status_code == 404
    assert replies(e2e.fake, "feishu") == []


@pytest.mark.parametrize("platform", PLATFORMS)
async def test_summary_command_needs_an_operator(
    platform: str, e2e: Harness, operator_key: dict[str, str]
) -> None:
    e2e.route(platform, CHAT[platform], operators=["u_op"], capture=True)
    for text in ("周三的分享会改到 20:30 开始", "好的，我来报名当主讲人", "书单已经更新到群文件"):
        chatter = event(platform, text, e2e.fake, event_id=new_id(), mentioned=False)
        if platform not in ADDRESSED_ONLY:
            await e2e.post(chatter.path, chatter.req)
    assert replies(e2e.fake, platform) == []

    member = event(platform, "24h", e2e.fake, event_id=new_id(), command="summary")
    await e2e.post(member.path, member.req)
    (refusal,) = replies(e2e.fake, platform)
    assert "运营" in posted_text(refusal) or "operators" in posted_text(refusal)

    op = event(platform, "24h", e2e.fake, event_id=new_id(), user="u_op", command="summary")
    await e2e.post(op.path, op.req)
    calls = replies(e2e.fake, platform)
    assert len(calls) == 2
    summary = posted_text(calls[1])
    if platform in UNSIGNED_BODY:  # the sender id proves nothing: an operator key approves
        assert "review queue" in summary
        base = f"/v1/communities/{COMMUNITY}/reviews"
        (item,) = (await e2e.client.get(base, headers=operator_key)).json()
        ok = await e2e.client.post(f"{base}/{item['id']}/approve", headers=operator_key)
        assert ok.status_code == 200
        calls = replies(e2e.fake, platform)
        assert len(calls) == 3
        summary = posted_text(calls[2])
    if platform not in ADDRESSED_ONLY:  # captured live: the summary covers the group's messages
        assert "分享会" in summary or "主讲" in summary or "书单" in summary


async def test_natural_language_summary_by_operator(e2e: Harness) -> None:
    e2e.route("slack", CHAT["slack"], operators=["u_op"])
    ev = event("slack", "总结今天的讨论", e2e.fake, event_id=new_id(), user="u_op")
    await e2e.post(ev.path, ev.req)
    (reply,) = replies(e2e.fake, "slack")
    assert "来源" not in posted_text(reply) and posted_text(reply).strip()


async def test_rate_limit_sends_one_friendly_notice(e2e: Harness) -> None:
    e2e.route("telegram", CHAT["telegram"])
    e2e.worker.limiter = RateLimiter(per_chat=10, per_user=2)
    for _ in range(4):
        ev = event("telegram", QUESTION, e2e.fake, event_id=new_id())
        await e2e.post(ev.path, ev.req)
    texts = [posted_text(r) for r in replies(e2e.fake, "telegram")]
    assert len(texts) == 3 and "稍等" in texts[2]


async def test_work_survives_a_restart(e2e: Harness) -> None:
    e2e.route("slack", CHAT["slack"])
    ev = event("slack", QUESTION, e2e.fake, event_id="EvRestart1")
    msg, _ = e2e.worker.connectors["slack"].handle(ev.req.headers, ev.req.body, ev.req.query)
    assert record_event(e2e.copilot.db, msg)  # acked, then the process died before answering

    app = create_app(e2e.copilot.settings, e2e.copilot)
    async with app.router.lifespan_context(app):  # startup recovery
        await app.state.connector_worker.drain()
        (reply,) = replies(e2e.fake, "slack")
        assert "faq-morning-readers.md" in posted_text(reply)
        assert event_status(e2e.copilot.db, "slack", "EvRestart1") == "done"
        # The platform's retry arrives at the new process: acked, not answered again.
        import httpx

        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://t"
        ) as client:
            res = await client.post(ev.path, content=ev.req.body, headers=ev.req.headers)
            await app.state.connector_worker.drain()
    assert res.status_code == 200 and len(replies(e2e.fake, "slack")) == 1
