"""A deterministic embedder for tests: hashed words and character pairs, no model to load.

Texts sharing words (or, for Chinese, characters and character pairs) get close vectors, so
retrieval and the skills behave sensibly in unit tests without the USE model; it knows no
synonyms and no second language. Never a production embedder.
"""

from __future__ import annotations

import hashlib
import re
from itertools import pairwise

import numpy as np

from copilot.embeddings import Vectors

_WORD = re.compile(r"[a-z0-9]+|[\u4e00-\u9fff]")


class HashingEmbedder:
    name = "hashing-256"
    dimension = 256

    def embed(self, texts: list[str]) -> Vectors:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            tokens = _WORD.findall(text.lower())
            features = tokens + [a + b for a, b in pairwise(tokens)]
            for feature in features or ["∅"]:  # an empty text still gets a unit vector
                digest = hashlib.blake2b(feature.encode(), digest_size=8).digest()
                index = int.from_bytes(digest[:4], "little") % self.dimension
                out[row, index] += 1.0 if digest[4] & 1 else -1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-12)
