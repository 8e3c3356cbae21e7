"""Finding 4 of the hardening issue: inputs that gave a 500 now get a 4xx a person can act on,
and nothing is half-written. Each case is what a red-team pass sent to a real server."""

from __future__ import annotations

import pytest

from tests.api.conftest import Keys

EDGES = ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "9999-12-31", "0001-01-01"]


def _error(res) -> str:  # type: ignore[no-untyped-def]
    assert 400 <= res.status_code < 500, (res.status_code, res.text[:300])
    return str(res.json()["error"]["message"])


def _message(ts: str) -> dict[str, str]:
    return {"id": "1", "author": "a", "ts": ts, "text": "hi"}


def _sources(client, keys: Keys) -> set[str]:  # type: ignore[no-untyped-def]
    res = client.get("/v1/communities/alpha/documents", headers=keys("alpha", "operator"))
    return {d["source"] for d in res.json()}


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/v1/communities/alpha/ask", '{"question": "\\ud800 会费多少？"}'),
        (
            "/v1/chat/completions",
            '{"model": "copilot-ask", "messages": [{"role": "user", "content": "hi \\udfff"}]}',
        ),
    ],
)
def test_a_lone_surrogate_in_a_question_is_a_422(client, keys: Keys, path: str, body: str) -> None:  # type: ignore[no-untyped-def]
    headers = keys("alpha", "member") | {"content-type": "application/json"}
    res = client.post(path, content=body, headers=headers)
    assert res.status_code == 422 and "lone UTF-16 surrogate" in _error(res)
    # A surrogate pair is an emoji, not an error.
    ok = client.post(
        "/v1/communities/alpha/ask",
        content='{"question": "会费多少？\\ud83d\\ude00"}',
        headers=headers,
    )
    assert ok.status_code == 200


@pytest.mark.parametrize("path", ["/v1/communities/alpha/ask", "/v1/chat/completions"])
@pytest.mark.parametrize("depth", [100, 200_000])
def test_a_deeply_nested_json_body_is_refused_in_plain_words(  # type: ignore[no-untyped-def]
    client, keys: Keys, path: str, depth: int
) -> None:
    headers = keys("alpha", "member") | {"content-type": "application/json"}
    body = '{"question": ' + "[" * depth + "]" * depth + "}"
    res = client.post(path, content=body, headers=headers)
    assert res.status_code == 400
    assert "nested more than 64 levels deep" in _error(res)
    # Brackets inside a string are text, not nesting.
    ok = client.post(path, json={"question": "[" * 500 + "会费多少？"}, headers=headers)
    assert ok.status_code != 400


@pytest.mark.parametrize("moment", EDGES)
def test_calendar_edges_are_422_on_every_route_that_takes_a_time(
    client, keys: Keys, moment: str
) -> None:  # type: ignore[no-untyped-def]
    op = keys("alpha", "operator")
    base = "/v1/communities/alpha"
    before = _sources(client, keys)
    responses = {
        "summary since": client.post(f"{base}/summaries", json={"since": moment}, headers=op),
        "summary until": client.post(f"{base}/summaries", json={"until": moment}, headers=op),
        "stats": client.get(f"{base}/stats", params={"since": moment}, headers=op),
        "activities": client.post(f"{base}/activities", json={"today": moment[:10]}, headers=op),
        "messages": client.post(
            f"{base}/messages",
            json={"source": "edge", "messages": [_message(moment)]},
            headers=op,
        ),
        "chat summary": client.post(
            "/v1/chat/completions",
            json={"model": "copilot-summarize", "messages": [{"role": "user", "content": "总结"}],
                  "since": moment},
            headers=op,
        ),
    }  # fmt: skip
    for what, res in responses.items():
        assert "out of range" in _error(res), what
        assert "1970-01-01" in _error(res), what  # says which range works
    assert _sources(client, keys) == before  # the messages were not half-stored


def test_stats_refuse_a_period_of_decades_and_keep_one_row_per_day(client, keys: Keys) -> None:  # type: ignore[no-untyped-def]
    op = keys("alpha", "operator")
    far = client.get("/v1/communities/alpha/stats", params={"since": "1971-01-01"}, headers=op)
    assert "at most 1098 days" in _error(far)
    near = client.get("/v1/communities/alpha/stats", params={"since": "2024-01-01"}, headers=op)
    assert near.status_code == 200 and len(near.json()["messages_per_day"]) <= 1098


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("wide.csv", b"question,answer\n" + b"x" * (5 * 1024 * 1024) + b",y\n", "131,072"),
        ("deep.json", b"[" * 200_000, "nested too deeply"),
        ("deeper.json", b"[" * 200_000 + b"]" * 200_000, "nested too deeply"),
    ],
)
def test_pathological_files_are_422_and_store_nothing(
    client, keys: Keys, name: str, content: bytes, expected: str
) -> None:  # type: ignore[no-untyped-def]
    before = _sources(client, keys)
    res = client.post(
        "/v1/communities/alpha/documents",
        files={"file": (name, content, "application/octet-stream")},
        headers=keys("alpha", "operator"),
    )
    message = _error(res)
    assert name in message and expected in message
    assert _sources(client, keys) == before


def test_documents_say_when_they_were_ingested_in_utc(client, keys: Keys) -> None:  # type: ignore[no-untyped-def]
    docs = client.get("/v1/communities/alpha/documents", headers=keys("alpha", "member")).json()
    assert docs and all(d["ingested_at"].endswith(("Z", "+00:00")) for d in docs)


@pytest.mark.parametrize(
    "source", ["invoice\u202egpj.md", "chat\x07bell", "zero\u200bwidth", "a\u2028b"]
)
def test_source_names_with_hidden_characters_are_refused(client, keys: Keys, source: str) -> None:  # type: ignore[no-untyped-def]
    before = _sources(client, keys)
    res = client.post(
        "/v1/communities/alpha/messages",
        json={"source": source, "messages": [_message("2026-11-01T08:00:00Z")]},
        headers=keys("alpha", "operator"),
    )
    assert "control or invisible formatting characters" in _error(res)
    assert _sources(client, keys) == before
