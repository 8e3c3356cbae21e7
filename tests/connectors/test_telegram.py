from __future__ import annotations

from typing import Any

import httpx
import pytest
from telegram import Message

from connectors.base import Ignored, InboundMessage, VerificationError
from connectors.platforms.telegram import TelegramConnector
from connectors.text import utf16_len
from tests.connectors.conformance import ConnectorConformance
from tests.connectors.fake_platform import TELEGRAM_BOT_USERNAME, FakePlatform
from tests.connectors.helpers import (
    TELEGRAM_SECRET,
    Req,
    dumps,
    telegram_request,
    telegram_settings,
    vector,
)

BOT_ID = 123456789  # from the test bot token "123456789:..."


def telegram(**kw: Any) -> TelegramConnector:
    return TelegramConnector(telegram_settings(**kw))


def group_update(text: str, entities: list[dict[str, Any]], **message: Any) -> dict[str, Any]:
    msg = {
        "message_id": 77,
        "from": {"id": 42, "is_bot": False, "first_name": "Ann", "username": "ann"},
        "chat": {"id": -1001, "type": "supergroup", "title": "Club"},
        "date": 1700000000,
        "text": text,
        "entities": entities,
        **message,
    }
    return {"update_id": 9001, "message": msg}


def parse(update: dict[str, Any], conn: TelegramConnector | None = None) -> InboundMessage:
    conn = conn or telegram()
    req = telegram_request(dumps(update))
    msg, response = conn.handle(req.headers, req.body, {})
    assert response.status_code == 200
    assert isinstance(msg, InboundMessage)
    return msg


# -- verification (secret token header, as python-telegram-bot's webhook handler does) --------
def test_correct_secret_token_is_accepted() -> None:
    req = telegram_request(b'{"update_id": 1}')
    telegram().verify(req.headers, req.body, {})


@pytest.mark.parametrize("secret", [None, "", "webhook-Secret_124", TELEGRAM_SECRET + "x"])
def test_wrong_or_missing_secret_token_is_403(secret: str | None) -> None:
    req = telegram_request(b'{"update_id": 1}', secret=secret)
    with pytest.raises(VerificationError) as err:
        telegram().handle(req.headers, req.body, {})
    assert err.value.status == 403


def test_non_json_content_type_is_403() -> None:
    req = telegram_request(b"update_id=1")
    req.headers["Content-Type"] = "application/x-www-form-urlencoded"
    with pytest.raises(VerificationError):
        telegram().verify(req.headers, req.body, {})


# -- parsing real updates --------------------------------------------------------------------
def test_supergroup_bot_command_vector() -> None:
    # _source: teloxide crates/teloxide-core/src/types/update.rs, test issue_1107
    msg = parse(vector("telegram_supergroup_bot_command_update.json")["update"])
    assert (msg.command, msg.args, msg.text) == ("report", "", "/report")
    assert msg.mentioned and msg.chat_type == "group"
    assert (msg.event_id, msg.chat_id, msg.user_id) == ("439432600", "-1001293752024", "5964236329")
    assert msg.thread_id == "134545"
    # Not a forum topic: the reply quotes the message but sends no message_thread_id.
    assert msg.reply_context == {"message_id": "134546"}


def test_private_text_vector() -> None:
    # _source: teloxide crates/teloxide-core/src/types/update.rs, test message
    msg = parse(vector("telegram_private_text_update.json")["update"])
    assert msg.chat_type == "private" and msg.mentioned
    assert (msg.text, msg.user_name, msg.event_id) == ("hello there", "WaffleLapkin", "892252934")


def test_mention_removed_using_utf16_offsets() -> None:
    text = "👋🏽 @copilot_test_bot 总结一下今天的讨论"
    offset = utf16_len("👋🏽 ")  # 5 UTF-16 units, 3 code points
    update = group_update(text, [{"type": "mention", "offset": offset, "length": 17}])
    msg = parse(update)
    assert msg.mentioned and msg.text == "👋🏽 总结一下今天的讨论"
    # python-telegram-bot reads the same entity as the bot's mention.
    ptb = Message.de_json(update["message"], None)
    assert list(ptb.parse_entities().values()) == ["@copilot_test_bot"]


def test_mention_of_someone_else_does_not_address_the_bot() -> None:
    msg = parse(group_update("@ann see above", [{"type": "mention", "offset": 0, "length": 4}]))
    assert not msg.mentioned and msg.text == "@ann see above"


def test_command_with_bot_suffix_and_arguments() -> None:
    text = "/summary@Copilot_Test_Bot 24h"
    msg = parse(group_update(text, [{"type": "bot_command", "offset": 0, "length": 25}]))
    assert (msg.command, msg.args, msg.text) == ("summary", "24h", "/summary 24h")


def test_command_for_another_bot_is_ignored() -> None:
    update = group_update(
        "/summary@other_bot", [{"type": "bot_command", "offset": 0, "length": 18}]
    )
    req = telegram_request(dumps(update))
    assert isinstance(telegram().handle(req.headers, req.body, {})[0], Ignored)


def test_text_mention_of_bot_by_id() -> None:
    ent = {"type": "text_mention", "offset": 0, "length": 7, "user": {"id": BOT_ID, "is_bot": True}}
    msg = parse(group_update("Copilot what is the rule?", [ent]))
    assert msg.mentioned and msg.text == "what is the rule?"


def test_reply_to_the_bot_addresses_it_and_carries_the_quote() -> None:
    replied = {"message_id": 70, "from": {"id": BOT_ID, "is_bot": True}, "text": "Meetups are Fri."}
    msg = parse(group_update("which Friday?", [], reply_to_message=replied))
    assert msg.mentioned and msg.quoted_text == "Meetups are Fri."


def test_forum_topic_message_replies_inside_the_topic() -> None:
    msg = parse(group_update("hi", [], message_thread_id=555, is_topic_message=True))
    assert msg.thread_id == "555"
    assert msg.reply_context == {"message_id": "77", "message_thread_id": "555"}


@pytest.mark.parametrize(
    "update",
    [
        {"update_id": 5, "edited_message": {"message_id": 1, "text": "x"}},
        {"update_id": 6, "message": {"message_id": 1, "chat": {"id": 1}, "from": {"id": 2}}},
        group_update("hello", [], **{"from": {"id": 9, "is_bot": True, "first_name": "B"}}),
    ],
)
def test_edits_non_text_and_bot_messages_are_ignored(update: dict[str, Any]) -> None:
    req = telegram_request(dumps(update))
    assert isinstance(telegram().handle(req.headers, req.body, {})[0], Ignored)


def test_redelivered_update_keeps_its_update_id() -> None:
    # Telegram has no timestamp to check; a re-delivery is recognised by update_id.
    update = vector("telegram_private_text_update.json")["update"]
    assert parse(update).event_id == parse(update).event_id == "892252934"


# -- replies against the fake Bot API -------------------------------------------------------
async def test_reply_quotes_the_message_inside_the_topic(
    fake_platform: FakePlatform, http: httpx.AsyncClient
) -> None:
    conn = TelegramConnector(telegram_settings(api=fake_platform.url), http)
    msg = parse(group_update("hi", [], message_thread_id=555, is_topic_message=True), conn)
    await conn.reply(msg, "Hello <there>")
    (call,) = fake_platform.calls("/sendMessage")
    assert call.path == "/bot123456789:AAH-fake-token_for_tests/sendMessage"
    assert call.json["chat_id"] == "-1001" and call.json["message_thread_id"] == 555
    assert call.json["reply_parameters"]["message_id"] == 77
    assert call.json["text"] == "Hello <there>" and "parse_mode" not in call.json


async def test_mentions_switch_to_escaped_html(
    fake_platform: FakePlatform, http: httpx.AsyncClient
) -> None:
    conn = TelegramConnector(telegram_settings(api=fake_platform.url), http)
    await conn.send("-1001", "a <b> & c", mention=["@mod_ann", "4242"])
    (call,) = fake_platform.calls("/sendMessage")
    assert call.json["parse_mode"] == "HTML"
    expected = 'a &lt;b&gt; &amp; c\n\n@mod_ann <a href="tg://user?id=4242">4242</a>'
    assert call.json["text"] == expected


async def test_long_reply_split_within_4096_utf16_units(
    fake_platform: FakePlatform, http: httpx.AsyncClient
) -> None:
    conn = TelegramConnector(telegram_settings(api=fake_platform.url), http)
    text = "😀" * 3000 + "。" + "好" * 3000  # emoji count twice in UTF-16
    await conn.send("-1001", text)
    texts = [c.json["text"] for c in fake_platform.calls("/sendMessage")]
    assert len(texts) >= 2 and all(utf16_len(t) <= 4096 for t in texts)
    assert "".join(texts) == text  # nothing lost, no half emoji


async def test_api_error_is_a_delivery_error(
    fake_platform: FakePlatform, http: httpx.AsyncClient
) -> None:
    answer = {"ok": False, "error_code": 429, "description": "Too Many Requests: retry after 7"}
    fake_platform.respond(
        "POST", "sendMessage", status=429, json=answer | {"parameters": {"retry_after": 7}}
    )
    conn = TelegramConnector(telegram_settings(api=fake_platform.url), http)
    from connectors.base import DeliveryError

    with pytest.raises(DeliveryError) as err:
        await conn.send("-1001", "hi")
    assert err.value.retry_after == 7
    assert "AAH-fake" not in str(err.value)  # the token never leaks into errors


async def test_setup_learns_username_from_get_me(
    fake_platform: FakePlatform, http: httpx.AsyncClient
) -> None:
    conn = TelegramConnector(telegram_settings(api=fake_platform.url, bot_username=None), http)
    await conn.setup()
    assert conn.bot_username == TELEGRAM_BOT_USERNAME


def test_operator_commands_trust_the_username_never_the_display_name() -> None:
    from connectors.routing import decide
    from connectors.tables import Route

    route = Route(platform="telegram", chat_id="-1001", community="club", operators=["ann"])
    entities = [{"type": "bot_command", "offset": 0, "length": 8}]
    real = parse(group_update("/summary 24h", entities))
    assert real.user_handle == "ann" and decide(real, route).action == "summary"
    # Anyone can set their first name to "ann"; without the username it is not the operator.
    impostor = parse(
        group_update(
            "/summary 24h", entities, **{"from": {"id": 666, "is_bot": False, "first_name": "ann"}}
        )
    )
    assert impostor.user_name == "ann" and impostor.user_handle is None
    assert decide(impostor, route).action == "refuse"


class TestTelegramConformance(ConnectorConformance):
    platform = "telegram"
    payload = dumps(vector("telegram_private_text_update.json")["update"])
    odd_shape = (
        b'{"update_id": 1, "message": {"message_id": 1, "text": "x", "from": {"id": 1}, "chat": 5}}'
    )

    def make(self) -> TelegramConnector:
        return TelegramConnector(telegram_settings())

    def sign(self, payload: bytes, ts: int, right_secret: bool = True) -> Req:
        return telegram_request(payload, TELEGRAM_SECRET if right_secret else "guess")
