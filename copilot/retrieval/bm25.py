"""BM25 over jieba tokens, rebuilt from the SQL chunk table and cached per community."""

from __future__ import annotations

import logging

import bm25s
import numpy as np

logging.getLogger("bm25s").setLevel(logging.WARNING)


class Bm25Index:
    """An immutable BM25 index of one community's chunks."""

    def __init__(self, ids: list[str], token_lists: list[list[str]]) -> None:
        self.ids = ids
        self._vocab: set[str] = {t for tokens in token_lists for t in tokens}
        self._model: bm25s.BM25 | None = None
        if ids and self._vocab:
            self._model = bm25s.BM25()
            # An empty document would make bm25s drop the row; a placeholder keeps ids aligned.
            self._model.index([t or ["\u2400"] for t in token_lists], show_progress=False)

    def search(self, query_tokens: list[str], k: int) -> list[tuple[str, float]]:
        """Top-k (chunk id, BM25 score) with a positive score."""
        known = [t for t in query_tokens if t in self._vocab]
        if self._model is None or not known:
            return []
        scores = np.asarray(self._model.get_scores(known))
        top = np.argsort(-scores, kind="stable")[:k]
        return [(self.ids[i], float(scores[i])) for i in top if scores[i] > 0]
