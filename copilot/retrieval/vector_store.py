"""The vector store port: what retrieval and indexing need from a vector database.

One collection per community (isolation, and no slow metadata filters on the query path).
Adapters: ``chroma.ChromaVectorStore`` (embedded or server) and ``memory.MemoryVectorStore``
(numpy, in process); both pass ``tests/retrieval/conformance.py``, and so does
``snapshot_store.SnapshotVectorStore``, which puts snapshot files in front of an embedded store.
"""

from __future__ import annotations

import hashlib
from typing import Any, Protocol

from copilot.embeddings import EmbedderMismatchError, Vectors


class VectorStore(Protocol):
    """Vectors of one embedder, per community. Ids are chunk ids; scores cosine similarity."""

    def check(self, community: str) -> None:
        """Raise EmbedderMismatchError when the community's vectors come from another embedder."""
        ...

    def upsert(
        self, community: str, ids: list[str], vectors: Vectors, metadatas: list[dict[str, Any]]
    ) -> None:
        """Add or replace vectors; each metadata carries at least its chunk's ``source``."""
        ...

    def delete(self, community: str, ids: list[str]) -> None:
        """Remove vectors by id; unknown ids are ignored."""
        ...

    def ids_of_source(self, community: str, source: str) -> set[str]:
        """Ids of every vector stored for one source (to find orphans after a crash)."""
        ...

    def query(self, community: str, vector: Vectors, k: int) -> list[tuple[str, float]]:
        """The top-k (id, cosine similarity) for one query vector, best first."""
        ...

    def count(self, community: str) -> int:
        """How many vectors the community has."""
        ...

    def vectors_of(self, community: str) -> tuple[list[str], Vectors]:
        """Every id of the community and its vector (rows in the ids' order): what a snapshot
        of a small community copies."""
        ...

    def drop(self, community: str) -> None:
        """Remove the community's vectors altogether (nothing to drop is fine)."""
        ...

    def refresh(self) -> None:
        """See the writes other processes made since this store was opened (the retriever
        calls it when a community's index generation moved)."""
        ...


def check_embedder(community: str, built_by: str | None, current: str) -> None:
    """Every adapter's refusal to mix vector spaces, in the same words."""
    if built_by and built_by != current:
        raise EmbedderMismatchError(
            f"community '{community}' was indexed with the embedder '{built_by}', but the "
            f"current settings use '{current}'. Switch COPILOT_EMBEDDER back, or "
            f"rebuild the index with `copilot reindex --community {community}`."
        )


def collection_name(community: str) -> str:
    """The community's collection (and snapshot folder) name."""
    # Chroma names allow [a-zA-Z0-9._-] and must end alphanumeric; the hash keeps ids
    # that differ only in case (or length limits) from ever sharing a collection.
    digest = hashlib.sha1(community.encode()).hexdigest()[:8]
    return f"cc-{community}-{digest}"
