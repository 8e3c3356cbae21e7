"""Fit the answer models on the dev communities and report them leave-one-community-out.

    python -m evals.calibration.fit            # fit, report, write copilot/retrieval/models.json
    python -m evals.calibration.fit --dry-run  # report only

Two logistic models (copilot/retrieval/models.py):

1. the unit ranker, on every answer unit scored for an answerable dev question, target = the
   share of the question's expected facts the unit holds;
2. the answerability model, on every dev question answered with the new ranker and handoffs
   off, target = the answer holds every expected fact (an unanswerable question never does).
   Its threshold maximises right decisions, a wrong answer costing WRONG_COST missed ones;
3. the support model, the same on the same rows, target = the passages retrieved (what an LLM
   reads) hold every expected fact: the decision of the LLM path.

Held-out communities are never read here. The report gives, per dev community, the scores of
models fitted without it (leave-one-community-out): that is the honest estimate for a
community nobody has seen.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Sequence
from pathlib import Path

from copilot.retrieval.evidence import QUESTION_FEATURE_SIGNS, QUESTION_FEATURES, UNIT_FEATURES
from copilot.retrieval.models import AnswerModels, LinearModel, load_models
from evals.calibration.dataset import QuestionRow, UnitRow, engine, question_rows, unit_rows
from evals.calibration.logistic import best_threshold, fit_listwise, fit_monotone
from evals.communities import EvalCommunity, load_communities

MODELS_PATH = Path(__file__).resolve().parents[2] / "copilot" / "retrieval" / "models.json"
WRONG_COST = 1.0
RANKER_L2 = 1.0
ANSWERABILITY_L2 = 1.0


def fit_ranker(rows: Sequence[UnitRow]) -> LinearModel:
    """Listwise: within each question, the units holding its facts should come first."""
    groups: dict[tuple[str, str], list[tuple[dict[str, float], float]]] = {}
    for r in rows:
        groups.setdefault((r.community, r.case), []).append((r.features, r.target))
    return fit_listwise(list(groups.values()), UNIT_FEATURES, l2=RANKER_L2)


Label = Callable[[QuestionRow], bool]


def extractive(row: QuestionRow) -> bool:
    return row.correct


def grounded(row: QuestionRow) -> bool:
    return row.grounded


def fit_answerability(rows: Sequence[QuestionRow], label: Label = extractive) -> LinearModel:
    """P(label) from the question-level evidence (each piece pushing only its own way, see
    QUESTION_FEATURE_SIGNS), with its handoff threshold."""
    model = fit_monotone(
        [r.features for r in rows],
        [float(label(r)) for r in rows],
        QUESTION_FEATURES,
        QUESTION_FEATURE_SIGNS,
        l2=ANSWERABILITY_L2,
    )
    p = [model.probability(r.features) for r in rows]
    threshold = best_threshold(
        p, [label(r) for r in rows], [r.answerable for r in rows], wrong_cost=WRONG_COST
    )
    return LinearModel(model.weights, model.bias, threshold)


def top1_share(ranker: LinearModel, rows: Sequence[UnitRow]) -> float:
    """Share of questions whose best-ranked unit holds at least one expected fact."""
    best: dict[str, tuple[float, float]] = {}
    for r in rows:
        score = ranker.logit(r.features)
        if r.case not in best or score > best[r.case][0]:
            best[r.case] = (score, r.target)
    return round(sum(t > 0 for _, t in best.values()) / max(1, len(best)), 3)


def decisions(
    model: LinearModel, rows: Sequence[QuestionRow], label: Label = extractive
) -> dict[str, float]:
    """Right / wrong shares and calibration of `model` on `rows`, an answer being right when
    `label` says so."""
    p = [model.probability(r.features) for r in rows]
    y = [label(r) for r in rows]
    answered = [pi >= model.threshold for pi in p]
    right = sum(
        (a and ok) or (not a and not r.answerable)
        for a, ok, r in zip(answered, y, rows, strict=True)
    )
    wrong = sum(a and not ok for a, ok in zip(answered, y, strict=True))
    brier = sum((pi - ok) ** 2 for pi, ok in zip(p, y, strict=True)) / max(1, len(rows))
    return {
        "n": len(rows),
        "right": round(right / max(1, len(rows)), 3),
        "wrong": round(wrong / max(1, len(rows)), 3),
        "brier": round(brier, 3),
        "ece": round(expected_calibration_error(p, y), 3),
    }


def expected_calibration_error(p: Sequence[float], y: Sequence[bool], bins: int = 5) -> float:
    """Σ over equal-width bins of |mean confidence − accuracy| × bin share."""
    total, n = 0.0, len(p)
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        members = [i for i, pi in enumerate(p) if lo <= pi < hi or (b == bins - 1 and pi == 1.0)]
        if members:
            conf = sum(p[i] for i in members) / len(members)
            acc = sum(y[i] for i in members) / len(members)
            total += abs(conf - acc) * len(members) / n
    return total


def collect(
    communities: Sequence[EvalCommunity], data_root: Path, models: AnswerModels, what: str
) -> dict[str, list]:
    out: dict[str, list] = {}
    for community in communities:
        copilot = engine(community, data_root, models)
        out[community.id] = (unit_rows if what == "units" else question_rows)(community, copilot)
        copilot.close()
    return out


def run(data_root: Path, write: bool, *, keep_ranker: bool = False) -> dict[str, object]:
    """Fit (or, with `keep_ranker`, keep the shipped ranker and fit only the two decisions),
    report leave-one-community-out, and write models.json unless `write` is False."""
    dev = [c for c in load_communities(splits=("dev",)) if c.available]
    names = [c.id for c in dev]
    start = load_models()
    units = collect(dev, data_root, start, "units")
    ranker = (
        start.ranker if keep_ranker else fit_ranker([r for rows in units.values() for r in rows])
    )
    report: dict[str, object] = {
        "fitted_on": names,
        "loco": {},
        "support_loco": {},
        "ranker_top1_loco": {},
    }
    base_models = AnswerModels(ranker, start.answerability, start.support)
    kept_questions = collect(dev, data_root, base_models, "questions") if keep_ranker else {}
    # Leave one community out: both models fitted without it, scored on it.
    for held in dev:
        others = [r for name, rows in units.items() if name != held.id for r in rows]
        # Kept, the ranker saw every dev community: its top-1 here is in-sample, not LOCO.
        fold_ranker = ranker if keep_ranker else fit_ranker(others)
        report["ranker_top1_loco"][held.id] = top1_share(fold_ranker, units[held.id])  # type: ignore[index]
        fold_models = AnswerModels(fold_ranker, start.answerability, start.support)
        questions = kept_questions or collect(dev, data_root, fold_models, "questions")
        train = [r for name, rows in questions.items() if name != held.id for r in rows]
        fold_answer = fit_answerability(train)
        report["loco"][held.id] = decisions(fold_answer, questions[held.id])  # type: ignore[index]
        fold_support = fit_answerability(train, grounded)
        report["support_loco"][held.id] = decisions(  # type: ignore[index]
            fold_support, questions[held.id], grounded
        )
    questions = kept_questions or collect(dev, data_root, base_models, "questions")
    every = [r for rows in questions.values() for r in rows]
    answerability = fit_answerability(every)
    support = fit_answerability(every, grounded)
    report["in_sample"] = decisions(answerability, every)
    report["support_in_sample"] = decisions(support, every, grounded)
    models = {
        "info": {
            "fitted_on": names,
            "ranker_fitted_on": start.info.get("ranker_fitted_on", start.info.get("fitted_on"))
            if keep_ranker
            else names,
            "held_out_never_read": True,
            "wrong_cost": WRONG_COST,
            "loco": report["loco"],
            "support_loco": report["support_loco"],
            "script": "python -m evals.calibration.fit" + (" --keep-ranker" if keep_ranker else ""),
        },
        "ranker": ranker.to_json(),
        "answerability": answerability.to_json(),
        "support": support.to_json(),
    }
    if write:
        MODELS_PATH.write_text(json.dumps(models, ensure_ascii=False, indent=1) + "\n", "utf-8")
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--data",
        type=Path,
        default=Path(".data/eval-communities"),
        help="where the communities are ingested (reused between runs)",
    )
    parser.add_argument("--dry-run", action="store_true", help="report, do not write models.json")
    parser.add_argument(
        "--keep-ranker",
        action="store_true",
        help="keep the shipped unit ranker; fit only the answer/handoff decisions on it",
    )
    args = parser.parse_args(argv)
    report = run(args.data, write=not args.dry_run, keep_ranker=args.keep_ranker)
    print(json.dumps(report, ensure_ascii=False, indent=1))
    top1 = report["ranker_top1_loco"]
    assert isinstance(top1, dict)
    for name in ("loco", "support_loco"):
        loco = report[name]
        assert isinstance(loco, dict)
        mean = {
            k: round(sum(v[k] for v in loco.values()) / len(loco), 3) for k in ("right", "wrong")
        }
        if name == "loco":
            mean["ranker_top1"] = round(sum(top1.values()) / len(top1), 3)
        print(f"{name.replace('_', ' ')}: leave-one-community-out mean: {mean}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
