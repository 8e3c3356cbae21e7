"""Any OpenAI-compatible chat endpoint (OpenAI, DeepSeek, Qwen, vLLM, Ollama, llama.cpp server)."""

from __future__ import annotations

import openai
from langchain_core.messages import BaseMessage
from langchain_openai import ChatOpenAI
from tenacity import (
    RetryError,
    retry,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential,
)

from copilot.llm import LlmError, LlmReply

# Errors worth another try; anything else (bad request, auth) fails fast to the fallback.
TRANSIENT = (
    openai.APIConnectionError,
    openai.APITimeoutError,
    openai.RateLimitError,
    openai.InternalServerError,
)


class OpenAICompatLLM:
    """LangChain's ChatOpenAI with our timeout and tenacity retries (its own retries off)."""

    def __init__(
        self,
        *,
        base_url: str,
        api_key: str,
        model: str,
        timeout_s: float,
        max_retries: int,
        temperature: float,
    ) -> None:
        self.name = model
        self._max_retries = max_retries
        self._chat = ChatOpenAI(
            base_url=base_url,
            api_key=api_key or "none",  # type: ignore[arg-type]
            model=model,
            timeout=timeout_s,
            max_retries=0,
            temperature=temperature,
        )

    def complete(self, messages: list[BaseMessage], *, json_mode: bool = False) -> LlmReply:
        chat = self._chat.bind(response_format={"type": "json_object"}) if json_mode else self._chat

        @retry(
            retry=retry_if_exception_type(TRANSIENT),
            stop=stop_after_attempt(self._max_retries + 1),
            wait=wait_exponential(multiplier=0.2, max=2),
            reraise=True,
        )
        def call() -> LlmReply:
            message = chat.invoke(messages)
            usage = getattr(message, "usage_metadata", None) or {}
            return LlmReply(
                text=str(message.content),
                model=str(message.response_metadata.get("model_name") or self.name),
                usage={
                    "prompt_tokens": int(usage.get("input_tokens", 0)),
                    "completion_tokens": int(usage.get("output_tokens", 0)),
                },
            )

        try:
            return call()
        except (openai.OpenAIError, RetryError, ValueError) as exc:
            raise LlmError(f"{type(exc).__name__}: {exc}") from exc
