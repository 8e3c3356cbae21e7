"""A scriptable in-process model for tests: queue replies or errors, inspect what was sent."""

from __future__ import annotations

from langchain_core.messages import BaseMessage

from copilot.llm import LlmError, LlmReply


class FakeLLM:
    def __init__(self, replies: list[str | Exception] | None = None, name: str = "fake") -> None:
        self.name = name
        self.replies: list[str | Exception] = list(replies or [])
        self.calls: list[list[BaseMessage]] = []

    def enqueue(self, *replies: str | Exception) -> None:
        self.replies.extend(replies)

    def complete(self, messages: list[BaseMessage], *, json_mode: bool = False) -> LlmReply:
        self.calls.append(messages)
        if not self.replies:
            raise LlmError("fake model has no scripted reply left")
        reply = self.replies.pop(0)
        if isinstance(reply, Exception):
            raise LlmError(str(reply)) from reply
        return LlmReply(reply, self.name, {"prompt_tokens": 10, "completion_tokens": 5})
