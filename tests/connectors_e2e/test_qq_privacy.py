"""QQ through OneBot: member QQ numbers are account numbers, so captured group history keeps a
pseudonym of them (the reply still @-mentions the real number, which OneBot needs)."""

from __future__ import annotations

from copilot.store.messages import load_messages
from tests.connectors_e2e.conftest import COMMUNITY, Harness
from tests.connectors_e2e.events import CHAT, event


async def test_captured_onebot_history_never_stores_the_qq_number(e2e: Harness) -> None:
    e2e.route("onebot", CHAT["onebot"], capture=True, mode="mention")
    chatter = event("onebot", "周三的分享会改到 20:30", e2e.fake, event_id="930000001",
                    user="86420975", mentioned=False)  # fmt: skip
    assert (await e2e.post(chatter.path, chatter.req)).status_code == 200
    stored = [
        m for m in load_messages(e2e.copilot.db, COMMUNITY) if m.channel.startswith("onebot:")
    ]
    assert [m.text for m in stored] == ["周三的分享会改到 20:30"]
    (msg,) = stored
    assert msg.author == "林薇" and str(msg.author_id).startswith("onebot-")
    assert "86420975" not in msg.model_dump_json()
