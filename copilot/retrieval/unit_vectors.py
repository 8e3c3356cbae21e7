"""Unit vectors at rest: float16 bytes, half the size of float32 and plenty for a cosine."""

from __future__ import annotations

import numpy as np

from copilot.embeddings import Vectors


def pack_vectors(vectors: Vectors) -> bytes:
    return np.ascontiguousarray(vectors, dtype=np.float16).tobytes()


def unpack_vectors(data: bytes, dimension: int) -> Vectors:
    """(n, dimension) float32 vectors from `pack_vectors` bytes (n = 0 for no bytes)."""
    flat = np.frombuffer(data or b"", dtype=np.float16)
    return flat.reshape(-1, dimension).astype(np.float32)
