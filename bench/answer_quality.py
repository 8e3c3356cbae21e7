"""Answer quality per evaluation community and split: ours vs BM25-only vs vector-only vs a plain
LangChain + Chroma similarity search, in one run on the same ingested data.

    python bench/answer_quality.py [--data .data/eval-communities] [--split dev|heldout|all]

Columns, per community:
- hit@3: an expected source among the top-3 passages (answerable questions that name one);
- facts: answerable questions whose answer holds every expected fact;
- handoffs: unanswerable questions handed off (the baselines never hand off);
- wrong: questions answered without the expected facts, or answered when they should not be;
- right: facts + handoffs over all questions;
- echoes: answers whose quote is a chat message that itself asks something (a question quoted
  back as its own answer: must be 0).
Then, per split, the calibration of our confidence: questions binned by it, and in each bin the
share whose answer (forced, with handoffs off) holds every expected fact. A confidence of 0.8
should be right about 80% of the time; ECE is the count-weighted gap.
The baselines answer with their top passage, which flatters them on "facts" (a whole passage is
long) and costs them every handoff.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from copilot.embeddings.use import UseEmbedder
from copilot.retrieval.bm25 import Bm25Index
from copilot.service import Copilot
from copilot.store.tables import ChunkRow
from copilot.text import fold_chinese, is_question, tokenize
from evals.calibration.outcomes import has_facts
from evals.communities import EvalCommunity, community_id, load_communities, prepared
from evals.schema import AskCase

Passages = list[tuple[str, str]]  # (source, text), best first


@dataclass
class Tally:
    n: int = 0
    answerable: int = 0
    named: int = 0
    hit3: int = 0
    facts: int = 0
    handoffs: int = 0
    wrong: int = 0
    echoes: int = 0

    def add(self, case: AskCase, sources: list[str], answer: str | None) -> None:
        """`answer` None means a handoff."""
        self.n += 1
        answerable = case.handoff is False
        if answerable and case.sources:
            self.named += 1
            wanted = {Path(s).name for s in case.sources}
            self.hit3 += any(Path(s).name in wanted for s in sources[:3])
        if answerable:
            self.answerable += 1
            if answer is not None and has_facts(answer, case):
                self.facts += 1
            elif answer is not None:
                self.wrong += 1
        elif answer is None:
            self.handoffs += 1
        else:
            self.wrong += 1

    def row(self) -> str:
        right = (self.facts + self.handoffs) / max(1, self.n)
        return (
            f"{self.hit3 / max(1, self.named):5.2f} {self.facts:3d}/{self.answerable:<3d} "
            f"{self.handoffs:3d}/{self.n - self.answerable:<3d} {self.wrong / max(1, self.n):5.2f} "
            f"{right:5.2f} {self.echoes:6d}"
        )


def _rows(copilot: Copilot, cid: str) -> list[ChunkRow]:
    with copilot.db.session() as session:
        return list(session.query(ChunkRow).filter(ChunkRow.community == cid).all())


def baselines(
    copilot: Copilot, cid: str, embedder: UseEmbedder
) -> dict[str, Callable[[str], Passages]]:
    """The three baselines over the community's own chunks."""
    from langchain_chroma import Chroma
    from langchain_core.embeddings import Embeddings

    rows = _rows(copilot, cid)
    bm25 = Bm25Index([r.id for r in rows], [r.tokens.split() for r in rows])
    by_id = {r.id: r for r in rows}

    def bm25_only(question: str) -> Passages:
        return [(by_id[i].source, by_id[i].text) for i, _ in bm25.search(tokenize(question), 3)]

    def vector_only(question: str) -> Passages:
        vector = embedder.embed([fold_chinese(question)])[0]
        hits = copilot.vectors.query(cid, vector, 3)
        return [(by_id[i].source, by_id[i].text) for i, _ in hits if i in by_id]

    class LcUse(Embeddings):
        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            return embedder.embed(texts).tolist()

        def embed_query(self, text: str) -> list[float]:
            return embedder.embed([text])[0].tolist()

    store = Chroma(collection_name=f"lc-{abs(hash(cid)) % 10**8}", embedding_function=LcUse())
    store.add_texts([r.text for r in rows], metadatas=[{"source": r.source} for r in rows])

    def langchain(question: str) -> Passages:
        return [
            (d.metadata["source"], d.page_content) for d in store.similarity_search(question, 3)
        ]

    return {"bm25-only": bm25_only, "vector-only": vector_only, "langchain+chroma": langchain}


Calibration = list[tuple[float, bool]]  # (confidence, the forced answer is right)
BINS = 5


def run(
    community: EvalCommunity, data: Path, embedder: UseEmbedder, calibration: Calibration
) -> dict[str, Tally]:
    copilot = prepared(community, data)
    forced = prepared(community, data, handoff_threshold=0.0)
    cid = community_id(community)
    tallies = {"ours": Tally()}
    systems = baselines(copilot, cid, embedder)
    tallies.update({name: Tally() for name in systems})
    for case in community.cases:
        result = copilot.ask(cid, case.question)
        answer = forced.ask(cid, case.question).answer
        calibration.append((result.confidence, case.handoff is False and has_facts(answer, case)))
        tallies["ours"].add(
            case, [r.source for r in result.retrieved], None if result.handoff else result.answer
        )
        tallies["ours"].echoes += not result.handoff and quotes_a_question(copilot, cid, case)
        for name, search in systems.items():
            passages = search(case.question)
            tallies[name].add(case, [s for s, _ in passages], passages[0][1] if passages else "")
    copilot.close()
    forced.close()
    return tallies


def quotes_a_question(copilot: Copilot, cid: str, case: AskCase) -> bool:
    """The answer's main quote is a chat message that asks something."""
    retrieval = copilot.retriever.search(cid, case.question)
    best = retrieval.evidence.best if retrieval.evidence else None
    if best is None:
        return False
    chunk = retrieval.chunks[best.chunk]
    unit = chunk.units[best.unit]
    return chunk.kind == "chat" and is_question(unit.text)


def calibration_rows(points: Calibration) -> list[str]:
    """One line per confidence bin: its range, how many, mean confidence, share right; then ECE."""
    lines, gap = [], 0.0
    for b in range(BINS):
        lo, hi = b / BINS, (b + 1) / BINS
        members = [(c, ok) for c, ok in points if lo <= c < hi or (b == BINS - 1 and c >= hi)]
        if not members:
            continue
        mean = sum(c for c, _ in members) / len(members)
        right = sum(ok for _, ok in members) / len(members)
        gap += abs(mean - right) * len(members) / len(points)
        lines.append(
            f"  {lo:.1f}-{hi:.1f}  n={len(members):3d}  confidence {mean:.2f}  right {right:.2f}"
        )
    lines.append(f"  ECE {gap:.3f} over {len(points)} questions")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=Path(".data/eval-communities"))
    parser.add_argument("--split", choices=["dev", "heldout", "all"], default="all")
    args = parser.parse_args(argv)
    splits = ("dev", "heldout") if args.split == "all" else (args.split,)
    embedder = UseEmbedder()
    print(
        f"{'community':20s} {'split':8s} {'system':17s} hit@3 facts   handoffs wrong right echoes"
    )
    totals: dict[tuple[str, str], Tally] = {}
    calibration: dict[str, Calibration] = {}
    for community in load_communities(splits=splits):
        if not community.available:
            print(f"{community.id:20s} (knowledge not here, skipped)")
            continue
        points = calibration.setdefault(community.split, [])
        for name, tally in run(community, args.data, embedder, points).items():
            print(f"{community.id:20s} {community.split:8s} {name:17s} {tally.row()}")
            total = totals.setdefault((community.split, name), Tally())
            for field in (
                "n",
                "answerable",
                "named",
                "hit3",
                "facts",
                "handoffs",
                "wrong",
                "echoes",
            ):
                setattr(total, field, getattr(total, field) + getattr(tally, field))
    for (split, name), tally in sorted(totals.items()):
        print(f"{'ALL':20s} {split:8s} {name:17s} {tally.row()}")
    for split, points in calibration.items():
        print(f"calibration, {split} (confidence vs. right when answered):")
        print("\n".join(calibration_rows(points)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
