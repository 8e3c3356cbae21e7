"""The store on a real PostgreSQL server: ingest, ask, keys and the HTTP API over
COPILOT_DATABASE_URL. The test starts its own server on 127.0.0.1 and removes it afterwards."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from copilot.api import create_app
from copilot.config import Settings
from copilot.keys import KeyStore
from copilot.service import Copilot
from tests.api.conftest import CHAT
from tests.conftest import KNOWLEDGE
from tests.postgres import PostgresServer

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def postgres_url(postgres: PostgresServer) -> str:
    return postgres.database("copilot_test")


@pytest.fixture(scope="module")
def pg_copilot(
    postgres_url: str, tmp_path_factory: pytest.TempPathFactory, embedder
) -> Iterator[Copilot]:  # type: ignore[no-untyped-def]
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("pg") / "data",  # type: ignore[call-arg]
        database_url=postgres_url,
        llm_provider="offline",
        _env_file=None,
        api_rate_per_minute=0,
    )
    instance = Copilot(settings, embedder=embedder, llm=None)
    yield instance
    instance.close()


def test_ingest_ask_and_reingest_on_postgres(pg_copilot: Copilot) -> None:
    assert pg_copilot.db.engine.dialect.name == "postgresql"
    playbooks = [
        KNOWLEDGE / "playbooks" / "en" / "faq-morning-readers.md",
        KNOWLEDGE / "playbooks" / "zh" / "incentive-system.md",
    ]
    report = pg_copilot.ingest_paths("pg", [*playbooks, CHAT])
    assert report.count("added") == 3 and not report.skipped
    assert sum(f.messages for f in report.files) > 100
    again = pg_copilot.ingest_paths("pg", [*playbooks, CHAT])
    assert again.count("unchanged") == 3
    answer = pg_copilot.ask("pg", "How do I become an admin?")
    assert not answer.handoff and answer.citations
    assert answer.citations[0].source.endswith("faq-morning-readers.md")
    assert pg_copilot.stats("pg").total_messages > 100


def test_http_api_with_keys_on_postgres(pg_copilot: Copilot) -> None:
    store = KeyStore(pg_copilot.db)
    operator = {"Authorization": f"Bearer {store.create('pg', 'operator')[1]}"}
    outsider = {"Authorization": f"Bearer {store.create('other', 'admin')[1]}"}
    with TestClient(create_app(pg_copilot.settings, pg_copilot)) as client:
        assert client.get("/healthz").json()["database"] == "ok"
        uploaded = client.post(
            "/v1/communities/pg/documents",
            headers=operator,
            files={
                "file": (
                    "night-hike.md",
                    b"# Night hike\n\nThe night hike starts at the "
                    b"Fragrant Hills east gate at 19:30.",
                    "text/markdown",
                )
            },
        )
        assert uploaded.status_code == 201, uploaded.json()
        answer = client.post(
            "/v1/communities/pg/ask",
            headers=operator,
            json={"question": "Where does the night hike start?"},
        ).json()
        assert "east gate" in answer["answer"]
        assert client.get("/v1/communities/pg/documents", headers=outsider).status_code == 404
        docs = client.get("/v1/communities/pg/documents", headers=operator).json()
        assert "night-hike.md" in {d["source"] for d in docs}
        assert (
            client.delete(
                "/v1/communities/pg/documents/night-hike.md", headers=operator
            ).status_code
            == 204
        )
    assert [k.community for k in store.list("pg")] == ["pg"]
