"""The one Settings object. Nothing else in the core reads the environment."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Runtime configuration, read from `COPILOT_*` environment variables and `.env`."""

    model_config = SettingsConfigDict(
        env_prefix="COPILOT_", env_file=".env", extra="ignore", frozen=True
    )

    data_dir: Path = Field(default=Path("data"), description="Where all state lives.")

    # LLM port. An empty base URL means offline mode (the deterministic engine).
    llm_provider: Literal["auto", "offline", "openai", "llamacpp", "fake"] = "auto"
    llm_base_url: str = ""
    llm_api_key: SecretStr | None = None
    llm_model: str = "gpt-4o-mini"
    llm_timeout_s: float = 30.0
    llm_max_retries: int = 2
    llm_temperature: float = 0.2
    llamacpp_model_path: str = ""

    # Embeddings. "use" = Universal Sentence Encoder multilingual (offline, bundled).
    embedder: Literal["use", "openai"] = "use"
    embedding_base_url: str = ""
    embedding_api_key: SecretStr | None = None
    embedding_model: str = "text-embedding-3-small"

    # Storage.
    chroma_url: str = Field(default="", description="Empty = embedded Chroma in data_dir.")
    database_url: str = Field(default="", description="Empty = SQLite in data_dir.")

    # Retrieval and answering.
    top_k: int = Field(default=5, ge=1, le=50)
    candidate_k: int = Field(default=30, ge=1, le=200)
    rrf_k: int = Field(default=60, ge=1)
    handoff_threshold: float | None = Field(
        default=None,
        ge=0.0,
        le=1.0,
        description="Confidence below which the copilot hands off; empty = the fitted model's.",
    )
    context_token_budget: int = Field(default=1800, ge=200)
    chunk_tokens: int = Field(default=220, ge=50, le=2000)

    # Ingestion and input limits.
    max_file_mb: float = Field(default=50.0, gt=0)
    writer_lock_timeout_s: float = Field(
        default=600.0, gt=0, description="How long a write waits for another writer's turn."
    )
    upload_job_mb: float = Field(
        default=1.0,
        ge=0,
        description="Uploads over this size are ingested as a job (202 + id to poll); 0 = all.",
    )
    max_question_chars: int = Field(default=2000, ge=10)
    redact_chat: bool = True
    connector_event_retention_days: float = Field(
        default=7.0,
        gt=0.04,  # past DingTalk's one-hour sign window: a replay is still recognised
        description="Days a handled webhook event stays as a dedupe key (without its text).",
    )

    # HTTP API (copilot serve). The admin token may manage API keys of any community.
    admin_token: SecretStr | None = Field(default=None, description="Bootstrap admin token.")
    api_rate_per_minute: int = Field(default=120, ge=0, description="Per key; 0 = no limit.")
    api_rate_burst: int = Field(default=30, ge=1)
    api_max_body_kb: int = Field(default=1024, ge=1, description="JSON request bodies.")
    api_max_batch: int = Field(default=1000, ge=1, description="Chat messages per request.")
    readers: int | None = Field(
        default=None,
        ge=0,
        le=64,
        description=(
            "Processes answering skill calls for `copilot serve` (0 = the server process); "
            "empty = one per core in offline mode, 0 with an LLM."
        ),
    )
    console_session_hours: float = Field(
        default=12.0, gt=0, le=24 * 30, description="How long a console sign-in lasts."
    )

    @property
    def offline(self) -> bool:
        """True when no LLM is configured: the deterministic engine answers."""
        if self.llm_provider == "auto":
            return not self.llm_base_url
        return self.llm_provider == "offline"

    @cached_property
    def sqlite_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'copilot.db'}"

    @property
    def chroma_path(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def cache_path(self) -> Path:
        """What the embedder and jieba build at start-up, kept between runs (may be deleted)."""
        return self.data_dir / "cache"

    @property
    def snapshot_path(self) -> Path:
        """Exact vector snapshots of small communities, derived from Chroma (may be deleted)."""
        return self.data_dir / "snapshots"
