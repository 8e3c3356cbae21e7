"""Builds the configured embedder."""

from __future__ import annotations

from copilot.config import Settings
from copilot.embeddings import Embedder


def build_embedder(settings: Settings) -> Embedder:
    if settings.embedder == "openai":
        from copilot.embeddings.openai_compat import OpenAIEmbedder

        key = settings.embedding_api_key or settings.llm_api_key
        return OpenAIEmbedder(
            base_url=settings.embedding_base_url or settings.llm_base_url,
            api_key=key.get_secret_value() if key else "",
            model=settings.embedding_model,
            timeout_s=settings.llm_timeout_s,
        )
    from copilot.embeddings.use import UseEmbedder

    return UseEmbedder(cache_dir=settings.cache_path)
