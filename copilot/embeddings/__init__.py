"""Embedder port: turns texts into unit vectors. One adapter per vendor."""

from __future__ import annotations

from typing import Protocol

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float32]


class Embedder(Protocol):
    """Anything that embeds texts. `name` identifies the vector space it produces."""

    name: str
    dimension: int

    def embed(self, texts: list[str]) -> Vectors:
        """Return an (n, dimension) float32 array of L2-normalised vectors."""
        ...


class EmbedderMismatchError(RuntimeError):
    """A collection was built by one embedder and queried with another."""
