"""The official `openai` client talks to a real uvicorn server on 127.0.0.1 and gets grounded
answers, streamed and not, with citations in the text and in the extra fields."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import httpx
import openai
import pytest
import uvicorn

from copilot.api import create_app
from tests.api.conftest import Keys

QUESTION = "How do I become an admin?"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def base_url(api_copilot) -> Iterator[str]:  # type: ignore[no-untyped-def]
    port = free_port()
    config = uvicorn.Config(
        create_app(api_copilot.settings, api_copilot),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        access_log=False,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}/v1"
    server.should_exit = True
    thread.join(timeout=10)


def client_for(
    base_url: str, keys: Keys, community: str = "alpha", role: str = "member"
) -> openai.OpenAI:
    secret = keys(community, role)["Authorization"].removeprefix("Bearer ")
    return openai.OpenAI(base_url=base_url, api_key=secret, max_retries=0, timeout=30)


def test_non_streaming_answer_is_grounded_with_citations(base_url: str, keys: Keys) -> None:
    client = client_for(base_url, keys)
    completion = client.chat.completions.create(
        model="copilot-ask",
        messages=[
            {"role": "system", "content": "Be brief."},
            {"role": "user", "content": QUESTION},
        ],
    )
    text = completion.choices[0].message.content or ""
    assert completion.choices[0].finish_reason == "stop"
    assert "admin" in text.lower() and "[1]" in text
    assert "\n\nSources:\n[1] " in text and "knowledge/playbooks/en/" in text
    extra = completion.model_extra or {}
    assert extra["copilot"]["mode"] == "offline" and extra["copilot"]["handoff"] is False
    assert extra["citations"] and "knowledge/playbooks/" in extra["citations"][0]["source"]
    assert completion.usage is not None and completion.usage.total_tokens > 0


def test_streaming_answer_arrives_in_chunks_and_matches(base_url: str, keys: Keys) -> None:
    client = client_for(base_url, keys)
    whole = client.chat.completions.create(
        model="copilot-ask", messages=[{"role": "user", "content": QUESTION}]
    )
    stream = client.chat.completions.create(
        model="copilot-ask", messages=[{"role": "user", "content": QUESTION}], stream=True
    )
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert len(chunks) > 3
    assert text == whole.choices[0].message.content
    last = chunks[-1]
    assert last.choices[0].finish_reason == "stop"
    assert (last.model_extra or {})["citations"] == (whole.model_extra or {})["citations"]


def test_chinese_question_and_content_parts(base_url: str, keys: Keys) -> None:
    completion = client_for(base_url, keys).chat.completions.create(
        model="copilot-ask",
        messages=[{"role": "user", "content": [{"type": "text", "text": "积分可以换什么？"}]}],
    )
    text = completion.choices[0].message.content or ""
    assert "兑换" in text and "来源：" in text


def test_models_list_the_skills_the_key_may_use(base_url: str, keys: Keys) -> None:
    member = {m.id for m in client_for(base_url, keys).models.list()}
    operator = {m.id for m in client_for(base_url, keys, role="operator").models.list()}
    assert "copilot-ask" in member and member <= operator
    assert "copilot-summarize" in operator and "copilot-summarize" not in member


def test_errors_map_to_openai_exceptions(base_url: str, keys: Keys) -> None:
    messages = [{"role": "user", "content": QUESTION}]
    with pytest.raises(openai.NotFoundError, match="unknown model"):
        client_for(base_url, keys).chat.completions.create(model="gpt-4o", messages=messages)  # type: ignore[arg-type]
    with pytest.raises(openai.PermissionDeniedError, match="operator role"):
        client_for(base_url, keys).chat.completions.create(
            model="copilot-summarize", messages=messages
        )  # type: ignore[arg-type]
    with pytest.raises(openai.AuthenticationError):
        openai.OpenAI(base_url=base_url, api_key="cc_wrong", max_retries=0).models.list()
    with pytest.raises(openai.NotFoundError, match="community not found"):
        client_for(base_url, keys).chat.completions.create(
            model="copilot-ask:beta", messages=messages
        )  # type: ignore[arg-type]


def test_summarize_model_returns_the_digest(base_url: str, keys: Keys) -> None:
    completion = client_for(base_url, keys, role="operator").chat.completions.create(
        model="copilot-summarize",
        messages=[{"role": "user", "content": "总结一下"}],
        extra_body={"since": "2026-11-01T00:00:00+08:00"},
    )
    assert "群聊摘要" in (completion.choices[0].message.content or "")


def test_server_sends_request_ids(base_url: str, keys: Keys) -> None:
    response = httpx.get(
        base_url.removesuffix("/v1") + "/healthz", headers={"X-Request-ID": "trace-123"}
    )
    assert response.headers["x-request-id"] == "trace-123"
