"""Comparing a run against a saved one (`--baseline run.json`, written by `--json`)."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

from evals.aggregate import compare_runs
from evals.results import RunReport


class BaselineError(ValueError):
    pass


def load_report(path: str | Path) -> RunReport:
    path = Path(path)
    try:
        return RunReport.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        raise BaselineError(f"{path}: baseline file not found") from None
    except (ValueError, ValidationError) as exc:
        raise BaselineError(f"{path}: not a run written by --json ({exc})") from None


def attach_baseline(report: RunReport, baseline: RunReport, path: str | Path) -> None:
    """Each variant against the baseline variant with the same label (else its first)."""
    comparisons, changes, matched = [], [], {}
    for v in report.variants:
        bv = next((b for b in baseline.variants if b.label == v.label), baseline.variants[0])
        matched[v.id] = bv.id
        comps, chs = compare_runs(
            f"baseline:{bv.id}",
            [r for r in baseline.runs if r.variant == bv.id],
            v.id,
            [r for r in report.runs if r.variant == v.id],
        )
        comparisons += comps
        changes += chs
    current = {c.key for c in report.cases}
    previous = {c.key for c in baseline.cases}
    report.baseline = {
        "path": str(path),
        "started": baseline.meta.get("started"),
        "matched": matched,
        "comparisons": [c.model_dump() for c in comparisons],
        "changes": [c.model_dump() for c in changes],
        "new_cases": sorted(current - previous),
        "removed_cases": sorted(previous - current),
    }
