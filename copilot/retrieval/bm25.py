"""BM25 over jieba tokens, rebuilt from the SQL chunk table and cached per community."""

from __future__ import annotations

import logging
import math
from functools import cached_property

import bm25s
import numpy as np

from copilot.text import has_han

logging.getLogger("bm25s").setLevel(logging.WARNING)
_EMPTY = "\u2400"  # what an empty document holds instead (jieba never yields it: no word char)


class Bm25Index:
    """An immutable BM25 index of one community's chunks."""

    def __init__(self, ids: list[str], token_lists: list[list[str]]) -> None:
        self.ids = ids
        self._df: dict[str, int] = {}
        self._model: bm25s.BM25 | None = None
        if ids and any(token_lists):
            self._model = bm25s.BM25()
            # An empty document would make bm25s drop the row; a placeholder keeps ids aligned.
            self._model.index([t or [_EMPTY] for t in token_lists], show_progress=False)
            # Document frequencies as bm25s counted them: one stored score per document that
            # holds the token (every BM25 score of a present token is positive). Counting them
            # again in Python cost a quarter of building the index.
            per_token = np.diff(self._model.scores["indptr"])
            self._df = {
                token: int(per_token[i])
                for token, i in self._model.vocab_dict.items()
                if token not in ("", _EMPTY) and per_token[i]
            }
        self._vocab = self._df.keys()

    def search(self, query_tokens: list[str], k: int) -> list[tuple[str, float]]:
        """Top-k (chunk id, BM25 score) with a positive score."""
        known = [t for t in query_tokens if t in self._vocab]
        if self._model is None or not known:
            return []
        scores = np.asarray(self._model.get_scores(known))
        # Only chunks holding a query word can be hits: select among those (a few thousand of
        # 100k), not the whole array, which cost 0.3 ms at 100k chunks and 3 ms at 1M.
        held = np.flatnonzero(scores > 0)
        if k < len(held):
            kth = -np.partition(-scores[held], k - 1)[k - 1]  # the k-th best score
            above = held[scores[held] > kth]
            at = held[scores[held] == kth][: k - len(above)]  # ties: in id order
            held = np.concatenate([above, at])
        top = held[np.argsort(-scores[held], kind="stable")]  # ties in id order
        return [(self.ids[i], float(scores[i])) for i in top]

    def idf(self, token: str) -> float:
        """BM25's idf; a token the community never wrote gets the highest weight of all."""
        n = len(self.ids)
        df = self._df.get(token, 0)
        return math.log((n - df + 0.5) / (df + 0.5) + 1.0)

    @cached_property
    def writes_chinese(self) -> bool:
        """Whether any chunk holds a Chinese word (else Chinese translations are no use)."""
        return any(has_han(t) for t in self._vocab)

    @cached_property
    def writes_latin(self) -> bool:
        """Whether any chunk holds a word in Latin letters."""
        return any(t.isascii() and t.isalpha() for t in self._vocab)

    def knows(self, token: str) -> bool:
        """Whether any chunk of the community contains `token`."""
        return token in self._vocab

    @property
    def vocabulary_size(self) -> int:
        return len(self._vocab)
