"""The skill routes return grounded results, say which mode produced them, and stream on request."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from copilot.api import create_app
from copilot.service import Copilot
from tests.api.conftest import BETA_DOC, Keys, api_settings
from tests.fakes.openai_server import fake_openai_server


def test_member_gets_a_grounded_chinese_answer_with_citations(client, keys: Keys) -> None:  # type: ignore[no-untyped-def]
    response = client.post(
        "/v1/communities/alpha/ask",
        headers=keys("alpha", "member"),
        json={"question": "积分可以换什么？"},
    )
    body = response.json()
    assert response.status_code == 200, body
    assert not body["handoff"] and body["language"] == "zh" and body["mode"] == "offline"
    assert "兑换" in body["answer"] and "[1]" in body["answer"]
    assert body["citations"] and all(
        "knowledge/playbooks/zh/" in c["source"] for c in body["citations"]
    )
    assert set(body) == {
        "answer",
        "citations",
        "confidence",
        "handoff",
        "language",
        "mode",
        "prompt",
        "model",
        "answer_id",
    }
    assert body["answer_id"].startswith("ans_")


def test_unanswerable_question_hands_off(client, keys: Keys) -> None:  # type: ignore[no-untyped-def]
    body = client.post(
        "/v1/communities/alpha/ask",
        headers=keys("alpha", "member"),
        json={"question": "What will the weather be in Paris tomorrow?"},
    ).json()
    assert body["handoff"] and body["citations"] == []


def test_bad_questions_get_clear_4xx(client, keys: Keys, api_copilot) -> None:  # type: ignore[no-untyped-def]
    alpha = keys("alpha", "member")
    limit = api_copilot.settings.max_question_chars
    cases = {
        "empty": ({"question": "   "}, 422, "the question is empty"),
        "huge": ({"question": "问" * (limit + 1)}, 422, f"the limit is {limit}"),
        "wrong type": ({"question": ["a"]}, 422, "question: Input should be a valid string"),
        "missing": ({}, 422, "question: Field required"),
        "unknown field": ({"question": "hi?", "prompt": "x"}, 422, "prompt: Extra inputs"),
        "top_k": ({"question": "hi?", "top_k": 500}, 422, "top_k: Input should be less"),
    }
    for name, (body, status, message) in cases.items():
        response = client.post("/v1/communities/alpha/ask", headers=alpha, json=body)
        assert response.status_code == status, name
        assert message in response.json()["error"]["message"], (name, response.json())
    broken = client.post(
        "/v1/communities/alpha/ask",
        headers={**alpha, "Content-Type": "application/json"},
        content=b'{"question": "hi',
    )
    assert broken.status_code == 400
    assert broken.json()["error"]["code"] == "invalid_json"


def test_summary_of_the_sample_chat(client, keys: Keys) -> None:  # type: ignore[no-untyped-def]
    response = client.post(
        "/v1/communities/alpha/summaries",
        headers=keys("alpha", "operator"),
        json={"since": "2026-11-01T00:00:00+08:00"},
    )
    body = response.json()
    assert response.status_code == 200, body
    assert body["mode"] == "offline" and body["messages"] > 100
    assert body["summary"]["decisions"] and "朝阳公园" in body["markdown"]


def test_summary_streams_over_sse_when_asked(client, keys: Keys) -> None:  # type: ignore[no-untyped-def]
    headers = {**keys("alpha", "operator"), "Accept": "text/event-stream"}
    with client.stream(
        "POST",
        "/v1/communities/alpha/summaries",
        headers=headers,
        json={"until": "2026-11-05T00:00:00Z"},
    ) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        events = _events("".join(response.iter_text()))
    assert [name for name, _ in events] == ["started", "result"]
    assert json.loads(events[1][1])["mode"] == "offline"


def test_summary_errors_in_a_stream_are_error_events(client, keys: Keys) -> None:  # type: ignore[no-untyped-def]
    headers = {**keys("alpha", "operator"), "Accept": "text/event-stream"}
    with client.stream(
        "POST",
        "/v1/communities/alpha/summaries",
        headers=headers,
        json={"since": "2026-11-05T00:00:00Z", "until": "2026-11-01T00:00:00Z"},
    ) as response:
        events = _events("".join(response.iter_text()))
    assert events[-1][0] == "error"
    assert json.loads(events[-1][1])["error"]["code"] == "invalid_input"


def test_stats_are_computed_from_the_chat(client, keys: Keys) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/v1/communities/alpha/stats", headers=keys("alpha", "operator"))
    body = response.json()
    assert response.status_code == 200, body
    assert body["total_messages"] > 100 and body["question_count"] > 0
    empty = client.get("/v1/communities/beta/stats", headers=keys("beta", "operator")).json()
    assert empty["total_messages"] == 0


def _events(text: str) -> list[tuple[str, str]]:
    events = []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        fields = dict(
            line.split(": ", 1)
            for line in block.splitlines()
            if ": " in line and not line.startswith(":")
        )
        if "event" in fields:
            events.append((fields["event"], fields.get("data", "")))
    return events


def test_llm_failure_falls_back_offline_and_is_flagged_and_counted(tmp_path, embedder) -> None:  # type: ignore[no-untyped-def]
    from copilot.keys import KeyStore

    with fake_openai_server() as fake:
        settings = api_settings(
            tmp_path / "d",
            llm_provider="openai",
            llm_base_url=fake.url,
            llm_model="fake-model",
            llm_timeout_s=2.0,
            llm_max_retries=0,
        )
        cp = Copilot(settings, embedder=embedder)
        doc = tmp_path / "hikers.md"
        doc.write_text(BETA_DOC, encoding="utf-8")
        cp.ingest_file("beta", doc, source="hikers.md")
        _, key = KeyStore(cp.db).create("beta", "member")
        with TestClient(create_app(settings, cp)) as client:
            headers = {"Authorization": f"Bearer {key}"}
            question = {"question": "Where do the Beta Hikers gather?"}
            fake.enqueue(500)
            down = client.post("/v1/communities/beta/ask", headers=headers, json=question)
            fake.enqueue("They gather at the north gate of Xiangshan Park [1].")
            up = client.post("/v1/communities/beta/ask", headers=headers, json=question)
            metrics = client.get("/metrics").text
        cp.close()
    assert down.status_code == 200 and down.json()["mode"] == "offline-fallback"
    assert "north gate" in down.json()["answer"] and down.json()["citations"]
    assert up.json()["mode"] == "llm" and up.json()["model"] == "fake-model"
    assert 'copilot_offline_fallbacks_total{skill="ask"} 1.0' in metrics
    assert "copilot_llm_errors_total 1.0" in metrics
    assert "copilot_llm_requests_total 2.0" in metrics
    assert 'copilot_llm_tokens_total{kind="prompt"} 42.0' in metrics
    assert 'copilot_skill_results_total{mode="llm",skill="ask"} 1.0' in metrics


def test_operator_drafts_an_announcement_from_the_playbooks(client, keys: Keys) -> None:  # type: ignore[no-untyped-def]
    response = client.post(
        "/v1/communities/alpha/drafts",
        headers=keys("alpha", "operator"),
        json={"kind": "announcement", "topic": "周三晚上的读书分享会"},
    )
    body = response.json()
    assert response.status_code == 200, body
    assert body["mode"] == "offline" and body["kind"] == "announcement"
    assert "腾讯会议" in body["text"] and body["citations"]
    unknown = client.post(
        "/v1/communities/alpha/drafts",
        headers=keys("alpha", "operator"),
        json={"kind": "poem", "topic": "x"},
    )
    assert unknown.status_code == 422 and "choose one of: announcement" in unknown.text


def test_activity_suggestions_use_the_measured_health(client, keys: Keys) -> None:  # type: ignore[no-untyped-def]
    response = client.post(
        "/v1/communities/alpha/activities",
        headers=keys("alpha", "operator"),
        json={"limit": 3, "today": "2026-11-20"},
    )
    body = response.json()
    assert response.status_code == 200, body
    assert len(body["suggestions"]) == 3 and body["today"] == "2026-11-20"
    assert all(s["rationale"] and s["plan"] for s in body["suggestions"])
    assert (
        client.post(
            "/v1/communities/alpha/activities", headers=keys("alpha", "operator"), json={"limit": 0}
        ).status_code
        == 422
    )


def test_draft_streams_over_sse_when_asked(client, keys: Keys) -> None:  # type: ignore[no-untyped-def]
    headers = {**keys("alpha", "operator"), "Accept": "text/event-stream"}
    with client.stream(
        "POST",
        "/v1/communities/alpha/drafts",
        headers=headers,
        json={"kind": "welcome", "topic": "新成员入群"},
    ) as response:
        events = _events("".join(response.iter_text()))
    assert [name for name, _ in events] == ["started", "result"]
    assert json.loads(events[1][1])["kind"] == "welcome"
