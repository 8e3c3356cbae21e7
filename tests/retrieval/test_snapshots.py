"""Vector snapshots: a cold process answers a small community without opening Chroma, with the
same answers Chroma gives; a snapshot is used only at its community's current generation, only
for its own community, and follows every write another process makes."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sqlalchemy import select

from copilot.config import Settings
from copilot.embeddings.use import UseEmbedder
from copilot.knowledge.chunking import split_markdown
from copilot.retrieval import snapshot_store
from copilot.retrieval.chroma import ChromaVectorStore, connect
from copilot.retrieval.memory import MemoryVectorStore, Space
from copilot.retrieval.snapshot_store import SnapshotVectorStore
from copilot.retrieval.snapshots import VectorSnapshots
from copilot.retrieval.vector_store import VectorStore, collection_name
from copilot.service import Copilot
from copilot.skills.answer import AnswerPorts, answer_question
from copilot.store.db import Database
from copilot.store.generations import bump, generation
from copilot.store.tables import ChunkRow
from tests.retrieval.conformance import VectorStoreConformance

QUESTIONS = [
    "积分可以换什么？什么时候能兑换？",
    "每周的分享会是什么时候？在哪里开？",
    "我想当管理员，需要满足什么条件？",
    "可以在群里发代购广告吗？",
    "社群的五个核心要素是什么？",
    "What are the quiet hours in the group?",
    "How many points do I get for giving a talk at the Wednesday session?",
    "Can I pay the annual fee with PayPal?",
    "Is there car parking near the Beijing meetup spot?",
    "有哪些适合学习型社群的活动？",
]


def _answers(copilot: Copilot, community: str) -> list[dict[str, Any]]:
    """What an ask answers (without the question log an ask also writes)."""
    ports = AnswerPorts(copilot.settings, copilot.retriever, None)
    return [
        answer_question(ports, community, q).model_dump(exclude={"retrieved"}) for q in QUESTIONS
    ]


def _copilot(settings: Settings, embedder: UseEmbedder, **ports: Any) -> Copilot:
    return Copilot(settings, embedder=embedder, llm=None, **ports)


def test_a_cold_process_answers_from_the_snapshot_as_chroma_does(
    starter: Copilot, embedder: UseEmbedder
) -> None:
    fast = _copilot(starter.settings, embedder)
    chroma = ChromaVectorStore(connect(starter.settings), embedder.name)
    plain = _copilot(starter.settings, embedder, vectors=chroma)
    try:
        assert _answers(fast, "starter") == _answers(plain, "starter")
        assert isinstance(fast.vectors, SnapshotVectorStore) and not fast.vectors.opened
    finally:
        fast.close()
        plain.close()


RULES = "# 群规\n## 分享会\n每周三晚上八点在腾讯会议举行读书分享会。\n"
POINTS = "# Points\n## Earning\nMembers earn 10 points for each check-in.\n"


def _index(copilot: Copilot, community: str, source: str, text: str) -> None:
    copilot.indexer.index(community, source, "playbook", split_markdown(text, max_tokens=200))


def _sources(copilot: Copilot, community: str, query: str) -> set[str]:
    return {c.source for c in copilot.retriever.search(community, query).chunks}


def test_a_reader_follows_every_write_of_another_process(
    settings: Settings, embedder: UseEmbedder
) -> None:
    writer = _copilot(settings, embedder)
    _index(writer, "club", "rules.md", RULES)
    reader = _copilot(settings, embedder)  # another process on the same data dir
    assert _sources(reader, "club", "分享会几点？") == {"rules.md"}

    _index(writer, "club", "points.md", POINTS)
    assert "points.md" in _sources(reader, "club", "How many points for a check-in?")
    writer.indexer.remove("club", "rules.md")
    assert "rules.md" not in _sources(reader, "club", "分享会几点？")
    assert isinstance(reader.vectors, SnapshotVectorStore) and not reader.vectors.opened

    # The writer published from its mirror of its own writes: exactly what Chroma holds.
    current = generation(writer.db, "club")
    found = writer.vectors.snapshots.load("club", current)  # type: ignore[attr-defined]
    assert found is not None
    ids, matrix = ChromaVectorStore(connect(settings), embedder.name).vectors_of("club")
    order = np.argsort(ids)
    assert found.index.ids == [ids[i] for i in order]
    assert np.array_equal(found.index.matrix, matrix[order])
    writer.close()
    reader.close()


def test_writers_taking_turns_publish_each_others_writes(
    settings: Settings, embedder: UseEmbedder
) -> None:
    first, second = _copilot(settings, embedder), _copilot(settings, embedder)
    _index(first, "club", "rules.md", RULES)
    _index(second, "club", "points.md", POINTS)
    _index(first, "club", "faq.md", "# FAQ\n## Fees\nThe annual fee is 99 yuan.\n")
    reader = _copilot(settings, embedder)
    with reader.db.session() as session:
        chunks = set(session.scalars(select(ChunkRow.id).where(ChunkRow.community == "club")))
    assert reader.vectors.count("club") == len(chunks)
    hits = reader.vectors.query("club", embedder.embed(["points check-in"])[0], len(chunks))
    assert {cid for cid, _ in hits} == chunks
    assert not reader.vectors.opened  # type: ignore[attr-defined]
    for copilot in (first, second, reader):
        copilot.close()


def test_a_write_without_its_generation_makes_readers_use_chroma(
    settings: Settings, embedder: UseEmbedder
) -> None:
    writer = _copilot(settings, embedder)
    _index(writer, "club", "rules.md", RULES)
    vector = embedder.embed(["Members earn points"])
    # A write that never reached its generation bump (the process died in between).
    writer.vectors.upsert("club", ["orphan"], vector, [{"source": "x.md", "kind": "playbook"}])
    reader = _copilot(settings, embedder)
    assert reader.vectors.query("club", vector[0], 1)[0][0] == "orphan"  # Chroma's answer
    assert reader.vectors.opened  # type: ignore[attr-defined]
    writer.close()
    reader.close()


def test_a_snapshot_answers_only_its_own_community_at_its_own_generation(
    settings: Settings, embedder: UseEmbedder
) -> None:
    writer = _copilot(settings, embedder)
    _index(writer, "club-a", "rules.md", RULES)
    _index(writer, "club-b", "points.md", POINTS)
    snapshots = VectorSnapshots(settings.snapshot_path)
    a, b = (snapshots.directory / collection_name(c) for c in ("club-a", "club-b"))
    shutil.rmtree(b)
    shutil.copytree(a, b)  # club-a's files where club-b's belong
    g_a, g_b = generation(writer.db, "club-a"), generation(writer.db, "club-b")
    assert snapshots.load("club-b", g_a) is None and snapshots.load("club-b", g_b) is None
    assert snapshots.load("club-a", g_a + 1) is None  # not its current generation
    reader = _copilot(settings, embedder)
    assert _sources(reader, "club-b", "分享会几点？") <= {"points.md"}
    assert reader.vectors.opened  # type: ignore[attr-defined]
    writer.close()
    reader.close()


def test_a_community_too_large_for_a_snapshot_keeps_chroma(
    settings: Settings, embedder: UseEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(snapshot_store, "SNAPSHOT_MAX", 1)
    writer = _copilot(settings, embedder)
    _index(writer, "club", "rules.md", RULES + "## 打卡\n每天早上八点前打卡。\n")
    assert not (settings.snapshot_path / collection_name("club")).exists() or not any(
        (settings.snapshot_path / collection_name("club")).iterdir()
    )
    reader = _copilot(settings, embedder)
    assert _sources(reader, "club", "分享会几点？") == {"rules.md"}
    assert reader.vectors.opened  # type: ignore[attr-defined]
    writer.close()
    reader.close()


def test_snapshots_of_idle_communities_are_let_go(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = Database(f"sqlite:///{tmp_path / 'copilot.db'}")
    memory, snapshots = MemoryVectorStore("e", {}), VectorSnapshots(tmp_path / "s")
    vectors = np.eye(8, dtype=np.float32)
    for c in range(5):
        _Publishing(memory, snapshots, db).upsert(
            f"c{c}", [f"x{i}" for i in range(8)], vectors, [{"source": "a"}] * 8
        )
    monkeypatch.setattr(snapshot_store, "HELD_BUDGET_BYTES", 2 * vectors.nbytes)
    reader = _Publishing(memory, snapshots, db)
    for c in range(5):
        assert [cid for cid, _ in reader.query(f"c{c}", vectors[3], 1)] == ["x3"]
    assert reader.mapped == 2  # the two most recently searched
    db.close()


class _Publishing(SnapshotVectorStore):
    """Publishes after every write, as the indexer's owner does after each index write."""

    def __init__(self, memory: MemoryVectorStore, snapshots: VectorSnapshots, db: Database) -> None:
        super().__init__(lambda: memory, snapshots, db, memory._embedder)
        self.db = db

    def _written(self, community: str) -> None:
        with self.db.session() as session:
            written = bump(session, community)
        self.publish(community, written)

    def upsert(self, community: str, *args: Any) -> None:
        super().upsert(community, *args)
        self._written(community)

    def delete(self, community: str, ids: list[str]) -> None:
        super().delete(community, ids)
        self._written(community)

    def drop(self, community: str) -> None:
        super().drop(community)
        self._written(community)


class TestSnapshotVectorStore(VectorStoreConformance):
    """Every read but ``ids_of_source`` served by the snapshots."""

    @pytest.fixture(autouse=True)
    def _database(self, tmp_path: Path) -> None:
        self.spaces: dict[str, Space] = {}
        self.snapshots = VectorSnapshots(tmp_path / "snapshots")
        self.db = Database(f"sqlite:///{tmp_path / 'copilot.db'}")

    def open(self, embedder: str = "test-embedder") -> VectorStore:
        return _Publishing(MemoryVectorStore(embedder, self.spaces), self.snapshots, self.db)
