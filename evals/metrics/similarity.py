"""Semantic similarity with the copilot's embedder (cosine of L2-normalised vectors).

The default embedder is the offline multilingual USE model the copilot itself uses, so the
metric works with no network and across Chinese and English. It loads lazily, once, on the
first case that has a `reference`; tests inject a small fake.
"""

from __future__ import annotations

import threading
from typing import Any, Protocol

import numpy as np


class TextEmbedder(Protocol):
    def embed(self, texts: list[str]) -> Any: ...


class Similarity:
    """cosine(embed(candidate), embed(reference)), clipped to [0, 1]. Thread-safe, memoised."""

    def __init__(self, embedder: TextEmbedder | None = None) -> None:
        self._embedder = embedder
        self._lock = threading.Lock()
        self._failed: str | None = None

    def _get(self) -> TextEmbedder | None:
        if self._embedder is None and self._failed is None:
            with self._lock:
                if self._embedder is None and self._failed is None:
                    try:
                        from copilot.config import Settings
                        from copilot.embeddings.factory import build_embedder

                        self._embedder = build_embedder(Settings(embedder="use"))
                    except Exception as exc:  # the metric is optional: report, never crash
                        self._failed = f"embedder unavailable: {exc}"
        return self._embedder

    @property
    def unavailable(self) -> str | None:
        self._get()
        return self._failed

    def __call__(self, candidate: str, reference: str) -> float | None:
        embedder = self._get()
        if embedder is None or not candidate.strip() or not reference.strip():
            return None if embedder is None else 0.0
        with self._lock:  # embedders are not guaranteed to be thread-safe
            vectors = np.asarray(embedder.embed([candidate, reference]), dtype=np.float64)
        a, b = vectors[0], vectors[1]
        denom = float(np.linalg.norm(a) * np.linalg.norm(b)) or 1.0
        return max(0.0, min(1.0, float(a @ b) / denom))
