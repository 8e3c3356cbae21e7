"""Report: operator outputs per evaluation community and case, with totals per split.

    python -m evals.outputs [--split dev|heldout|all] [--kind drafts,summaries,stats,suggestions]
        [--community ID] [--data DIR] [--json out.json] [--fail-under summaries=0.5 ...]

Held-out cases print pass/fail only: what they miss is hidden (--show-heldout shows it), so
nobody tunes on them by reading the report. Floors (`--fail-under KIND=RATE`, KIND one of
drafts, summaries, stats, suggestions or all; `KIND.checks=RATE` for the share of checks) apply
to the dev split only: held-out numbers are reported, never gated.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

from evals.communities import COMMUNITIES
from evals.outputs.cases import OutputsError
from evals.outputs.run import DEFAULT_DATA, load_output_communities, run_community
from evals.outputs.scoring import KINDS, CaseScore


def _rates(scores: list[CaseScore]) -> tuple[int, int, int, int]:
    checks = [c for s in scores for c in s.checks]
    return (
        sum(s.passed for s in scores),
        len(scores),
        sum(c.passed for c in checks),
        len(checks) + sum(bool(s.error) for s in scores),
    )


def _print_case(score: CaseScore, details: bool) -> None:
    mark = "PASS" if score.passed else "FAIL"
    print(f"  {mark} {score.kind:11s} {score.id}")
    if not details:
        return
    if score.error:
        print(f"       error: {score.error}")
    for check in score.checks:
        if not check.passed:
            print(f"       {check.name}: {check.detail}")


def totals(scores: list[CaseScore]) -> dict[str, dict[str, tuple[int, int, int, int]]]:
    """split -> kind ('all' too) -> (cases passed, cases, checks passed, checks)."""
    by: dict[str, dict[str, list[CaseScore]]] = defaultdict(lambda: defaultdict(list))
    for s in scores:
        by[s.split][s.kind].append(s)
        by[s.split]["all"].append(s)
    return {split: {k: _rates(v) for k, v in kinds.items()} for split, kinds in by.items()}


def _gate(rules: list[str], table: dict[str, dict[str, tuple[int, int, int, int]]]) -> list[str]:
    failures: list[str] = []
    dev = table.get("dev")
    if dev is None:  # floors are for the dev split; a held-out run is reported, never gated
        return failures
    for rule in rules:
        key, _, value = rule.partition("=")
        kind, _, unit = key.partition(".")
        passed, n, cpassed, cn = dev.get(kind, (0, 0, 0, 0))
        rate = (cpassed / cn if cn else 0.0) if unit == "checks" else (passed / n if n else 0.0)
        if rate < float(value):
            failures.append(f"dev {key} = {rate:.2f} < {float(value):.2f}")
    return failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.outputs", description=__doc__)
    parser.add_argument("--split", choices=["dev", "heldout", "all"], default="dev")
    parser.add_argument("--kind", default=",".join(KINDS), help="Comma-separated kinds.")
    parser.add_argument("--community", action="append", help="Only these communities.")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--root", type=Path, default=COMMUNITIES, help=argparse.SUPPRESS)
    parser.add_argument("--json", type=Path, help="Write every case's checks and output here.")
    parser.add_argument("--fail-under", action="append", default=[], metavar="KIND=RATE")
    parser.add_argument(
        "--show-heldout", action="store_true", help="Also print what held-out cases miss."
    )
    args = parser.parse_args(argv)
    kinds = [k.strip() for k in args.kind.split(",") if k.strip()]
    unknown = [k for k in kinds if k not in KINDS]
    bad_rules = [
        r
        for r in args.fail_under
        if "=" not in r or r.partition("=")[0].partition(".")[0] not in (*KINDS, "all")
    ]
    if unknown or bad_rules:
        print(f"unknown kind or rule: {', '.join(unknown + bad_rules)}", file=sys.stderr)
        return 2
    splits = ("dev", "heldout") if args.split == "all" else (args.split,)
    try:
        targets = load_output_communities(args.root, splits=splits)
    except OutputsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.community:
        targets = [t for t in targets if t.id in args.community]
    scores: list[CaseScore] = []
    for target in targets:
        print(f"{target.id} ({target.split})", flush=True)
        community_scores = run_community(target, args.data, kinds=kinds)
        for score in community_scores:
            _print_case(score, target.split == "dev" or args.show_heldout)
        scores += community_scores
    table = totals(scores)
    print(f"\n{'split':8s} {'kind':12s} {'cases':>9s} {'checks':>9s}")
    for split, kinds_table in sorted(table.items()):
        for kind in [*KINDS, "all"]:
            if kind in kinds_table:
                p, n, cp, cn = kinds_table[kind]
                print(f"{split:8s} {kind:12s} {p:4d}/{n:<4d} {cp:4d}/{cn:<4d}")
    if args.json:
        args.json.write_text(
            json.dumps([s.model_dump() for s in scores], ensure_ascii=False, indent=1), "utf-8"
        )
    failures = _gate(args.fail_under, table)
    for failure in failures:
        print(f"gate failed: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
