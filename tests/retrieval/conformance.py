"""The suite every vector store adapter passes: subclass it and say how to open a store.

As langchain's standard tests do for VectorStore: deterministic vectors, the operations the
indexer and the retriever use, and the rules they rely on (one space per community, the
embedder recorded, upserts idempotent, unknown ids harmless).
"""

from __future__ import annotations

import numpy as np
import pytest

from copilot.embeddings import EmbedderMismatchError, Vectors
from copilot.retrieval.vector_store import VectorStore

DIM = 8


def unit(*hot: float) -> Vectors:
    """A unit vector with the given leading components (the rest zero)."""
    v = np.zeros(DIM, dtype=np.float32)
    v[: len(hot)] = hot
    return v / np.linalg.norm(v)


def rows(*vectors: Vectors) -> Vectors:
    return np.vstack(vectors).astype(np.float32)


def meta(source: str, n: int) -> list[dict[str, object]]:
    return [{"source": source, "kind": "playbook"}] * n


class VectorStoreConformance:
    def open(self, embedder: str = "test-embedder") -> VectorStore:
        """A store over this test's database; stores opened in one test share their data."""
        raise NotImplementedError

    def test_query_returns_the_nearest_first_with_cosine_similarity(self) -> None:
        store = self.open()
        store.upsert(
            "club", ["a", "b", "c"], rows(unit(1), unit(1, 1), unit(0, 1)), meta("rules.md", 3)
        )
        hits = store.query("club", unit(1, 0.2), 2)
        assert [cid for cid, _ in hits] == ["a", "b"]
        assert hits[0][1] == pytest.approx(float(unit(1) @ unit(1, 0.2)), abs=1e-4)
        assert hits[0][1] > hits[1][1]

    def test_k_larger_than_the_collection_and_an_unknown_community_are_fine(self) -> None:
        store = self.open()
        assert store.query("nobody", unit(1), 5) == []
        assert store.count("nobody") == 0
        store.upsert("club", ["a"], rows(unit(1)), meta("rules.md", 1))
        assert [cid for cid, _ in store.query("club", unit(1), 10)] == ["a"]

    def test_upserting_again_replaces_instead_of_duplicating(self) -> None:
        store = self.open()
        store.upsert("club", ["a", "b"], rows(unit(1), unit(0, 1)), meta("rules.md", 2))
        store.upsert("club", ["a"], rows(unit(0, 0, 1)), meta("rules.md", 1))
        assert store.count("club") == 2
        assert store.query("club", unit(0, 0, 1), 1)[0][0] == "a"

    def test_delete_and_ids_of_source(self) -> None:
        store = self.open()
        store.upsert("club", ["a", "b"], rows(unit(1), unit(0, 1)), meta("rules.md", 2))
        store.upsert("club", ["c"], rows(unit(1, 1)), meta("faq.md", 1))
        assert store.ids_of_source("club", "rules.md") == {"a", "b"}
        store.delete("club", ["a", "never-stored"])
        assert store.ids_of_source("club", "rules.md") == {"b"}
        assert store.count("club") == 2
        assert "a" not in {cid for cid, _ in store.query("club", unit(1), 3)}
        store.delete("nobody", ["x"])  # nothing to delete is not an error

    def test_communities_never_see_each_other(self) -> None:
        store = self.open()
        store.upsert("club-a", ["a"], rows(unit(1)), meta("rules.md", 1))
        store.upsert("club-b", ["b"], rows(unit(1)), meta("rules.md", 1))
        assert [cid for cid, _ in store.query("club-b", unit(1), 5)] == ["b"]
        assert store.ids_of_source("club-a", "rules.md") == {"a"}
        store.drop("club-a")
        assert store.count("club-a") == 0 and store.count("club-b") == 1
        store.drop("club-a")  # dropping twice is fine

    def test_vectors_of_another_embedder_are_refused_with_a_clear_message(self) -> None:
        self.open("use-multilingual-v3").upsert("club", ["a"], rows(unit(1)), meta("r.md", 1))
        other = self.open("openai:text-embedding-3-small")
        with pytest.raises(EmbedderMismatchError, match="indexed with the embedder 'use-multi"):
            other.check("club")
        with pytest.raises(EmbedderMismatchError):
            other.query("club", unit(1), 1)
        other.check("new-club")  # a community with no vectors yet may use any embedder

    def test_refresh_keeps_every_vector_and_the_store_working(self) -> None:
        store = self.open()
        store.upsert("club", ["a", "b"], rows(unit(1), unit(0, 1)), meta("rules.md", 2))
        store.refresh()
        assert [cid for cid, _ in store.query("club", unit(1), 5)] == ["a", "b"]
        store.upsert("club", ["c"], rows(unit(0, 0, 1)), meta("faq.md", 1))
        assert store.count("club") == 3 and store.ids_of_source("club", "faq.md") == {"c"}
