from __future__ import annotations

import logging
from pathlib import Path

import pytest

from connectors import ConnectorSettings, build_connectors
from connectors.http import install_log_redaction
from connectors.platforms.dingtalk import DingtalkSettings
from connectors.platforms.discord import DiscordSettings
from connectors.platforms.feishu import FeishuSettings
from connectors.platforms.slack import SlackSettings
from connectors.platforms.telegram import TelegramSettings
from connectors.platforms.wecom import WecomSettings
from tests.connectors.helpers import DISCORD_PUBLIC_HEX, WECOM_KEY


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import os

    for name in list(os.environ):
        if name.startswith("COPILOT_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)  # no stray .env


def test_nothing_configured_builds_nothing() -> None:
    assert build_connectors() == {}


def test_defaults_are_the_real_api_urls_and_no_secrets() -> None:
    s = ConnectorSettings()
    assert s.slack.api_url == "https://slack.com/api/"
    assert s.telegram.api_url == "https://api.telegram.org"
    assert s.discord.api_url == "https://discord.com/api/v10"
    assert s.feishu.api_url == "https://open.feishu.cn"
    assert s.wecom.api_url == "https://qyapi.weixin.qq.com"
    assert s.dingtalk.api_url == "https://oapi.dingtalk.com"
    assert not any(getattr(s, p).configured for p in ("slack", "telegram", "discord"))


def test_env_enables_platforms_and_hides_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    env = {
        "COPILOT_SLACK_SIGNING_SECRET": "sig",
        "COPILOT_SLACK_BOT_TOKEN": "xoxb-1",
        "COPILOT_SLACK_API_URL": "http://127.0.0.1:1/api/",
        "COPILOT_TELEGRAM_BOT_TOKEN": "1:abc",
        "COPILOT_TELEGRAM_SECRET_TOKEN": "s",
        "COPILOT_DISCORD_PUBLIC_KEY": DISCORD_PUBLIC_HEX,
        "COPILOT_FEISHU_APP_ID": "cli",
        "COPILOT_FEISHU_APP_SECRET": "sec",
        "COPILOT_FEISHU_VERIFICATION_TOKEN": "vt",
        "COPILOT_FEISHU_ENCRYPT_KEY": "ek",
        "COPILOT_WECOM_TOKEN": "t",
        "COPILOT_WECOM_ENCODING_AES_KEY": WECOM_KEY,
        "COPILOT_DINGTALK_APP_SECRET": "ds",
    }
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    built = build_connectors()
    assert sorted(built) == ["dingtalk", "discord", "feishu", "slack", "telegram", "wecom"]
    assert all(c.platform == name for name, c in built.items())
    assert "xoxb-1" not in repr(ConnectorSettings())


def test_env_file_is_read(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("COPILOT_DINGTALK_APP_SECRET=from-dotenv\n")
    assert list(build_connectors()) == ["dingtalk"]


@pytest.mark.parametrize(
    ("env", "missing"),
    [
        ({"COPILOT_SLACK_SIGNING_SECRET": "x"}, "COPILOT_SLACK_BOT_TOKEN"),
        ({"COPILOT_TELEGRAM_BOT_TOKEN": "1:a"}, "COPILOT_TELEGRAM_SECRET_TOKEN"),
        (
            {"COPILOT_FEISHU_APP_ID": "cli", "COPILOT_FEISHU_APP_SECRET": "s"},
            "COPILOT_FEISHU_ENCRYPT_KEY",
        ),
        ({"COPILOT_WECOM_TOKEN": "t"}, "COPILOT_WECOM_ENCODING_AES_KEY"),
    ],
)
def test_partly_configured_platform_names_what_is_missing(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], missing: str
) -> None:
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    with pytest.raises(ValueError, match=missing):
        build_connectors()


def test_every_platform_reports_its_required_variables() -> None:
    for cls in (
        SlackSettings,
        TelegramSettings,
        DiscordSettings,
        FeishuSettings,
        WecomSettings,
        DingtalkSettings,
    ):
        missing = cls(_env_file=None).missing()  # type: ignore[call-arg]
        assert missing and all(m.startswith("COPILOT_") and m.isupper() for m in missing)


def test_bad_key_material_fails_at_startup(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COPILOT_WECOM_TOKEN", "t")
    monkeypatch.setenv("COPILOT_WECOM_ENCODING_AES_KEY", "too-short")
    with pytest.raises(ValueError, match="EncodingAESKey"):
        build_connectors()


def test_secrets_in_logged_urls_are_masked(caplog: pytest.LogCaptureFixture) -> None:
    install_log_redaction()
    with caplog.at_level(logging.INFO, logger="httpx"):
        logging.getLogger("httpx").info(
            'HTTP Request: POST %s "HTTP/1.1 200 OK"',
            "https://api.telegram.org/bot123:AAH-secret/sendMessage?x=1&key=WEBHOOKKEY&session=S1",
        )
    assert (
        "AAH-secret" not in caplog.text
        and "WEBHOOKKEY" not in caplog.text
        and "S1" not in caplog.text
    )
    assert "/bot***/sendMessage" in caplog.text
