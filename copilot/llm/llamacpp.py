"""Local GGUF models through llama-cpp-python (extra `[local]`)."""

from __future__ import annotations

from langchain_core.messages import BaseMessage

from copilot.llm import LlmError, LlmReply

ROLES = {"human": "user", "ai": "assistant", "system": "system"}


class LlamaCppLLM:
    def __init__(self, model_path: str, *, temperature: float = 0.2, n_ctx: int = 4096) -> None:
        try:
            from llama_cpp import Llama
        except ImportError as exc:  # the extra is optional: say how to get it
            raise LlmError(
                "llama.cpp is not installed: pip install 'community-copilot[local]'"
            ) from exc
        self.name = f"llamacpp:{model_path.rsplit('/', 1)[-1]}"
        self._temperature = temperature
        self._llm = Llama(model_path=model_path, n_ctx=n_ctx, verbose=False)

    def complete(self, messages: list[BaseMessage], *, json_mode: bool = False) -> LlmReply:
        try:
            out = self._llm.create_chat_completion(
                messages=[
                    {"role": ROLES.get(m.type, "user"), "content": str(m.content)} for m in messages
                ],
                temperature=self._temperature,
                response_format={"type": "json_object"} if json_mode else None,
            )
        except Exception as exc:  # llama.cpp raises plain exceptions
            raise LlmError(str(exc)) from exc
        usage = out.get("usage", {})
        return LlmReply(
            out["choices"][0]["message"]["content"] or "",
            self.name,
            {
                "prompt_tokens": usage.get("prompt_tokens", 0),
                "completion_tokens": usage.get("completion_tokens", 0),
            },
        )
