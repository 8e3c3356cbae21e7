"""The same knowledge answers the same wherever it was ingested from.

Chunk ids hash the source path, so nothing the answer depends on may be ordered by id: a
simplified and a traditional copy of one text score exactly alike, and which of them is cited
must not change with the folder the files sit in.
"""

from __future__ import annotations

from pathlib import Path

from copilot.config import Settings
from copilot.embeddings.use import UseEmbedder
from copilot.service import Copilot

SIMPLIFIED = "# 会费\n\n年费 99 元，缴费后 7 天内可以申请全额退款。\n"
TRADITIONAL = "# 會費\n\n年費 99 元，繳費後 7 天內可以申請全額退款。\n"


def _ask(root: Path, embedder: UseEmbedder) -> tuple[str, tuple[str, ...], float]:
    docs = root / "knowledge"
    docs.mkdir(parents=True)
    (docs / "fees-hans.md").write_text(SIMPLIFIED, "utf-8")
    (docs / "fees-hant.md").write_text(TRADITIONAL, "utf-8")
    # Handoffs off: this is about which passage answers, not whether one does.
    settings = Settings(
        data_dir=root / "data", llm_provider="offline", handoff_threshold=0.0, _env_file=None
    )  # type: ignore[call-arg]
    copilot = Copilot(settings, embedder=embedder, llm=None)
    try:
        copilot.ingest_paths("club", [docs])
        result = copilot.ask("club", "年费多少钱？")
        return (
            result.answer,
            tuple(Path(r.source).name for r in result.retrieved),
            result.confidence,
        )
    finally:
        copilot.close()


def test_the_answer_does_not_depend_on_the_folder_the_knowledge_sits_in(
    tmp_path: Path, embedder: UseEmbedder
) -> None:
    outcomes = {_ask(tmp_path / name, embedder) for name in ("a", "bb", "ccc", "x-1", "y_2", "zz")}
    assert len(outcomes) == 1, outcomes
    answer, sources, _ = outcomes.pop()
    assert "99" in answer
    assert sources[0] == "fees-hans.md"  # of two equal passages, the first by source name
