"""Embeddings from any OpenAI-compatible `/embeddings` endpoint."""

from __future__ import annotations

import numpy as np

from copilot.embeddings import Vectors

BATCH = 128


class OpenAIEmbedder:
    """Remote embeddings; `name` includes the model so collections never mix spaces."""

    def __init__(self, *, base_url: str, api_key: str, model: str, timeout_s: float = 30) -> None:
        from openai import OpenAI

        self._client = OpenAI(base_url=base_url, api_key=api_key or "none", timeout=timeout_s)
        self._model = model
        self.name = f"openai:{model}"
        self.dimension = 0  # learned from the first response

    def embed(self, texts: list[str]) -> Vectors:
        rows: list[list[float]] = []
        for i in range(0, len(texts), BATCH):
            response = self._client.embeddings.create(model=self._model, input=texts[i : i + BATCH])
            rows.extend(item.embedding for item in sorted(response.data, key=lambda d: d.index))
        vectors = np.asarray(rows, dtype=np.float32).reshape(len(texts), -1)
        self.dimension = vectors.shape[1] if len(texts) else self.dimension
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.maximum(norms, 1e-12)
