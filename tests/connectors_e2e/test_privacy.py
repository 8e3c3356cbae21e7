"""Finding 2 of the hardening issue: personal data must be redacted before anything is stored.

Chat with the shapes that used to slip through arrives every way it can (an uploaded export,
the messages API, captured webhooks, a question in a review-mode chat); then nothing a user
can read (ask, summaries, FAQ candidates, review items, logs) and no byte of the data dir
(SQLite with its WAL, Chroma's files) holds any of the values.
"""

from __future__ import annotations

import io
import json
import logging
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from connectors.tables import InboundEventRow, purge_events
from connectors.worker import RateLimiter
from copilot.api.logs import JsonFormatter
from copilot.skills.faq import list_entries
from tests.connectors_e2e.conftest import COMMUNITY, Harness
from tests.connectors_e2e.events import CHAT, event, replies

# Each value as a member typed it (the list), inside a sentence.
VALUES = [
    "8613500135000",
    "(138)0013-8003",
    "138.0013.8004",
    "１３８－００１３－８００５",
    "1 3 9 0 0 1 3 9 0 0 6",
    "110105491231002",  # old 15-digit ID
    "110105194912310021",  # 18 digits, failing checksum
    "6222 0212 3456 7890 123",  # 19-digit card in groups, failing Luhn
    "bob [at] zqxbravo [dot] io",
    "josé@bücherzq.de",
    "lingqu2024zq",  # behind +V：
    "abc_8899zq",  # behind 加V
    "wxhookzq123",  # behind vx:
]
SENTENCES = [
    "联系客服请打 {}，工作日都在",
    "我的号码是{}有事找我",
    "报名表里填 {} 就行",
]
HOOKS = {"lingqu2024zq": "+V：{}", "abc_8899zq": "加V {}", "wxhookzq123": "vx:{}"}


def said(value: str, i: int) -> str:
    shown = HOOKS.get(value, "{}").format(value)
    return SENTENCES[i % len(SENTENCES)].format(shown)


def needles(value: str) -> set[bytes]:
    """The bytes a stored copy would contain: as typed, JSON-escaped, digits only, and the
    distinctive part of an obfuscated e-mail."""
    forms = {value, json.dumps(value)[1:-1], re.sub(r"\D", "", value.translate(_HALF))}
    forms |= {w for w in re.findall(r"zq\w*|\w*zq", value)}
    return {f.encode() for f in forms if len(f) >= 6}


_HALF = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}


def leaks(text: str) -> list[str]:
    blob = text.encode()
    return [v for v in VALUES if any(n in blob for n in needles(v))]


async def test_personal_data_never_reaches_storage_or_answers(
    e2e: Harness, operator_key: dict[str, str], tmp_path: Path
) -> None:
    logs = io.StringIO()
    handler = logging.StreamHandler(logs)
    handler.setFormatter(JsonFormatter())
    logging.getLogger().addHandler(handler)
    try:
        await _feed_everything(e2e, operator_key, tmp_path)
        readable = await _read_everything(e2e, operator_key)
    finally:
        logging.getLogger().removeHandler(handler)
    assert leaks(readable) == []
    assert leaks(logs.getvalue()) == []
    assert "[PHONE]" in readable  # the data arrived, redacted, and is used

    e2e.copilot.db.engine.dispose()  # flush SQLite's WAL into the file we scan as well
    data_dir = e2e.copilot.settings.data_dir
    files = [p for p in data_dir.rglob("*") if p.is_file()]
    assert any(p.suffix == ".sqlite3" for p in files)  # Chroma's store is scanned too
    found = {
        str(p.relative_to(data_dir)): bad
        for p in files
        if (bad := [v for v in VALUES if any(n in p.read_bytes() for n in needles(v))])
    }
    assert found == {}


async def _feed_everything(e2e: Harness, operator_key: dict[str, str], tmp_path: Path) -> None:
    start = datetime.now(UTC) - timedelta(hours=2)
    lines = []
    for i, value in enumerate(VALUES):
        ts = (start + timedelta(minutes=2 * i)).isoformat()
        lines.append({"ts": ts, "author": "小林", "text": f"请问怎么联系{i}号负责人？"})
        lines.append({"ts": ts, "author": "管理员阿May", "text": said(value, i)})
    export = "\n".join(json.dumps(line, ensure_ascii=False) for line in lines)
    res = await e2e.client.post(
        f"/v1/communities/{COMMUNITY}/documents",
        files={"file": ("group.jsonl", export.encode(), "application/jsonl")},
        data={"kind": "chat"},
        headers=operator_key,
    )
    assert res.status_code == 201, res.text

    pushed = [
        {"id": f"api-{i}", "ts": (start + timedelta(minutes=i)).isoformat(), "author": "阿杰",
         "text": said(v, i + 1)}
        for i, v in enumerate(VALUES)
    ]  # fmt: skip
    res = await e2e.client.post(
        f"/v1/communities/{COMMUNITY}/messages",
        json={"source": "bot-feed", "messages": pushed},
        headers=operator_key,
    )
    assert res.status_code == 201, res.text

    # Webhooks: group chatter captured, and questions in a review-mode chat.
    e2e.route("slack", CHAT["slack"], mode="review", capture=True)
    e2e.route("dingtalk", CHAT["dingtalk"], capture=True)
    e2e.worker.limiter = RateLimiter(per_chat=0, per_user=0)  # 0 = no limit
    for i, value in enumerate(VALUES):
        for platform in ("slack", "dingtalk"):
            chatter = event(platform, said(value, i), e2e.fake, event_id=f"chat-{platform}-{i}",
                            mentioned=False)  # fmt: skip
            assert (await e2e.post(chatter.path, chatter.req)).status_code == 200
        asked = event("slack", f"会费多少？我的联系方式 {said(value, i)}", e2e.fake,
                      event_id=f"ask-{i}")  # fmt: skip
        assert (await e2e.post(asked.path, asked.req)).status_code == 200
    assert replies(e2e.fake, "slack") == []  # review mode: nothing posted yet


async def _read_everything(e2e: Harness, operator_key: dict[str, str]) -> str:
    base = f"/v1/communities/{COMMUNITY}"
    out = []
    for question in ("怎么联系负责人？", "联系客服打什么电话？", "报名表里填什么？"):
        res = await e2e.client.post(f"{base}/ask", json={"question": question},
                                    headers=operator_key)  # fmt: skip
        assert res.status_code == 200
        out.append(res.text)
    res = await e2e.client.post(f"{base}/summaries", json={}, headers=operator_key)
    assert res.status_code == 200
    out.append(res.text)
    reviews = await e2e.client.get(f"{base}/reviews", headers=operator_key)
    assert len(reviews.json()) == len(VALUES)
    out.append(reviews.text)
    e2e.copilot.faq_refresh(COMMUNITY)
    out.append(json.dumps([e.model_dump() for e in list_entries(e2e.copilot.db, COMMUNITY)],
                          ensure_ascii=False))  # fmt: skip
    return "\n".join(out)


async def test_handled_events_keep_no_content_and_go_after_the_retention(e2e: Harness) -> None:
    e2e.route("slack", CHAT["slack"])
    ev = event("slack", "会费多少？", e2e.fake, event_id="EvRetention1")
    await e2e.post(ev.path, ev.req)
    with e2e.copilot.db.session() as s:
        row = s.get(InboundEventRow, ("slack", "EvRetention1"))
        assert row is not None and row.status == "done" and row.payload == {}
    # A retry inside the retention is still recognised: acked, not answered twice.
    await e2e.post(ev.path, ev.req)
    assert len(replies(e2e.fake, "slack")) == 1

    days = e2e.copilot.settings.connector_event_retention_days
    assert purge_events(e2e.copilot.db, datetime.now(UTC) - timedelta(days=days)) == 0
    assert purge_events(e2e.copilot.db, datetime.now(UTC) + timedelta(seconds=1)) == 1
