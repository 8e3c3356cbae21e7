"""Per-platform settings from ``COPILOT_<PLATFORM>_*`` environment variables (and ``.env``).

Each platform module declares its own ``PlatformSettings`` subclass; ``ConnectorSettings``
(in ``registry``) holds one of each registered platform. A platform is *enabled* when its
required secrets are set; setting only some of them is a configuration mistake and
``missing()`` names what is absent. Secrets have no defaults.
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


def platform_config(platform: str) -> SettingsConfigDict:
    """Settings read from ``COPILOT_<PLATFORM>_*`` and the ``.env`` file."""
    return SettingsConfigDict(
        env_prefix=f"COPILOT_{platform.upper()}_", env_file=".env", extra="ignore"
    )


class PlatformSettings(BaseSettings):
    """One platform's settings. ``_required`` names the fields that enable it."""

    _required: ClassVar[tuple[str, ...]] = ()
    api_url: str  # the platform API's base URL; tests point it at a fake on 127.0.0.1

    def _is_set(self, name: str) -> bool:
        value = getattr(self, name)
        if isinstance(value, SecretStr):
            value = value.get_secret_value()
        return bool(value)

    def missing(self) -> list[str]:
        """Environment variable names of required settings that are unset."""
        prefix = str(self.model_config.get("env_prefix", ""))
        return [f"{prefix}{n}".upper() for n in self._required if not self._is_set(n)]

    @property
    def configured(self) -> bool:
        """Any required secret set (so the operator meant to enable the platform)."""
        return any(self._is_set(n) for n in self._required)

    @property
    def enabled(self) -> bool:
        return not self.missing()


def require(value: SecretStr | str | None, env_name: str) -> str:
    """The plain value of a required setting, or a clear error naming the variable."""
    plain = value.get_secret_value() if isinstance(value, SecretStr) else value
    if not plain:
        raise ValueError(f"{env_name} is not set")
    return plain
