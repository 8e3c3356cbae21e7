"""Builds the configured LLM adapter, or None for offline mode."""

from __future__ import annotations

from copilot.config import Settings
from copilot.llm import ChatLLM


def build_llm(settings: Settings) -> ChatLLM | None:
    if settings.offline:
        return None
    if settings.llm_provider == "llamacpp":
        from copilot.llm.llamacpp import LlamaCppLLM

        return LlamaCppLLM(settings.llamacpp_model_path, temperature=settings.llm_temperature)
    if settings.llm_provider == "fake":
        from copilot.llm.fake import FakeLLM

        return FakeLLM()
    from copilot.llm.openai_compat import OpenAICompatLLM

    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else ""
    return OpenAICompatLLM(
        base_url=settings.llm_base_url,
        api_key=key,
        model=settings.llm_model,
        timeout_s=settings.llm_timeout_s,
        max_retries=settings.llm_max_retries,
        temperature=settings.llm_temperature,
    )
