"""The retriever port the skills depend on; ``HybridRetriever`` is the implementation."""

from __future__ import annotations

from typing import Protocol

from copilot.retrieval.hybrid import Retrieval


class Retriever(Protocol):
    """Searches one community's knowledge; never another community's."""

    def search(
        self, community: str, query: str, *, top_k: int | None = None, kind: str | None = None
    ) -> Retrieval:
        """Ranked chunks (of one `kind`: playbook or chat, when given) and a confidence."""
        ...

    def prefetch(self, queries: list[str]) -> None:
        """Get ready for these queries at once (embed them in one batch); optional work."""
        ...
