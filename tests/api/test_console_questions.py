"""The console's question queue over HTTP: grouped items with who/where/when, answering (the
answer becomes cited knowledge), dismissing, merging, clear errors, and tenancy."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from copilot.api import create_app
from copilot.keys import KeyStore, Role
from copilot.service import Copilot
from copilot.skills.questions import Origin
from tests.api.conftest import api_settings
from tests.api.test_console import csrf_of, sign_in
from tests.test_question_loop import PARKING, PARKING_AGAIN, PARKING_ANSWER, PLAYBOOK

WIFI = "火星基地的无线网络密码是多少？"
CAMEL = "Can I bring my camel to the reading club?"


@pytest.fixture
def console(tmp_path: Path, embedder) -> Iterator[tuple[TestClient, Copilot, dict[str, str]]]:  # type: ignore[no-untyped-def]
    copilot = Copilot(api_settings(tmp_path / "data"), embedder=embedder, llm=None)
    doc = tmp_path / "club.md"
    doc.write_text(PLAYBOOK, encoding="utf-8")
    store = KeyStore(copilot.db)
    secrets = {}
    for community in ("club", "rival"):
        copilot.ingest_file(community, doc, source="club.md")
        secrets[community] = store.create(community, Role.operator, "console")[1]
    telegram = Origin(channel="telegram", asker="小林", chat_id="-1001", message_id="7")
    copilot.ask("club", PARKING, origin=telegram)
    copilot.ask("club", PARKING_AGAIN, origin=Origin(channel="slack", asker="mei", chat_id="C9"))
    copilot.ask("club", WIFI, origin=Origin(channel="cli", asker="阿强"))
    copilot.ask("club", CAMEL, origin=Origin(channel="api", asker="key:x"))
    with TestClient(create_app(copilot.settings, copilot)) as client:
        yield client, copilot, secrets
    copilot.close()


def item_ids(html: str) -> list[str]:
    return re.findall(r'class="item question-item" data-id="(q_[0-9a-f]+)"', html)


def test_the_queue_lists_grouped_questions_with_who_where_and_when(console) -> None:  # type: ignore[no-untyped-def]
    client, _, secrets = console
    sign_in(client, secrets["club"])
    page = client.get("/console/questions", headers={"accept-language": "en"})
    assert page.status_code == 200
    ids = item_ids(page.text)
    assert len(ids) == 3  # the parking question twice, in other words, is one item
    first = page.text.split('class="item question-item"')[1]
    assert PARKING in first and "asked 2×" in first  # most asked first
    assert "小林" in first and "mei" in first and "telegram" in first and "slack" in first
    item = client.get(f"/console/questions/{ids[0]}", headers={"accept-language": "zh"})
    assert item.status_code == 200 and "被问 2 次" in item.text
    askings = item.text.split('id="askings"')[1].split("</table>")[0]
    assert PARKING_AGAIN in askings and "-1001" in askings and "C9" in askings
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\dT', askings)  # when, to the minute


def test_an_answer_becomes_knowledge_the_next_asker_gets(console) -> None:  # type: ignore[no-untyped-def]
    client, copilot, secrets = console
    sign_in(client, secrets["club"])
    [parking] = [i for i in copilot.questions("club", "open") if i.question == PARKING]
    path = f"/console/questions/{parking.id}"
    token = csrf_of(client.get(path).text)
    empty = client.post(path, data={"csrf": token, "action": "answer", "answer": " "})
    assert empty.status_code == 422 and "Write an answer first" in empty.text
    done = client.post(
        path,
        data={"csrf": token, "action": "answer", "answer": PARKING_ANSWER},
        headers={"accept-language": "en"},
    )
    assert done.status_code == 200 and "Answered: it is now part of the knowledge" in done.text
    assert parking.id not in item_ids(done.text)  # out of the open queue
    answered = client.get("/console/questions", params={"status": "answered"})
    assert item_ids(answered.text) == [parking.id] and PARKING_ANSWER in answered.text
    later = copilot.ask("club", "附近停车免费吗？有没有停车场")
    assert not later.handoff and later.answer == PARKING_ANSWER
    assert [c.source for c in later.citations] == ["faq:approved"]


def test_dismiss_and_merge(console) -> None:  # type: ignore[no-untyped-def]
    client, copilot, secrets = console
    sign_in(client, secrets["club"])
    items = {i.question: i for i in copilot.questions("club", "open")}
    wifi, camel = items[WIFI], items[CAMEL]
    token = csrf_of(client.get(f"/console/questions/{wifi.id}").text)
    merged = client.post(
        f"/console/questions/{camel.id}",
        data={"csrf": token, "action": "merge", "into": wifi.id},
        headers={"accept-language": "en"},
    )
    assert merged.status_code == 200 and "Merged" in merged.text
    assert str(merged.url).split("?")[0].endswith(f"/console/questions/{wifi.id}")
    assert "asked 2×" in merged.text and CAMEL in merged.text  # both askings counted here
    itself = client.post(
        f"/console/questions/{wifi.id}", data={"csrf": token, "action": "merge", "into": wifi.id}
    )
    assert itself.status_code == 422 and "cannot be merged into itself" in itself.text
    gone = client.post(f"/console/questions/{wifi.id}", data={"csrf": token, "action": "dismiss"})
    assert gone.status_code == 200 and wifi.id not in item_ids(gone.text)
    dismissed = client.get("/console/questions", params={"status": "dismissed"})
    assert item_ids(dismissed.text) == [wifi.id]


def test_another_community_neither_sees_nor_answers_them(console) -> None:  # type: ignore[no-untyped-def]
    client, copilot, secrets = console
    [item, *_] = copilot.questions("club", "open")
    token = sign_in(client, secrets["rival"])
    assert item_ids(client.get("/console/questions").text) == []
    assert client.get(f"/console/questions/{item.id}").status_code == 404
    foreign = client.post(
        f"/console/questions/{item.id}",
        data={"csrf": token, "action": "answer", "answer": "wrong"},
    )
    assert foreign.status_code == 404
    assert copilot.questions("club", "open")[0].status == "open"
    assert client.get("/console/questions/not-an-id").status_code == 404
    no_csrf = client.post(f"/console/questions/{item.id}", data={"action": "dismiss"})
    assert no_csrf.status_code == 403


def test_an_open_item_comes_with_the_cited_draft_the_knowledge_suggests(
    tmp_path: Path, embedder
) -> None:  # type: ignore[no-untyped-def]
    # A gate so strict that even a question the playbook answers is handed off.
    copilot = Copilot(
        api_settings(tmp_path / "data", handoff_threshold=0.999), embedder=embedder, llm=None
    )
    doc = tmp_path / "club.md"
    doc.write_text(PLAYBOOK, encoding="utf-8")
    copilot.ingest_file("club", doc, source="club.md")
    secret = KeyStore(copilot.db).create("club", Role.operator, "console")[1]
    assert copilot.ask("club", "读书会一年要交多少钱？").handoff
    [fee] = copilot.questions("club", "open")
    with TestClient(create_app(copilot.settings, copilot)) as client:
        api = client.get(
            f"/v1/communities/club/questions/{fee.id}",
            headers={"Authorization": f"Bearer {secret}"},
        ).json()
        suggested = api["suggested"]
        assert "一百元" in suggested["text"] and "[1]" in suggested["text"]
        assert [c["source"] for c in suggested["citations"]] == ["club.md"]
        assert suggested["confidence"] < 0.999

        sign_in(client, secret)
        path = f"/console/questions/{fee.id}"
        page = client.get(path, headers={"accept-language": "en"}).text
        box = page.split('id="answer"')[1].split("</textarea>")[0]
        assert "一百元" not in box  # shown beside the box, never typed in for the operator
        shown = page.split('id="suggested"')[1]
        assert "一百元" in shown and "club.md" in shown and "Start from this draft" in shown
        token = csrf_of(page)
        started = client.post(path, data={"csrf": token, "action": "use_draft"}).text
        box = started.split('id="answer"')[1].split("</textarea>")[0]
        assert "一百元" in box and "[1]" not in box
        typed = client.post(
            path, data={"csrf": token, "action": "use_draft", "answer": "我自己写的"}
        ).text
        box = typed.split('id="answer"')[1].split("</textarea>")[0]
        assert "我自己写的" in box and "一百元" not in box  # what was typed is never overwritten
        client.post(path, data={"csrf": token, "action": "answer", "answer": "年费一百元。"})
        answered = client.get(
            f"/v1/communities/club/questions/{fee.id}",
            headers={"Authorization": f"Bearer {secret}"},
        ).json()
        assert answered["status"] == "answered" and answered["suggested"] is None
    copilot.close()
