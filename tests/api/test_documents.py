"""Uploading, listing and deleting knowledge; bad files get the loader's message as a 4xx."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from copilot.api import create_app
from copilot.api.routes.documents import safe_filename
from tests.api.conftest import Keys

NOTE = "# 周末徒步\n\n## 集合\n\n周末徒步队每周日早上七点在奥森南门集合，迟到不等。\n".encode()


def upload(
    client: TestClient,
    keys: Keys,
    name: str,
    content: bytes,
    *,
    community: str = "alpha",
    kind: str | None = None,
    role: str = "operator",
):  # type: ignore[no-untyped-def]
    data = {"kind": kind} if kind else {}
    return client.post(
        f"/v1/communities/{community}/documents",
        headers=keys(community, role),
        files={"file": (name, content, "application/octet-stream")},
        data=data,
    )


def test_upload_list_ask_reupload_and_delete(client, keys: Keys) -> None:  # type: ignore[no-untyped-def]
    first = upload(client, keys, "徒步 规则.md", NOTE)
    assert first.status_code == 201, first.json()
    assert first.json() == {
        "source": "徒步 规则.md",
        "outcome": "added",
        "kind": "playbook",
        "chunks": 1,
        "messages": 0,
    }
    again = upload(client, keys, "徒步 规则.md", NOTE)
    assert again.status_code == 200 and again.json()["outcome"] == "unchanged"
    listed = client.get("/v1/communities/alpha/documents", headers=keys("alpha", "member"))
    assert "徒步 规则.md" in {d["source"] for d in listed.json()}
    answer = client.post(
        "/v1/communities/alpha/ask",
        headers=keys("alpha", "member"),
        json={"question": "周末徒步队在哪里集合？"},
    ).json()
    assert "奥森南门" in answer["answer"]
    assert "徒步 规则.md" in {c["source"] for c in answer["citations"]}
    gone = client.delete(
        "/v1/communities/alpha/documents/徒步 规则.md", headers=keys("alpha", "operator")
    )
    assert gone.status_code == 204
    missing = client.delete(
        "/v1/communities/alpha/documents/徒步 规则.md", headers=keys("alpha", "operator")
    )
    assert missing.status_code == 404
    assert missing.json()["error"]["message"] == (
        "no document named '徒步 规则.md' in this community"
    )


def test_chat_export_upload_is_detected_and_messages_are_stored(client, keys: Keys) -> None:  # type: ignore[no-untyped-def]
    lines = [
        {"ts": f"2024-06-01T10:0{i}:00Z", "author": f"m{i}", "text": f"第{i}条：周六去爬山吗？"}
        for i in range(3)
    ]
    content = "\n".join(json.dumps(line, ensure_ascii=False) for line in lines).encode()
    response = upload(client, keys, "hikes.jsonl", content, community="beta")
    assert response.status_code == 201, response.json()
    assert response.json()["kind"] == "chat" and response.json()["messages"] == 3
    assert (
        client.delete(
            "/v1/communities/beta/documents/hikes.jsonl", headers=keys("beta", "operator")
        ).status_code
        == 204
    )


def test_bad_files_are_refused_with_the_loaders_message(client, keys: Keys) -> None:  # type: ignore[no-untyped-def]
    cases = [
        ("photo.exe", b"MZ\x90\x00", None, 415, "unsupported format '.exe'"),
        ("README", b"hello", None, 415, "the file has no extension"),
        ("broken.json", b'{"a": [1, 2', None, 422, "broken.json"),
        ("empty.md", b"", None, 422, "empty.md"),
        ("rules.md", NOTE, "chat", 415, "rules.md"),
    ]
    for name, content, kind, status, message in cases:
        response = upload(client, keys, name, content, kind=kind)
        assert response.status_code == status, (name, response.json())
        assert message in response.json()["error"]["message"], (name, response.json())
    docs = {
        d["source"]
        for d in client.get(
            "/v1/communities/alpha/documents", headers=keys("alpha", "member")
        ).json()
    }
    assert not docs & {"photo.exe", "README", "broken.json", "empty.md", "rules.md"}


def test_upload_form_errors_are_4xx(client, keys: Keys) -> None:  # type: ignore[no-untyped-def]
    url = "/v1/communities/alpha/documents"
    operator = keys("alpha", "operator")
    no_file = client.post(url, headers=operator, data={"kind": "auto"})
    assert no_file.status_code == 422 and "file: Field required" in no_file.text
    bad_kind = client.post(
        url,
        headers=operator,
        data={"kind": "novel"},
        files={"file": ("a.md", NOTE, "text/markdown")},
    )
    assert bad_kind.status_code == 422 and "kind:" in bad_kind.text
    as_json = client.post(url, headers=operator, json={"file": "a.md"})
    assert as_json.status_code == 422


def test_oversized_upload_is_413_before_it_is_read(api_copilot, keys: Keys) -> None:  # type: ignore[no-untyped-def]
    settings = api_copilot.settings.model_copy(update={"max_file_mb": 0.01})  # ~10 KB
    with TestClient(create_app(settings, api_copilot)) as client:
        response = upload(client, keys, "big.md", b"# Big\n\n" + b"x" * 200_000)
        assert response.status_code == 413
        assert response.json()["error"]["code"] == "too_large"
        assert "limit" in response.json()["error"]["message"]
        just_over = upload(client, keys, "big.md", b"# Big\n\n" + b"x" * 12_000)
        assert just_over.status_code == 413
        assert "COPILOT_MAX_FILE_MB" in just_over.json()["error"]["message"]


def test_file_names_cannot_escape_the_upload_folder() -> None:
    assert safe_filename("../../etc/passwd.md") == "passwd.md"
    assert safe_filename("..\\..\\boot.ini.txt") == "boot.ini.txt"
    assert safe_filename(".hidden.md") == "hidden.md"
    assert safe_filename("a\x00b;rm -rf.md") == "a_b_rm -rf.md"
    assert safe_filename("社群 规则（v2）.md") == "社群 规则_v2_.md"
    assert safe_filename("") == safe_filename(None) == safe_filename("../..") == "upload"
    assert safe_filename("x" * 500 + ".md").endswith(".md")
    assert len(safe_filename("x" * 500 + ".md")) <= 120


def test_message_batches_are_indexed_and_limited(client, api_copilot, keys: Keys) -> None:  # type: ignore[no-untyped-def]
    url = "/v1/communities/beta/messages"
    operator = keys("beta", "operator")
    batch = {
        "source": "api:general",
        "messages": [
            {
                "id": str(i),
                "channel": "general",
                "author": "Lee",
                "ts": f"2024-06-0{i + 1}T08:00:00",
                "text": f"Trail report {i}: the east ridge path is closed for repairs.",
            }
            for i in range(3)
        ],
    }
    created = client.post(url, headers=operator, json=batch)
    assert created.status_code == 201 and created.json()["messages"] == 3
    limit = api_copilot.settings.api_max_batch
    too_many = {"source": "api:x", "messages": [batch["messages"][0]] * (limit + 1)}
    response = client.post(url, headers=operator, json=too_many)
    assert response.status_code == 413 and f"the limit is {limit}" in response.text
    empty = client.post(url, headers=operator, json={"source": "api:x", "messages": []})
    assert empty.status_code == 422
    bad_time = {"source": "api:x", "messages": [{**batch["messages"][0], "ts": "yesterday"}]}
    assert client.post(url, headers=operator, json=bad_time).status_code == 422
    assert (
        client.delete("/v1/communities/beta/documents/api:general", headers=operator).status_code
        == 204
    )


def test_message_time_without_a_zone_is_utc_whatever_the_server_zone(
    client, keys: Keys, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    import time

    monkeypatch.setenv("TZ", "Asia/Shanghai")  # a server in UTC+8 must not shift the message
    time.tzset()
    try:
        operator = keys("beta", "operator")
        batch = {
            "source": "api:tz",
            "messages": [
                {
                    "id": "tz1",
                    "channel": "tz-check",
                    "author": "Lee",
                    "ts": "2024-06-01T09:00:00",
                    "text": "The ridge path opens again on Sunday.",
                }
            ],
        }
        assert (
            client.post("/v1/communities/beta/messages", headers=operator, json=batch).status_code
            == 201
        )
        window = {
            "since": "2024-06-01T08:30:00Z",
            "until": "2024-06-01T09:30:00Z",
            "channel": "tz-check",
        }
        summary = client.post("/v1/communities/beta/summaries", headers=operator, json=window)
        assert summary.status_code == 200 and summary.json()["messages"] == 1
    finally:
        client.delete("/v1/communities/beta/documents/api:tz", headers=keys("beta", "operator"))
        monkeypatch.undo()
        time.tzset()
