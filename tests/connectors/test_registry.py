"""A platform is one module in connectors/platforms plus its tests: everything else that lists
platforms (settings, webhook routes, CLI choices, the conformance matrix) follows from it."""

from __future__ import annotations

import importlib
import inspect
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from connectors import ConnectorSettings, build_connectors, platforms
from connectors.registry import connector_classes, platform_names
from copilot.api import create_app
from copilot.cli import app as cli
from copilot.service import Copilot
from tests.connectors.conformance import ConnectorConformance

ECHO = '''
    """A made-up platform: a shared secret in a header, JSON events, replies recorded."""

    from collections.abc import Mapping, Sequence
    from typing import ClassVar

    from pydantic import SecretStr

    from connectors.base import (
        Connector, InboundMessage, ParseResult, VerificationError, Webhook, load_json, lower_keys
    )
    from connectors.settings import PlatformSettings, platform_config, require

    SENT: list[str] = []


    class EchoSettings(PlatformSettings):
        model_config = platform_config("echo")
        _required: ClassVar[tuple[str, ...]] = ("secret",)
        secret: SecretStr | None = None
        api_url: str = "http://127.0.0.1:9"


    class EchoConnector(Connector):
        platform = "echo"
        settings_model = EchoSettings
        webhook = Webhook("events")

        def __init__(self, settings: EchoSettings, http=None) -> None:
            super().__init__(settings, http)
            self._secret = require(settings.secret, "COPILOT_ECHO_SECRET")

        def verify(self, headers, body, query=None, now=None) -> None:
            if lower_keys(headers).get("x-echo-secret") != self._secret:
                raise VerificationError("wrong secret")

        def parse(self, headers, body, query=None) -> ParseResult:
            event = load_json(body)
            return InboundMessage(
                platform="echo", event_id=event["id"], chat_id="c1", chat_type="group",
                message_id=event["id"], user_id="u1", text=event["text"], mentioned=True,
            )

        async def reply(self, msg, text, *, mention: Sequence[str] = ()) -> None:
            SENT.append(text)

        async def send(self, chat_id, text, *, thread_id=None, mention=()) -> None:
            SENT.append(text)

        def mention(self, user_ids: Sequence[str]) -> str:
            return " ".join(f"@{u}" for u in user_ids)
'''


@pytest.mark.parametrize("name", platform_names())
def test_every_platform_passes_the_shared_conformance_suite(name: str) -> None:
    module = importlib.import_module(f"tests.connectors.test_{name}")
    suites = [
        c
        for c in vars(module).values()
        if inspect.isclass(c)
        and issubclass(c, ConnectorConformance)
        and c is not ConnectorConformance
    ]
    assert [s.platform for s in suites] == [name], f"tests/connectors/test_{name}.py needs one"


def test_the_platforms_are_registered_under_their_module_names() -> None:
    assert platform_names() == [
        "dingtalk", "discord", "feishu", "onebot", "qq", "slack", "telegram", "wecom"
    ]  # fmt: skip
    assert all(cls.platform == name for name, cls in connector_classes().items())


@pytest.fixture
def echo_platform(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """connectors/platforms/echo.py, as a new platform's author would add it."""
    folder = tmp_path / "more_platforms"
    folder.mkdir()
    (folder / "echo.py").write_text(textwrap.dedent(ECHO), encoding="utf-8")
    monkeypatch.setattr(platforms, "__path__", [*platforms.__path__, str(folder)])
    connector_classes.cache_clear()
    yield
    connector_classes.cache_clear()


def test_a_new_platform_module_is_all_it_takes(
    echo_platform: None, copilot: Copilot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert "echo" in platform_names()
    assert ConnectorSettings().echo.missing() == ["COPILOT_ECHO_SECRET"]
    monkeypatch.setenv("COPILOT_ECHO_SECRET", "s3cret")
    assert "echo" in build_connectors()

    with TestClient(create_app(copilot.settings, copilot)) as client:
        ok = client.post(
            "/connectors/echo/events",
            json={"id": "e1", "text": "hello"},
            headers={"X-Echo-Secret": "s3cret"},
        )
        forged = client.post(
            "/connectors/echo/events",
            json={"id": "e2", "text": "hi"},
            headers={"X-Echo-Secret": "x"},
        )
        paths = client.get("/openapi.json").json()["paths"]
    assert ok.status_code == 200, ok.text
    assert forged.status_code == 401 and forged.json()["error"]["message"] == "wrong secret"
    assert "post" in paths["/connectors/echo/events"]

    monkeypatch.setenv("COPILOT_DATA_DIR", str(copilot.settings.data_dir))
    monkeypatch.chdir(tmp_path)
    added = CliRunner().invoke(
        cli, ["routes", "add", "--platform", "echo", "--chat", "c1", "-c", "readers"]
    )
    assert added.exit_code == 0, added.output
    unknown = CliRunner().invoke(
        cli, ["routes", "add", "--platform", "eccho", "--chat", "c1", "-c", "readers"]
    )
    assert unknown.exit_code == 2 and "choose one of: dingtalk, discord, echo" in unknown.output
