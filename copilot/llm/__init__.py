"""LLM port: one small interface; adapters for OpenAI-compatible APIs, llama.cpp and tests.

Offline mode is not an adapter: with no LLM configured the port is `None` and each skill runs
its deterministic engine. The same engine is the fallback when an adapter raises `LlmError`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # offline mode never loads LangChain
    from langchain_core.messages import BaseMessage


@dataclass(frozen=True)
class LlmReply:
    text: str
    model: str
    usage: dict[str, int] = field(default_factory=dict)


class LlmError(RuntimeError):
    """The model could not answer (down, timed out, refused, or returned garbage)."""


class ChatLLM(Protocol):
    """A chat model. `name` is recorded on every output so evals can compare models."""

    name: str

    def complete(self, messages: list[BaseMessage], *, json_mode: bool = False) -> LlmReply:
        """One completion. Raises LlmError on any failure the caller should fall back from."""
        ...
