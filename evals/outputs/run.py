"""Run the real skills, offline, on each evaluation community and score them (`outputs.yaml`)."""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from copilot.service import Copilot
from evals.communities import COMMUNITIES, EvalCommunity, community_id, load_communities, prepared
from evals.outputs.cases import Outputs, load_outputs
from evals.outputs.scoring import (
    KINDS,
    CaseScore,
    CheckResult,
    Kind,
    score_draft,
    score_stats,
    score_suggestions,
    score_summary,
    stats_numbers,
)

DEFAULT_DATA = Path(".data/eval-communities")  # shared with bench/answer_quality.py


@dataclass
class OutputsCommunity:
    community: EvalCommunity
    outputs: Outputs

    @property
    def id(self) -> str:
        return self.community.id

    @property
    def split(self) -> str:
        return self.community.split


def load_output_communities(
    root: Path = COMMUNITIES, splits: tuple[str, ...] = ("dev", "heldout")
) -> list[OutputsCommunity]:
    """Every evaluation community of these splits that has an outputs.yaml."""
    out = []
    for community in load_communities(root, starter=False, splits=splits):
        path = root / community.id / "outputs.yaml"
        if path.is_file() and community.available:
            out.append(OutputsCommunity(community, load_outputs(path)))
    return out


def run_community(
    target: OutputsCommunity,
    data_root: Path = DEFAULT_DATA,
    kinds: Collection[Kind] = KINDS,
    copilot: Copilot | None = None,
) -> list[CaseScore]:
    """Ingest the community (idempotent), run every case of `kinds` and score it."""
    own = copilot is None
    cp = copilot or prepared(target.community, data_root)
    try:
        return list(_cases(target, cp, kinds))
    finally:
        if own:
            cp.close()


def _cases(target: OutputsCommunity, cp: Copilot, kinds: Collection[Kind]) -> Iterator[CaseScore]:
    cid = community_id(target.community)
    o = target.outputs

    def scored(
        kind: Kind, case_id: str, run: Callable[[], tuple[list[CheckResult], str]]
    ) -> CaseScore:
        score = CaseScore(community=target.id, split=target.split, kind=kind, id=case_id)
        try:
            score.checks, score.output = run()
        except Exception as exc:  # a crash is a failed case, reported with its message
            score.error = f"{type(exc).__name__}: {exc}"
        return score

    if "drafts" in kinds:
        for d in o.drafts:

            def draft(d: Any = d) -> tuple[list[CheckResult], str]:
                result = cp.draft(
                    cid, kind=d.kind, topic=d.topic, channel=d.channel, language=d.language
                )
                return score_draft(d, result), result.text

            yield scored("drafts", d.id, draft)
    if "summaries" in kinds:
        for s in o.summaries:

            def summary(s: Any = s) -> tuple[list[CheckResult], str]:
                result = cp.summarize(
                    cid, since=s.since, until=s.until, channel=s.channel, language=s.language
                )
                return score_summary(s, result), result.markdown

            yield scored("summaries", s.id, summary)
    if "stats" in kinds:
        for st in o.stats:

            def stats(st: Any = st) -> tuple[list[CheckResult], str]:
                now = st.until - timedelta(microseconds=1) if st.until else None
                report = cp.stats(cid, since=st.since, now=now)
                return score_stats(st, report), json.dumps(stats_numbers(report))

            yield scored("stats", st.id, stats)
    if "suggestions" in kinds and o.suggestions is not None:
        spec = o.suggestions

        def suggest() -> tuple[list[CheckResult], str]:
            from datetime import date

            today = date.fromisoformat(spec.today) if spec.today else _day_after_chat(cp, cid)
            result = cp.suggest(cid, today=today)
            text = "\n".join(f"{s.name}: {s.pitch}" for s in result.suggestions)
            return score_suggestions(spec, result), text

        yield scored("suggestions", spec.id, suggest)


def _day_after_chat(cp: Copilot, cid: str) -> Any:
    """Plan as of the day after the newest message (the date the operator would ask)."""
    from zoneinfo import ZoneInfo

    last = cp.stats(cid).last_message_at
    if last is None:
        return None
    return (last.astimezone(ZoneInfo(cp.profile(cid).timezone)) + timedelta(days=1)).date()


__all__ = ["DEFAULT_DATA", "OutputsCommunity", "load_output_communities", "run_community"]
