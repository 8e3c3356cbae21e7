"""Operator outputs scored on the evaluation communities (drafts, summaries, stats, suggestions).

    python -m evals.outputs [--split dev|heldout|all] [--kind drafts,summaries] [--community ID]

API for code that produces these outputs and wants to score them the same way:

    from evals.outputs import load_output_communities, run_community, score_draft
    for target in load_output_communities(splits=("dev",)):
        for score in run_community(target, kinds=["drafts"]):
            print(score.id, score.passed, [c.detail for c in score.checks if not c.passed])
"""

from evals.outputs.cases import (
    DraftCase,
    Outputs,
    OutputsError,
    StatsCase,
    SuggestionsSpec,
    SummaryCase,
    load_outputs,
)
from evals.outputs.run import DEFAULT_DATA, OutputsCommunity, load_output_communities, run_community
from evals.outputs.scoring import (
    KINDS,
    CaseScore,
    CheckResult,
    score_draft,
    score_stats,
    score_suggestions,
    score_summary,
)

__all__ = [
    "DEFAULT_DATA",
    "KINDS",
    "CaseScore",
    "CheckResult",
    "DraftCase",
    "Outputs",
    "OutputsCommunity",
    "OutputsError",
    "StatsCase",
    "SuggestionsSpec",
    "SummaryCase",
    "load_output_communities",
    "load_outputs",
    "run_community",
    "score_draft",
    "score_stats",
    "score_suggestions",
    "score_summary",
]
