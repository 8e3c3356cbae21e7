"""The question queue and feedback over HTTP: roles, tenancy, the answer becoming cited
knowledge, a rating reopening the item, and clear errors."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from copilot.api import create_app
from copilot.keys import KeyStore, Role
from copilot.service import Copilot
from tests.api.conftest import api_settings
from tests.test_question_loop import PARKING, PARKING_AGAIN, PARKING_ANSWER, PLAYBOOK

Headers = dict[str, str]


@pytest.fixture
def api(tmp_path: Path, embedder) -> Iterator[tuple[TestClient, dict[tuple[str, str], Headers]]]:  # type: ignore[no-untyped-def]
    copilot = Copilot(api_settings(tmp_path / "data"), embedder=embedder, llm=None)
    doc = tmp_path / "club.md"
    doc.write_text(PLAYBOOK, encoding="utf-8")
    store = KeyStore(copilot.db)
    headers = {}
    for community in ("club", "rival"):
        copilot.ingest_file(community, doc, source="club.md")
        for role in ("member", "operator"):
            secret = store.create(community, Role(role), role)[1]
            headers[(community, role)] = {"Authorization": f"Bearer {secret}"}
    with TestClient(create_app(copilot.settings, copilot)) as client:
        yield client, headers
    copilot.close()


def test_handoffs_queue_up_and_an_operators_answer_is_cited_next_time(api) -> None:  # type: ignore[no-untyped-def]
    client, keys = api
    member, operator = keys[("club", "member")], keys[("club", "operator")]
    for question in (PARKING, PARKING_AGAIN):
        body = client.post(
            "/v1/communities/club/ask", headers=member, json={"question": question}
        ).json()
        assert body["handoff"] and body["answer_id"]

    assert client.get("/v1/communities/club/questions", headers=member).status_code == 403
    listed = client.get("/v1/communities/club/questions", headers=operator)
    assert listed.status_code == 200, listed.text
    [item] = listed.json()
    assert item["count"] == 2 and item["status"] == "open" and item["question"] == PARKING
    assert {"id", "question", "count", "status", "first_asked", "last_asked"} <= set(item)
    # Another community's operator neither sees nor answers it.
    rival = keys[("rival", "operator")]
    assert client.get("/v1/communities/rival/questions", headers=rival).json() == []
    foreign = client.post(
        f"/v1/communities/rival/questions/{item['id']}/answer",
        headers=rival,
        json={"text": "wrong"},
    )
    assert foreign.status_code == 404 and "no question" in foreign.json()["error"]["message"]
    assert client.get("/v1/communities/club/questions", headers=rival).status_code == 404

    path = f"/v1/communities/club/questions/{item['id']}/answer"
    assert client.post(path, headers=member, json={"text": PARKING_ANSWER}).status_code == 403
    answered = client.post(path, headers=operator, json={"text": PARKING_ANSWER})
    assert answered.status_code == 200, answered.text
    assert answered.json()["status"] == "answered"

    later = client.post(
        "/v1/communities/club/ask", headers=member, json={"question": PARKING_AGAIN}
    ).json()
    assert not later["handoff"] and later["answer"] == PARKING_ANSWER
    assert [c["source"] for c in later["citations"]] == ["faq:approved"]
    status = client.get(
        "/v1/communities/club/questions", headers=operator, params={"status": "answered"}
    ).json()
    assert [i["id"] for i in status] == [item["id"]]


def test_a_members_thumbs_down_reopens_and_only_operators_correct(api) -> None:  # type: ignore[no-untyped-def]
    client, keys = api
    member, operator = keys[("club", "member")], keys[("club", "operator")]
    answer = client.post(
        "/v1/communities/club/ask", headers=member, json={"question": "活动几点集合？"}
    ).json()
    assert not answer["handoff"]
    rated = client.post(
        "/v1/communities/club/feedback",
        headers=member,
        json={"answer_id": answer["answer_id"], "rating": "down", "comment": "时间改了"},
    )
    assert rated.status_code == 200, rated.text
    assert rated.json()["status"] == "open"
    [item] = client.get("/v1/communities/club/questions", headers=operator).json()
    assert item["reason"] == "feedback" and item["downvotes"] == 1

    correction = {"answer_id": answer["answer_id"], "rating": "down", "correction": "七点半。"}
    refused = client.post("/v1/communities/club/feedback", headers=member, json=correction)
    assert refused.status_code == 403 and "operator role" in refused.json()["error"]["message"]
    fixed = client.post("/v1/communities/club/feedback", headers=operator, json=correction)
    assert fixed.json()["status"] == "answered"
    # Another community's key cannot rate this community's answers.
    other = client.post(
        "/v1/communities/rival/feedback",
        headers=keys[("rival", "member")],
        json={"answer_id": answer["answer_id"], "rating": "up"},
    )
    assert other.status_code == 404


def test_bad_requests_get_clear_errors(api) -> None:  # type: ignore[no-untyped-def]
    client, keys = api
    operator = keys[("club", "operator")]
    cases = [
        ("/v1/communities/club/questions/q_0000/answer", {"text": "hi"}, 404, "no question"),
        ("/v1/communities/club/questions/not-an-id/answer", {"text": "hi"}, 422, "question_id"),
        ("/v1/communities/club/questions/q_0000/answer", {"text": ""}, 422, "text"),
        ("/v1/communities/club/feedback", {"answer_id": "ans_x", "rating": "meh"}, 422, "rating"),
        ("/v1/communities/club/feedback", {"answer_id": "ans_x", "rating": "up"}, 404, "no answer"),
    ]
    for path, body, status, message in cases:
        response = client.post(path, headers=operator, json=body)
        assert response.status_code == status, (path, body, response.text)
        assert message in response.json()["error"]["message"], response.text
    bad = client.get("/v1/communities/club/questions", headers=operator, params={"status": "x"})
    assert bad.status_code == 422
