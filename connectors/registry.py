"""Build the enabled connectors from settings."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from .base import Connector
from .dingtalk import DingtalkConnector
from .discord import DiscordConnector
from .feishu import FeishuConnector
from .settings import ConnectorSettings
from .slack import SlackConnector
from .telegram import TelegramConnector
from .wecom import WecomConnector


def build_connectors(
    settings: ConnectorSettings | None = None, http: httpx.AsyncClient | None = None
) -> dict[str, Connector]:
    """Connectors keyed by platform name, for every platform whose required secrets are set.

    A platform with only some of its secrets set is a configuration mistake: raise with the
    names of the missing variables instead of silently running without it.
    """
    s = settings or ConnectorSettings()
    factories: dict[str, Callable[[], Connector]] = {
        "slack": lambda: SlackConnector(s.slack, http),
        "telegram": lambda: TelegramConnector(s.telegram, http),
        "discord": lambda: DiscordConnector(s.discord, http),
        "feishu": lambda: FeishuConnector(s.feishu, http),
        "wecom": lambda: WecomConnector(s.wecom, http),
        "dingtalk": lambda: DingtalkConnector(s.dingtalk, http),
    }
    built: dict[str, Connector] = {}
    for name, make in factories.items():
        platform = getattr(s, name)
        if platform.enabled:
            built[name] = make()
        elif platform.configured:
            raise ValueError(
                f"{name} is partly configured; missing: {', '.join(platform.missing())}"
            )
    return built
