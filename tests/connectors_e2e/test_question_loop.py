"""The learning loop end to end on loopback, with the fake Slack and Telegram APIs: a member's
question in a Slack thread and its paraphrase in a Telegram group are handed off and become one
queue item (count 2); an operator's reply in the Slack thread answers it and the answer is
posted back in the Telegram group, mentioning the asker; the next member asking in other words
gets it cited, without a handoff; 👎 reactions on both platforms put a question back."""

from __future__ import annotations

import itertools
import time
from typing import Any

import pytest
from sqlalchemy import delete

from copilot.skills.faq import APPROVED_SOURCE
from copilot.store.faq_table import FaqRow
from copilot.store.question_tables import (
    AnswerFeedbackRow,
    AnswerLogRow,
    QuestionAskingRow,
    QuestionRow,
)
from tests.connectors import helpers as h
from tests.connectors_e2e.conftest import COMMUNITY, Harness
from tests.connectors_e2e.events import CHAT

PARKING = "停车场在哪里？可以免费停车吗"
PARKING_AGAIN = "活动场地附近有没有免费的停车位"
PARKING_ANSWER = "南门对面的地下停车场周六免费，可停五十辆车。"
OPERATOR, MEMBER = "U0OPERATOR", "U0MEMBER1"
TG_MEMBER = 4242
_ids = itertools.count(930_000_001)


@pytest.fixture
def loop(e2e: Harness) -> Harness:
    with e2e.copilot.db.session() as s:
        for table in (QuestionAskingRow, QuestionRow, AnswerLogRow, AnswerFeedbackRow, FaqRow):
            s.execute(delete(table))
    e2e.copilot.indexer.remove(COMMUNITY, APPROVED_SOURCE)
    e2e.route("slack", CHAT["slack"], admins=["U0ADMIN"], operators=[OPERATOR])
    e2e.route("telegram", CHAT["telegram"], operators=["ops_handle"])
    return e2e


def slack(event: dict[str, Any]) -> h.Req:
    now = int(time.time())
    payload = {
        "type": "event_callback",
        "team_id": "T1",
        "event": {"channel": CHAT["slack"], "channel_type": "channel", **event},
        "event_id": f"Ev{next(_ids)}",
        "event_time": now,
    }
    return h.slack_request(h.dumps(payload), now)


def slack_question(text: str, ts: str, user: str = MEMBER) -> h.Req:
    return slack(
        {"type": "app_mention", "user": user, "text": f"<@{h.SLACK_BOT}> {text}", "ts": ts}
    )


def telegram(update: dict[str, Any]) -> h.Req:
    return h.telegram_request(h.dumps({"update_id": next(_ids), **update}))


def telegram_message(text: str, message_id: int, user: int, username: str, **more: Any) -> h.Req:
    mention = "@copilot_test_bot "
    return telegram(
        {
            "message": {
                "message_id": message_id,
                "date": int(time.time()),
                "text": mention + text,
                "entities": [{"type": "mention", "offset": 0, "length": len(mention) - 1}],
                "chat": {"id": int(CHAT["telegram"]), "type": "supergroup", "title": "Readers"},
                "from": {"id": user, "is_bot": False, "first_name": "M", "username": username},
                **more,
            }
        }
    )


def posts(e2e: Harness, path: str) -> list[dict[str, Any]]:
    return [r.json for r in e2e.fake.calls(path) if r.json]


async def test_slack_and_telegram_askings_become_one_item_answered_from_the_thread(
    loop: Harness,
) -> None:
    await loop.post("/connectors/slack/events", slack_question(PARKING, "1750000000.000100"))
    [handoff] = posts(loop, "chat.postMessage")
    assert handoff["thread_ts"] == "1750000000.000100" and "管理员" in handoff["text"]
    await loop.post(
        "/connectors/telegram/webhook", telegram_message(PARKING_AGAIN, 71, TG_MEMBER, "mei")
    )
    [tg_handoff] = posts(loop, "/sendMessage")
    assert tg_handoff["reply_parameters"]["message_id"] == 71

    [item] = loop.copilot.questions(COMMUNITY)
    assert item.count == 2 and item.status == "open"
    assert {(p.channel, p.chat_id) for p in item.asked_in} == {
        ("slack", CHAT["slack"]),
        ("telegram", CHAT["telegram"]),
    }
    assert next(p for p in item.asked_in if p.channel == "slack").thread_id == "1750000000.000100"

    # A member's message in the thread is no answer; the operator's is.
    member_reply = {"type": "message", "user": MEMBER, "ts": "1750000001.000200"}
    await loop.post(
        "/connectors/slack/events",
        slack({**member_reply, "text": "我也想知道", "thread_ts": "1750000000.000100"}),
    )
    assert loop.copilot.questions(COMMUNITY)[0].status == "open"
    operator_reply = {"type": "message", "user": OPERATOR, "ts": "1750000002.000300"}
    await loop.post(
        "/connectors/slack/events",
        slack({**operator_reply, "text": PARKING_ANSWER, "thread_ts": "1750000000.000100"}),
    )
    [item] = loop.copilot.questions(COMMUNITY)
    assert item.status == "answered" and item.answer == PARKING_ANSWER
    assert item.answered_by == f"slack:{OPERATOR}"

    # Posted back where the paraphrase was asked, mentioning its asker; not again in Slack.
    told = posts(loop, "/sendMessage")[1:]
    assert len(told) == 1 and PARKING_ANSWER in told[0]["text"]
    assert told[0]["reply_parameters"]["message_id"] == 71
    assert f"tg://user?id={TG_MEMBER}" in told[0]["text"]
    assert len(posts(loop, "chat.postMessage")) == 1

    # The next member asking in other words gets the answer, cited, without a handoff.
    await loop.post(
        "/connectors/slack/events", slack_question(PARKING_AGAIN, "1750000100.000100", "U0NEW")
    )
    later = posts(loop, "chat.postMessage")[-1]
    assert PARKING_ANSWER in later["text"] and "faq:approved" in later["text"]
    assert "管理员" not in later["text"]


async def test_a_telegram_operator_reply_is_not_taken_as_the_answer(loop: Harness) -> None:
    # Telegram signs no message body: anyone holding one valid request could write this one.
    await loop.post("/connectors/telegram/webhook", telegram_message(PARKING, 81, TG_MEMBER, "mei"))
    bot_message = posts(loop, "/sendMessage")[0]
    assert bot_message
    [item] = loop.copilot.questions(COMMUNITY)
    handoff_id = next(a.handoff_message_id for a in _askings(loop) if a.question_id == item.id)
    assert handoff_id  # the copilot's handoff message is known
    reply = telegram_message(
        PARKING_ANSWER,
        82,
        777,
        "ops_handle",
        reply_to_message={"message_id": int(handoff_id), "from": {"id": 123456789, "is_bot": True}},
    )
    await loop.post("/connectors/telegram/webhook", reply)
    assert loop.copilot.questions(COMMUNITY)[0].status == "open"


async def test_thumbs_down_reactions_on_slack_and_telegram_reopen_questions(loop: Harness) -> None:
    await loop.post(
        "/connectors/slack/events", slack_question("会费多少？可以退款吗？", "1750000200.000100")
    )
    answer = loop.fake.requests[-1]
    assert answer.json and "来源" in answer.json["text"]  # answered from the playbooks
    assert loop.copilot.questions(COMMUNITY) == []
    slack_ts = _posted_ids(loop)[0]
    await loop.post(
        "/connectors/slack/events",
        slack(
            {
                "type": "reaction_added",
                "user": MEMBER,
                "reaction": "-1",
                "item": {"type": "message", "channel": CHAT["slack"], "ts": slack_ts},
                "item_user": h.SLACK_BOT,
                "event_ts": "1750000201.000100",
            }
        ),
    )
    [item] = loop.copilot.questions(COMMUNITY, "open")
    assert item.reason == "feedback" and item.downvotes == 1

    await loop.post(
        "/connectors/telegram/webhook", telegram_message("每周的分享会是什么时候？", 91, 5, "kai")
    )
    tg_message = _posted_ids(loop)[-1]
    reaction = {
        "chat": {"id": int(CHAT["telegram"]), "type": "supergroup"},
        "message_id": int(tg_message),
        "user": {"id": 5, "is_bot": False, "first_name": "K"},
        "date": int(time.time()),
        "old_reaction": [],
        "new_reaction": [{"type": "emoji", "emoji": "👎"}],
    }
    await loop.post("/connectors/telegram/webhook", telegram({"message_reaction": reaction}))
    assert len(loop.copilot.questions(COMMUNITY, "open")) == 2
    # A 👍, or a reaction on someone else's message, rates nothing.
    up = {**reaction, "new_reaction": [{"type": "emoji", "emoji": "👍"}], "message_id": 5}
    await loop.post("/connectors/telegram/webhook", telegram({"message_reaction": up}))
    assert len(loop.copilot.questions(COMMUNITY, "open")) == 2


async def test_an_answer_from_the_api_is_posted_back_in_the_askers_thread(
    loop: Harness, operator_key: dict[str, str]
) -> None:
    await loop.post("/connectors/slack/events", slack_question(PARKING, "1750000300.000100"))
    [item] = loop.copilot.questions(COMMUNITY)
    response = await loop.client.post(
        f"/v1/communities/{COMMUNITY}/questions/{item.id}/answer",
        headers=operator_key,
        json={"text": PARKING_ANSWER},
    )
    assert response.status_code == 200, response.text
    assert response.json()["posted_back"] == 1
    told = posts(loop, "chat.postMessage")[-1]
    assert told["thread_ts"] == "1750000300.000100" and PARKING_ANSWER in told["text"]
    assert f"<@{MEMBER}>" in told["text"]


def _askings(e2e: Harness) -> list[QuestionAskingRow]:
    from sqlalchemy import select

    with e2e.copilot.db.session() as s:
        rows = list(s.scalars(select(QuestionAskingRow)))
        s.expunge_all()
        return rows


def _posted_ids(e2e: Harness) -> list[str]:
    from sqlalchemy import select

    with e2e.copilot.db.session() as s:
        return [
            r.posted_message_id
            for r in s.scalars(select(AnswerLogRow).order_by(AnswerLogRow.created_at))
            if r.posted_message_id
        ]


async def test_a_qq_number_never_reaches_the_queue(loop: Harness) -> None:
    from tests.connectors_e2e.events import event

    loop.route("onebot", CHAT["onebot"])
    asked = event("onebot", PARKING, loop.fake, event_id="930100001", user="86420975")
    assert (await loop.post(asked.path, asked.req)).status_code == 200
    [item] = loop.copilot.questions(COMMUNITY)
    assert item.askers and item.askers[0].startswith("onebot-")
    assert all("86420975" not in str(a.message) + a.asker for a in _askings(loop))


async def test_a_feishu_thumbs_down_finds_its_chat_and_reopens(loop: Harness) -> None:
    from tests.connectors_e2e.events import event

    loop.route("feishu", CHAT["feishu"])
    asked = event("feishu", "会费多少？可以退款吗？", loop.fake, event_id="930200001")
    await loop.post(asked.path, asked.req)
    [posted] = _posted_ids(loop)
    assert posted.startswith("om_fake_")
    now = int(time.time())

    def reaction(emoji: str, event_id: str) -> h.Req:
        payload = {
            "schema": "2.0",
            "header": {
                "event_id": event_id,
                "token": h.FEISHU_TOKEN,
                "create_time": str(now * 1000),
                "event_type": "im.message.reaction.created_v1",
                "app_id": "cli_test",
            },
            "event": {
                "message_id": posted,
                "reaction_type": {"emoji_type": emoji},
                "operator_type": "user",
                "user_id": {"open_id": "ou_member"},
                "action_time": str(now * 1000),
            },
        }
        return h.feishu_request(payload, now)

    await loop.post("/connectors/feishu/events", reaction("SMILE", "930200002"))
    assert loop.copilot.questions(COMMUNITY) == []
    await loop.post("/connectors/feishu/events", reaction("ThumbsDown", "930200003"))
    [item] = loop.copilot.questions(COMMUNITY, "open")
    assert item.reason == "feedback" and item.downvotes == 1
