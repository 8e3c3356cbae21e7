"""Evaluation communities (evals/communities/<id>/): load them, ingest them, ask their questions.

Shared by `bench/answer_quality.py` (quality per community and split, against baselines) and
`evals/calibration/fit.py` (fitting the answer models on the dev split only). A community is
ingested once into its own data dir under `root`; re-ingesting unchanged files is a no-op, so
repeated runs cost only the questions.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from copilot.config import Settings
from copilot.embeddings import Embedder
from copilot.retrieval.vector_store import VectorStore
from copilot.service import Copilot
from evals.schema import AskCase, Suite, load_suite

PROJECT = Path(__file__).resolve().parent.parent
COMMUNITIES = PROJECT / "evals" / "communities"
STARTER_SUITES = [
    PROJECT / "evals" / "suites" / "ask_zh.yaml",
    PROJECT / "evals" / "suites" / "ask_en.yaml",
]


@dataclass
class EvalCommunity:
    id: str
    split: str  # dev | heldout
    suites: list[Suite]
    profile: dict[str, Any] = field(default_factory=dict)

    @property
    def cases(self) -> list[AskCase]:
        return [c for s in self.suites for c in s.cases if isinstance(c, AskCase)]

    @property
    def knowledge(self) -> list[tuple[Path, str | None]]:
        seen: dict[Path, str | None] = {}
        for suite in self.suites:
            for path, kind in suite.knowledge_paths():
                seen.setdefault(path, kind)
        return list(seen.items())

    @property
    def available(self) -> bool:
        """False when its knowledge lives outside the repo and is not here (e.g. ../shared)."""
        return all(path.exists() for path, _ in self.knowledge)


def load_communities(
    root: Path = COMMUNITIES, *, starter: bool = True, splits: tuple[str, ...] = ("dev", "heldout")
) -> list[EvalCommunity]:
    """Every community folder with an ask.yaml, plus the starter knowledge as a dev community."""
    out: list[EvalCommunity] = []
    if starter and "dev" in splits:
        out.append(EvalCommunity("starter", "dev", [load_suite(p) for p in STARTER_SUITES]))
    for folder in sorted(p for p in root.iterdir() if (p / "ask.yaml").is_file()):
        meta = yaml.safe_load((folder / "community.yaml").read_text("utf-8")) or {}
        split = str(meta.get("split", "dev"))
        if split not in splits:
            continue
        if not _knowledge_here(folder / "ask.yaml"):
            continue  # its knowledge lives outside the repo (../shared) and is not beside it
        suite = _load_ask_suite(folder / "ask.yaml")
        out.append(EvalCommunity(folder.name, split, [suite], dict(meta.get("profile") or {})))
    return out


def _knowledge_here(ask: Path) -> bool:
    """False when knowledge the suite names outside the repo is missing: a fresh clone has no
    ../shared beside it. Missing paths inside the repo stay an error of the suite."""
    data = yaml.safe_load(ask.read_text("utf-8")) or {}
    for spec in data.get("knowledge") or []:
        rel = spec.get("path", "") if isinstance(spec, dict) else spec
        path = (PROJECT / str(rel)).resolve()
        if not path.is_relative_to(PROJECT) and not path.exists():
            return False
    return True


def _load_ask_suite(path: Path) -> Suite:
    return load_suite(path, root=PROJECT)


def prepared(
    community: EvalCommunity,
    data_root: Path,
    *,
    embedder: Embedder | None = None,
    vectors: VectorStore | None = None,
    **overrides: Any,
) -> Copilot:
    """A Copilot over the community's knowledge, ingested into `data_root/<id>` (idempotent).

    `embedder` / `vectors` default to the settings' (USE, Chroma); tests pass fakes."""
    settings = Settings(data_dir=data_root / community.id, llm_provider="offline", **overrides)
    copilot = Copilot(settings, llm=None, embedder=embedder, vectors=vectors)
    cid = community_id(community)
    if community.profile:
        copilot.set_profile(cid, **community.profile)
    paths_by_kind: dict[str | None, list[Path]] = {}
    for path, kind in community.knowledge:
        paths_by_kind.setdefault(kind, []).append(path)
    for kind, paths in paths_by_kind.items():
        report = copilot.ingest_paths(cid, paths, kind=kind)
        bad = [f"{f.source}: {f.error}" for f in report.skipped]
        if bad:
            raise RuntimeError(f"{community.id}: could not ingest " + "; ".join(bad))
    return copilot


def community_id(community: EvalCommunity) -> str:
    """The id the community is ingested under (the suite's `community`)."""
    return community.suites[0].community


def ask_all(community: EvalCommunity, copilot: Copilot) -> Iterator[tuple[AskCase, Any]]:
    """(case, AnswerResult) for every question of the community."""
    cid = community_id(community)
    copilot.retriever.prefetch([c.question for c in community.cases])
    for case in community.cases:
        yield case, copilot.ask(cid, case.question, top_k=case.top_k)


__all__ = [
    "COMMUNITIES",
    "PROJECT",
    "EvalCommunity",
    "ask_all",
    "community_id",
    "load_communities",
    "prepared",
]
