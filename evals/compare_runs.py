"""Compare two saved runs (`--json` files) without running anything again.

`python -m evals.compare_runs A.json B.json --report out.html` renders B's report with A as
its baseline: the paired comparisons per metric (with confidence intervals) and the cases
whose outcome changed. The operator console runs it to "compare two runs"; it is the same
comparison `copilot eval --baseline A.json` makes while running B.
Exit codes: 0 written, 2 bad input (a file missing or not a run).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from evals.baseline import BaselineError, attach_baseline, load_report
from evals.cli import write_outputs
from evals.results import RunReport


def compare_saved(a: str | Path, b: str | Path) -> RunReport:
    """Run B with run A attached as its baseline."""
    earlier, later = load_report(a), load_report(b)
    attach_baseline(later, earlier, a)
    return later


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.compare_runs", description=__doc__)
    parser.add_argument("a", type=Path, help="The earlier run (the baseline).")
    parser.add_argument("b", type=Path, help="The run compared with it.")
    parser.add_argument("--report", type=Path, help="Write the HTML report here.")
    parser.add_argument("--json", type=Path, dest="json_out", help="Write the JSON here.")
    args = parser.parse_args(argv)
    try:
        report = compare_saved(args.a, args.b)
    except BaselineError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 2
    write_outputs(report, report=args.report, json_out=args.json_out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
