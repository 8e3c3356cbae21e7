"""Indexing is idempotent, replaces changed sources, survives a crash, and isolates communities."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from copilot.embeddings import EmbedderMismatchError
from copilot.knowledge.chunking import split_markdown
from copilot.retrieval.chroma import ChromaVectorStore
from copilot.retrieval.snapshot_store import SnapshotVectorStore
from copilot.store.generations import generation
from copilot.store.tables import ChunkRow

RULES = """# 群规
## 广告
群内禁止发任何广告和拉人链接，违者第一次警告，第二次移出群聊。
## 分享会
每周三晚上八点在腾讯会议举行读书分享会，由一位成员分享一本书。
## Points
Members earn 10 points for each check-in; 500 points can be exchanged for a book.
"""


def eager(copilot):  # type: ignore[no-untyped-def]
    """A Copilot on the same data with the handoff gate open: these tests check which passage an
    answer comes from, whatever the answerability model decides on a three-section community."""
    from copilot.service import Copilot

    settings = copilot.settings.model_copy(update={"handoff_threshold": 0.0})
    return Copilot(settings, embedder=copilot.embedder, llm=None)


def index(copilot, community: str, source: str, text: str):  # type: ignore[no-untyped-def]
    pieces = split_markdown(text, max_tokens=200)
    return copilot.indexer.index(community, source, "playbook", pieces)


def chunk_count(copilot, community: str) -> int:  # type: ignore[no-untyped-def]
    with copilot.db.session() as s:
        return s.scalar(
            select(func.count()).select_from(ChunkRow).where(ChunkRow.community == community)
        )


def vector_count(copilot, community: str) -> int:  # type: ignore[no-untyped-def]
    return copilot.vectors.count(community)


N_CHUNKS = len(split_markdown(RULES, max_tokens=200))  # three sections and their overview
N_CHANGED = sum("八点" in p.text for p in split_markdown(RULES, max_tokens=200))


def test_reingesting_unchanged_content_adds_nothing(copilot) -> None:  # type: ignore[no-untyped-def]
    first = index(copilot, "club", "rules.md", RULES)
    second = index(copilot, "club", "rules.md", RULES)
    assert N_CHUNKS == 4
    assert (first.outcome, first.embedded) == ("added", N_CHUNKS)
    assert (second.outcome, second.embedded) == ("unchanged", 0)
    assert chunk_count(copilot, "club") == vector_count(copilot, "club") == N_CHUNKS


def test_a_changed_source_replaces_only_its_changed_chunks(copilot) -> None:  # type: ignore[no-untyped-def]
    index(copilot, "club", "rules.md", RULES)
    changed = index(copilot, "club", "rules.md", RULES.replace("八点", "九点"))
    assert (changed.outcome, changed.embedded, changed.removed) == ("updated", N_CHANGED, N_CHANGED)
    assert chunk_count(copilot, "club") == vector_count(copilot, "club") == N_CHUNKS
    answer = eager(copilot).ask("club", "分享会几点开始？")
    assert "九点" in answer.answer and "八点" not in answer.answer


def test_a_crash_mid_ingest_leaves_a_consistent_index_that_a_rerun_completes(
    copilot,
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    index(copilot, "club", "rules.md", RULES)

    def crash(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise KeyboardInterrupt("power cut after the vectors were written")

    from copilot.store import generations

    # The last step of the transaction that swaps the chunk rows: the rows roll back.
    monkeypatch.setattr(generations, "bump", crash)
    with pytest.raises(KeyboardInterrupt):
        index(copilot, "club", "rules.md", RULES.replace("八点", "九点"))
    monkeypatch.undo()

    # The orphan vector exists but is invisible: answers still come from the old, complete data.
    assert vector_count(copilot, "club") == N_CHUNKS + N_CHANGED
    assert "八点" in eager(copilot).ask("club", "分享会几点开始？").answer

    rerun = index(copilot, "club", "rules.md", RULES.replace("八点", "九点"))
    assert rerun.outcome == "updated"
    assert chunk_count(copilot, "club") == vector_count(copilot, "club") == N_CHUNKS
    assert "九点" in eager(copilot).ask("club", "分享会几点开始？").answer


def test_communities_never_see_each_other(copilot) -> None:  # type: ignore[no-untyped-def]
    index(copilot, "club-a", "rules.md", RULES)
    index(copilot, "club-b", "other.md", "# 其他\n这里只讨论摄影器材和拍摄技巧。")
    answer = copilot.ask("club-b", "分享会是每周几？")
    assert answer.handoff
    assert all(c.source == "other.md" for c in answer.citations)
    assert {r.source for r in copilot.ask("club-a", "分享会是每周几？").retrieved} == {"rules.md"}


@pytest.mark.parametrize("through", ["chroma", "snapshot"])
def test_querying_with_another_embedder_is_a_clear_error(copilot, through: str) -> None:  # type: ignore[no-untyped-def]
    index(copilot, "club", "rules.md", RULES)
    other = "openai:text-embedding-3-small"
    chroma = ChromaVectorStore(copilot.vectors.store._client, other)
    snapshots = copilot.vectors.snapshots
    assert snapshots.load("club", generation(copilot.db, "club")) is not None
    copilot.vectors = (
        chroma
        if through == "chroma"
        else SnapshotVectorStore(lambda: chroma, snapshots, copilot.db, other)
    )
    with pytest.raises(EmbedderMismatchError, match="indexed with the embedder 'use-multilingual"):
        copilot.ask("club", "分享会几点开始？")


def test_copilot_reindex_rebuilds_the_vectors_after_the_embedder_changed(  # type: ignore[no-untyped-def]
    copilot, monkeypatch
) -> None:
    from typer.testing import CliRunner

    from copilot.cli import app
    from copilot.embeddings.fake import HashingEmbedder
    from copilot.service import Copilot

    before = Copilot(copilot.settings, embedder=HashingEmbedder(), llm=None)
    index(before, "club", "rules.md", RULES)
    before.close()
    with pytest.raises(EmbedderMismatchError) as refused:
        copilot.ask("club", "分享会几点开始？")
    assert "`copilot reindex --community club`" in str(refused.value)

    monkeypatch.setenv("COPILOT_DATA_DIR", str(copilot.settings.data_dir))
    done = CliRunner().invoke(app, ["reindex", "--community", "club", "--json"])
    assert done.exit_code == 0, done.output
    assert '"chunks": 4' in done.output and "use-multilingual" in done.output

    after = eager(copilot)
    answer = after.ask("club", "分享会几点开始？")
    assert "八点" in answer.answer and answer.citations[0].source == "rules.md"
    assert vector_count(after, "club") == chunk_count(after, "club") == N_CHUNKS
    after.close()
