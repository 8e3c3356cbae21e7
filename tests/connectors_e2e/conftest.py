"""End-to-end fixtures: the real app (create_app) over a Copilot holding the starter playbooks,
every connector enabled through its COPILOT_* variables and pointed at the fake platform API
on 127.0.0.1 (reusing tests/connectors' fake server, DNS guard and signing helpers)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import delete

from connectors.tables import (
    InboundEventRow,
    KeptValueRow,
    ReviewRow,
    Route,
    RouteRow,
    put_route,
)
from connectors.worker import ConnectorWorker
from copilot.api import create_app
from copilot.config import Settings
from copilot.keys import KeyStore, Role
from copilot.service import Copilot
from tests.conftest import KNOWLEDGE
from tests.connectors import helpers as h
from tests.connectors.conftest import fake_platform, no_dns  # noqa: F401 - fixtures
from tests.connectors.fake_platform import FakePlatform

COMMUNITY = "readers"


@pytest.fixture(scope="module")
def e2e_copilot(tmp_path_factory: pytest.TempPathFactory, embedder) -> Iterator[Copilot]:  # type: ignore[no-untyped-def]
    data = tmp_path_factory.mktemp("connectors_e2e") / "data"
    settings = Settings(
        data_dir=data,
        llm_provider="offline",
        api_rate_per_minute=0,  # type: ignore[call-arg]
        _env_file=None,
    )
    instance = Copilot(settings, embedder=embedder, llm=None)
    report = instance.ingest_paths(COMMUNITY, [KNOWLEDGE / "playbooks" / "zh"])
    assert report.files and not report.skipped
    yield instance
    instance.close()


@pytest.fixture(scope="module")
def operator_key(e2e_copilot: Copilot) -> dict[str, str]:
    _, secret = KeyStore(e2e_copilot.db).create(COMMUNITY, Role.operator, "e2e operator")
    return {"Authorization": f"Bearer {secret}"}


def platform_env(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    """Enable every platform with the helpers' secrets, API calls going to ``url``."""
    env = {
        "SLACK_SIGNING_SECRET": h.SLACK_SECRET, "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_BOT_USER_ID": h.SLACK_BOT, "SLACK_API_URL": f"{url}/api/",
        "TELEGRAM_BOT_TOKEN": h.TELEGRAM_TOKEN, "TELEGRAM_SECRET_TOKEN": h.TELEGRAM_SECRET,
        "TELEGRAM_BOT_USERNAME": "copilot_test_bot", "TELEGRAM_API_URL": url,
        "DISCORD_PUBLIC_KEY": h.DISCORD_PUBLIC_HEX, "DISCORD_APPLICATION_ID": "111",
        "DISCORD_API_URL": f"{url}/api/v10",
        "FEISHU_APP_ID": "cli_test", "FEISHU_APP_SECRET": "app-secret",
        "FEISHU_VERIFICATION_TOKEN": h.FEISHU_TOKEN, "FEISHU_ENCRYPT_KEY": h.FEISHU_KEY,
        "FEISHU_BOT_OPEN_ID": "open_id", "FEISHU_API_URL": url,
        "WECOM_TOKEN": h.WECOM_TOKEN, "WECOM_ENCODING_AES_KEY": h.WECOM_KEY,
        "WECOM_CORP_ID": h.WECOM_CORP, "WECOM_BOT_NAME": "RobotA", "WECOM_API_URL": url,
        "DINGTALK_APP_SECRET": h.DINGTALK_SECRET, "DINGTALK_API_URL": url,
        "QQ_APP_ID": h.QQ_APP_ID, "QQ_APP_SECRET": h.QQ_SECRET, "QQ_API_URL": url,
        "QQ_TOKEN_URL": f"{url}/app/getAppAccessToken",
        "ONEBOT_SECRET": h.ONEBOT_SECRET, "ONEBOT_ACCESS_TOKEN": "onebot-token",
        "ONEBOT_API_URL": url,
    }  # fmt: skip
    for name, value in env.items():
        monkeypatch.setenv(f"COPILOT_{name}", value)


@dataclass
class Harness:
    app: FastAPI
    client: httpx.AsyncClient
    fake: FakePlatform
    copilot: Copilot

    @property
    def worker(self) -> ConnectorWorker:
        return self.app.state.connector_worker  # type: ignore[no-any-return]

    def route(self, platform: str, chat_id: str, **kw: object) -> None:
        put_route(
            self.copilot.db, Route(platform=platform, chat_id=chat_id, community=COMMUNITY, **kw)
        )  # type: ignore[arg-type]

    async def post(self, path: str, req: h.Req, method: str = "POST") -> httpx.Response:
        res = await self.client.request(
            method, path, content=req.body, headers=req.headers, params=req.query
        )
        await self.worker.drain()  # the answer is produced after the ack
        return res


def reset_tables(copilot: Copilot) -> None:
    with copilot.db.session() as s:
        for table in (InboundEventRow, ReviewRow, RouteRow, KeptValueRow):
            s.execute(delete(table))


@pytest.fixture
async def e2e(
    e2e_copilot: Copilot,
    fake_platform: FakePlatform,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> AsyncIterator[Harness]:
    platform_env(monkeypatch, fake_platform.url)
    monkeypatch.chdir(Path(__file__).parent)  # no stray .env is read
    reset_tables(e2e_copilot)
    app = create_app(e2e_copilot.settings, e2e_copilot)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            yield Harness(app, c, fake_platform, e2e_copilot)
