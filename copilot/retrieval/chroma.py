"""The Chroma adapter of the vector store port: one collection per community (isolation and
speed; no `where` filters on the query path)."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from typing import Any

import chromadb
import numpy as np
from chromadb.config import Settings as ChromaSettings

from copilot.config import Settings
from copilot.embeddings import Vectors
from copilot.retrieval.exact import EXACT_MAX, ExactIndex, ExactIndexes
from copilot.retrieval.vector_store import check_embedder, collection_name

UPSERT_BATCH = 2000


def connect(settings: Settings) -> Any:
    """Embedded PersistentClient in the data dir, or HttpClient when COPILOT_CHROMA_URL is set."""
    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_url:
        from urllib.parse import urlparse

        url = urlparse(settings.chroma_url)
        return chromadb.HttpClient(
            host=url.hostname or "127.0.0.1",
            port=url.port or (443 if url.scheme == "https" else 8000),
            ssl=url.scheme == "https",
            settings=chroma_settings,
        )
    settings.chroma_path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(settings.chroma_path), settings=chroma_settings)


class _SharedOrAlone:
    """Many operations at once, or a reconnect alone (the stdlib has no readers-writer lock).
    A waiting reconnect goes before new operations, so a stream of queries cannot starve it."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._active = 0
        self._alone = False

    @contextlib.contextmanager
    def shared(self) -> Iterator[None]:
        with self._cond:
            self._cond.wait_for(lambda: not self._alone)
            self._active += 1
        try:
            yield
        finally:
            with self._cond:
                self._active -= 1
                self._cond.notify_all()

    @contextlib.contextmanager
    def alone(self) -> Iterator[None]:
        with self._cond:
            self._cond.wait_for(lambda: not self._alone)
            self._alone = True
            self._cond.wait_for(lambda: self._active == 0)
        try:
            yield
        finally:
            with self._cond:
                self._alone = False
                self._cond.notify_all()


class ChromaVectorStore:
    """Upsert, delete and query vectors of one community; checks the embedder that built them."""

    def __init__(
        self, client: Any, embedder_name: str, reconnect: Callable[[], Any] | None = None
    ) -> None:
        """`reconnect` opens a new client (an embedded one is reopened by ``refresh``)."""
        self._client = client
        self._embedder = embedder_name
        self._reconnect = reconnect
        self._collections: dict[str, Any] = {}
        self._counts: dict[str, int] = {}
        self._exact = ExactIndexes()  # small communities, searched in memory
        self._gate = _SharedOrAlone()

    def refresh(self) -> None:
        """See what other processes wrote since. An embedded client keeps each collection's
        HNSW index in memory and never rereads it, so it is closed and reopened; a server's
        client only forgets its cached collections (another process may have recreated one)."""
        with self._gate.alone():
            self._collections.clear()
            self._counts.clear()
            self._exact.forget()
            if self._reconnect is not None:
                close = getattr(self._client, "close", None)
                if close is not None:
                    close()
                self._client = self._reconnect()

    def _collection(self, community: str, *, create: bool) -> Any | None:
        if community in self._collections:
            return self._collections[community]
        name = collection_name(community)
        if create:
            collection = self._client.get_or_create_collection(
                name,
                metadata={
                    "embedder": self._embedder,
                    "community": community,
                    "hnsw:space": "cosine",
                },
                embedding_function=None,
            )
        else:
            try:
                collection = self._client.get_collection(name, embedding_function=None)
            except Exception:  # chroma raises NotFoundError / ValueError depending on mode
                return None
        check_embedder(community, (collection.metadata or {}).get("embedder"), self._embedder)
        self._collections[community] = collection
        return collection

    def check(self, community: str) -> None:
        """Raise EmbedderMismatchError early when the stored vectors come from another model."""
        with self._gate.shared():
            self._collection(community, create=False)

    def upsert(
        self, community: str, ids: list[str], vectors: Vectors, metadatas: list[dict[str, Any]]
    ) -> None:
        with self._gate.shared():
            collection = self._collection(community, create=True)
            assert collection is not None
            self._counts.pop(community, None)
            self._exact.forget(community)
            for i in range(0, len(ids), UPSERT_BATCH):
                collection.upsert(
                    ids=ids[i : i + UPSERT_BATCH],
                    embeddings=vectors[i : i + UPSERT_BATCH].tolist(),
                    metadatas=metadatas[i : i + UPSERT_BATCH],
                )
            self._exact.forget(community)  # and any search that read during the write

    def delete(self, community: str, ids: list[str]) -> None:
        with self._gate.shared():
            collection = self._collection(community, create=False)
            self._counts.pop(community, None)
            self._exact.forget(community)
            if collection is not None and ids:
                for i in range(0, len(ids), UPSERT_BATCH):
                    collection.delete(ids=ids[i : i + UPSERT_BATCH])
            self._exact.forget(community)

    def ids_of_source(self, community: str, source: str) -> set[str]:
        # Only used on re-ingest of one file, so the slower filtered path is acceptable here.
        with self._gate.shared():
            collection = self._collection(community, create=False)
            if collection is None:
                return set()
            return set(collection.get(where={"source": source}, include=[])["ids"])

    def query(self, community: str, vector: Vectors, k: int) -> list[tuple[str, float]]:
        """Top-k (chunk id, cosine similarity) for one query vector."""
        with self._gate.shared():
            collection = self._collection(community, create=False)
            if collection is None:
                return []
            count = self._counts.get(community)
            # Counting costs a round trip, so it is cached; a small count is re-read, since
            # another process (API workers on one Chroma server) may have added vectors since.
            if count is None or count < k:
                count = self._counts[community] = collection.count()
            if count == 0:
                return []
            if count <= EXACT_MAX:
                return self._exact_index(community, collection).top(vector, k)
            result = collection.query(
                query_embeddings=[vector.tolist()], n_results=min(k, count), include=["distances"]
            )
        return [
            (cid, 1.0 - float(d))
            for cid, d in zip(result["ids"][0], result["distances"][0], strict=True)
        ]

    def vectors_of(self, community: str) -> tuple[list[str], Vectors]:
        with self._gate.shared():
            collection = self._collection(community, create=False)
            if collection is None:
                return [], np.zeros((0, 0), dtype=np.float32)
            stored = collection.get(include=["embeddings"])
        ids = list(stored["ids"])
        if not ids:
            return [], np.zeros((0, 0), dtype=np.float32)
        return ids, np.asarray(stored["embeddings"], dtype=np.float32)

    def _exact_index(self, community: str, collection: Any) -> ExactIndex:
        found = self._exact.get(community)
        if found is None:
            version = self._exact.version()
            stored = collection.get(include=["embeddings"])
            found = self._exact.put(community, version, stored["ids"], stored["embeddings"])
        return found

    def count(self, community: str) -> int:
        with self._gate.shared():
            collection = self._collection(community, create=False)
            return 0 if collection is None else int(collection.count())

    def drop(self, community: str) -> None:
        with self._gate.shared():
            self._collections.pop(community, None)
            self._counts.pop(community, None)
            self._exact.forget(community)
            with contextlib.suppress(Exception):  # not found: nothing to drop
                self._client.delete_collection(collection_name(community))
