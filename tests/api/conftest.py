"""API fixtures: one Copilot with two communities for the whole package, a fresh app per test.

`alpha` holds the real starter playbooks and a sample group chat; `beta` holds one small
document with a fact that exists nowhere else, so a leak between communities would show.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from copilot.api import create_app
from copilot.config import Settings
from copilot.keys import Role
from copilot.service import Copilot
from tests.conftest import KNOWLEDGE

BETA_DOC = """# Beta Hikers

## Meeting point
The Beta Hikers gather at the north gate of Xiangshan Park at 7:15 every Saturday.

## Gear
Bring two litres of water and trekking poles.
"""
BETA_FACT = "north gate of Xiangshan Park"
CHAT = KNOWLEDGE / "samples" / "chat" / "morning_readers.jsonl"


@dataclass(frozen=True)
class Keys:
    """Secrets of keys made for the tests, by community and role."""

    secrets: dict[tuple[str, Role], str]

    def __call__(self, community: str, role: Role | str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.secrets[(community, Role(role))]}"}


def api_settings(data_dir: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {"llm_provider": "offline", "api_rate_per_minute": 0, **overrides}
    return Settings(data_dir=data_dir, _env_file=None, **values)  # type: ignore[call-arg, arg-type]


@pytest.fixture(scope="session")
def api_copilot(tmp_path_factory: pytest.TempPathFactory, embedder) -> Iterator[Copilot]:  # type: ignore[no-untyped-def]
    data = tmp_path_factory.mktemp("api")
    instance = Copilot(api_settings(data / "data"), embedder=embedder, llm=None)
    report = instance.ingest_paths("alpha", [KNOWLEDGE / "playbooks", CHAT])
    assert report.files and not report.skipped, report.skipped
    beta = data / "beta-hikers.md"
    beta.write_text(BETA_DOC, encoding="utf-8")
    instance.ingest_file("beta", beta, source="beta-hikers.md")
    yield instance
    instance.close()


@pytest.fixture(scope="session")
def keys(api_copilot: Copilot) -> Keys:
    from copilot.keys import KeyStore

    store = KeyStore(api_copilot.db)
    return Keys(
        {
            (c, role): store.create(c, role, f"test {role}")[1]
            for c in ("alpha", "beta")
            for role in Role
        }
    )


@pytest.fixture
def app(api_copilot: Copilot) -> FastAPI:
    return create_app(api_copilot.settings, api_copilot)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client
