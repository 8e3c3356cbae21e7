"""Reader processes (`copilot serve` on every core): the server's answers are the in-process
ones, writes made through the server are seen by the readers, and errors keep their 4xx."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from copilot.api import create_app
from copilot.api.readers import ReaderPool, default_readers
from copilot.keys import KeyStore
from copilot.service import Copilot
from tests.api.conftest import api_settings
from tests.conftest import KNOWLEDGE

QUESTIONS = ["积分可以用来做什么？", "How do I become an admin?", "明天北京会下雨吗？"]
NOTE = "# 徒步队\n\n## 集合\n周末徒步队每周六早上七点在奥森南门集合，风雨无阻。\n".encode()
ANSWER_FIELDS = ("answer", "citations", "confidence", "handoff", "language")


def test_two_readers_answer_as_the_server_process_and_see_its_uploads(
    tmp_path: Path,
    embedder,  # type: ignore[no-untyped-def]
) -> None:
    settings = api_settings(tmp_path / "data")
    local = Copilot(settings, embedder=embedder, llm=None)
    local.ingest_paths("alpha", [KNOWLEDGE / "playbooks"])
    secret = KeyStore(local.db).create("alpha", "operator", "test")[1]
    headers = {"Authorization": f"Bearer {secret}"}
    expected = {q: local.ask("alpha", q).model_dump(mode="json") for q in QUESTIONS}

    with TestClient(create_app(settings, readers=2)) as client:
        assert isinstance(client.app.state.skills, ReaderPool)  # type: ignore[attr-defined]
        for question, answer in expected.items():
            got = client.post(
                "/v1/communities/alpha/ask", headers=headers, json={"question": question}
            )
            assert got.status_code == 200
            assert {f: got.json()[f] for f in ANSWER_FIELDS} == {
                f: answer[f] for f in ANSWER_FIELDS
            }

        # The server process writes; the readers answer from what it wrote.
        uploaded = client.post(
            "/v1/communities/alpha/documents",
            headers=headers,
            files={"file": ("徒步.md", NOTE, "text/markdown")},
        )
        assert uploaded.status_code == 201, uploaded.json()
        for _ in range(2):  # both readers
            answer = client.post(
                "/v1/communities/alpha/ask",
                headers=headers,
                json={"question": "周末徒步队在哪里集合？"},
            ).json()
            assert "奥森南门" in answer["answer"]
            assert "徒步.md" in {c["source"] for c in answer["citations"]}

        # A person's mistake raised in a reader is still a 4xx with its message.
        empty = client.post("/v1/communities/alpha/ask", headers=headers, json={"question": "   "})
        assert empty.status_code in (400, 422)
        assert "the question is empty" in empty.text
    local.close()


def test_readers_default_to_one_per_core_offline_and_none_with_an_llm(tmp_path: Path) -> None:
    offline = api_settings(tmp_path)
    assert default_readers(offline) >= 1
    llm = api_settings(tmp_path, llm_provider="openai", llm_base_url="http://127.0.0.1:9/v1")
    assert default_readers(llm) == 0
    assert default_readers(api_settings(tmp_path, readers=3)) == 3
