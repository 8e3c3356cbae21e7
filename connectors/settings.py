"""Per-platform settings from ``COPILOT_<PLATFORM>_*`` environment variables (and ``.env``).

A platform is *enabled* when its required secrets are set; setting only some of them is a
configuration mistake and ``missing()`` names what is absent. Secrets have no defaults.
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


def _config(prefix: str) -> SettingsConfigDict:
    return SettingsConfigDict(env_prefix=prefix, env_file=".env", extra="ignore")


class _PlatformSettings(BaseSettings):
    _required: ClassVar[tuple[str, ...]] = ()

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


class SlackSettings(_PlatformSettings):
    model_config = _config("COPILOT_SLACK_")
    _required: ClassVar[tuple[str, ...]] = ("signing_secret", "bot_token")
    signing_secret: SecretStr | None = None
    bot_token: SecretStr | None = None
    bot_user_id: str | None = Field(default=None, description="Else learned from auth.test.")
    api_url: str = "https://slack.com/api/"


class TelegramSettings(_PlatformSettings):
    model_config = _config("COPILOT_TELEGRAM_")
    _required: ClassVar[tuple[str, ...]] = ("bot_token", "secret_token")
    bot_token: SecretStr | None = None
    secret_token: SecretStr | None = Field(default=None, description="setWebhook secret_token.")
    bot_username: str | None = Field(default=None, description="Else learned from getMe.")
    api_url: str = "https://api.telegram.org"


class DiscordSettings(_PlatformSettings):
    model_config = _config("COPILOT_DISCORD_")
    _required: ClassVar[tuple[str, ...]] = ("public_key",)
    public_key: str | None = Field(default=None, description="Application public key (hex).")
    application_id: str | None = None
    bot_token: SecretStr | None = Field(default=None, description="Only for send() to channels.")
    api_url: str = "https://discord.com/api/v10"
    max_skew_seconds: int = 300


class FeishuSettings(_PlatformSettings):
    model_config = _config("COPILOT_FEISHU_")
    # The encrypt key is required: without it Feishu signs nothing and the only check is a
    # verification token that travels in clear inside every body.
    _required: ClassVar[tuple[str, ...]] = (
        "app_id",
        "app_secret",
        "verification_token",
        "encrypt_key",
    )
    app_id: str | None = None
    app_secret: SecretStr | None = None
    verification_token: SecretStr | None = None
    encrypt_key: SecretStr | None = None
    bot_open_id: str | None = Field(default=None, description="Else learned from bot/v3/info.")
    api_url: str = Field(default="https://open.feishu.cn", description="Lark: open.larksuite.com")
    max_skew_seconds: int = 300


class WecomSettings(_PlatformSettings):
    model_config = _config("COPILOT_WECOM_")
    _required: ClassVar[tuple[str, ...]] = ("token", "encoding_aes_key")
    token: SecretStr | None = None
    encoding_aes_key: SecretStr | None = None
    corp_id: str | None = Field(default=None, description="ReceiveId of the self-built app.")
    corp_secret: SecretStr | None = Field(default=None, description="App secret, for DM replies.")
    agent_id: str | None = None
    bot_name: str | None = Field(default=None, description="Intelligent robot's display name.")
    webhook_key: SecretStr | None = Field(default=None, description="Default group robot key.")
    api_url: str = "https://qyapi.weixin.qq.com"
    max_skew_seconds: int = 300


class DingtalkSettings(_PlatformSettings):
    model_config = _config("COPILOT_DINGTALK_")
    _required: ClassVar[tuple[str, ...]] = ("app_secret",)
    app_secret: SecretStr | None = None
    webhook_secret: SecretStr | None = Field(default=None, description="Custom robot 加签 secret.")
    api_url: str = "https://oapi.dingtalk.com"


class ConnectorSettings(BaseModel):
    """All six platforms; embed in the app's settings or build standalone from the env."""

    slack: SlackSettings = Field(default_factory=SlackSettings)
    telegram: TelegramSettings = Field(default_factory=TelegramSettings)
    discord: DiscordSettings = Field(default_factory=DiscordSettings)
    feishu: FeishuSettings = Field(default_factory=FeishuSettings)
    wecom: WecomSettings = Field(default_factory=WecomSettings)
    dingtalk: DingtalkSettings = Field(default_factory=DingtalkSettings)


def require(value: SecretStr | str | None, env_name: str) -> str:
    """The plain value of a required setting, or a clear error naming the variable."""
    plain = value.get_secret_value() if isinstance(value, SecretStr) else value
    if not plain:
        raise ValueError(f"{env_name} is not set")
    return plain
