"""The answer models are fitted by a tested script and shipped as data fitted on dev only."""

from __future__ import annotations

import json
import random

import yaml

from copilot.retrieval.evidence import QUESTION_FEATURES, UNIT_FEATURES
from copilot.retrieval.models import load_models, parse_models
from evals.calibration.dataset import UnitRow
from evals.calibration.fit import MODELS_PATH, expected_calibration_error, top1_share
from evals.calibration.logistic import best_threshold, fit_listwise, fit_logistic
from evals.communities import COMMUNITIES


def test_logistic_fit_recovers_which_feature_predicts_the_label() -> None:
    rng = random.Random(3)
    rows = [{"signal": rng.random(), "noise": rng.random()} for _ in range(400)]
    targets = [float(r["signal"] + rng.gauss(0, 0.1) > 0.5) for r in rows]
    model = fit_logistic(rows, targets, ["signal", "noise"], l2=0.1)
    assert model.weights["signal"] > 5 and abs(model.weights["noise"]) < 1
    assert model.probability({"signal": 0.9, "noise": 0.5}) > 0.9
    assert model.probability({"signal": 0.1, "noise": 0.5}) < 0.1


def test_listwise_ranker_learns_to_put_the_fact_bearing_unit_first() -> None:
    rng = random.Random(5)
    groups = []
    for _ in range(60):  # each question: one right unit (high "cos"), four distractors
        units = [({"cos": rng.uniform(0.5, 0.9), "len": rng.random()}, 1.0)]
        units += [({"cos": rng.uniform(0.1, 0.6), "len": rng.random()}, 0.0) for _ in range(4)]
        groups.append(units)
    ranker = fit_listwise(groups, ["cos", "len"], l2=0.1)
    assert ranker.weights["cos"] > 3 > abs(ranker.weights["len"])
    rows = [UnitRow("c", f"q{i}", f, t) for i, g in enumerate(groups) for f, t in g]
    assert top1_share(ranker, rows) > 0.9


def test_threshold_trades_wrong_answers_against_missed_ones() -> None:
    p = [0.9, 0.8, 0.7, 0.6, 0.4, 0.3]
    correct = [True, True, False, True, False, False]
    answerable = [True, True, True, True, False, False]
    assert best_threshold(p, correct, answerable, wrong_cost=1.0) == 0.8
    # A wrong answer costing more pushes the threshold up, never down.
    assert best_threshold(p, correct, answerable, wrong_cost=3.0) >= 0.8


def test_calibration_error_is_zero_when_confidence_matches_accuracy() -> None:
    assert expected_calibration_error([0.9] * 10, [True] * 9 + [False]) < 1e-9
    assert expected_calibration_error([0.9] * 10, [False] * 10) > 0.8


def test_the_shipped_models_cover_every_feature_and_were_fitted_on_dev_only() -> None:
    data = json.loads(MODELS_PATH.read_text("utf-8"))
    models = parse_models(data)
    assert set(models.ranker.weights) == set(UNIT_FEATURES)
    assert set(models.answerability.weights) == set(QUESTION_FEATURES)
    assert 0.0 < models.answerability.threshold < 1.0
    assert load_models() == models
    heldout = {
        folder.name
        for folder in COMMUNITIES.iterdir()
        if (folder / "community.yaml").is_file()
        and yaml.safe_load((folder / "community.yaml").read_text("utf-8")).get("split") == "heldout"
    }
    assert heldout, "the evaluation corpus keeps a held-out split"
    assert not heldout & set(data["info"]["fitted_on"])
    assert "loco" in data["info"]  # the honest estimate travels with the model


def test_the_support_model_learns_when_the_passages_hold_the_answer_not_the_quote() -> None:
    from evals.calibration.dataset import QuestionRow
    from evals.calibration.fit import decisions, fit_answerability, grounded

    rng = random.Random(7)
    rows = []
    for i in range(300):
        coverage, cos = rng.random(), rng.random()
        held = coverage > 0.3  # the facts are somewhere in the passages: an LLM finds them
        rows.append(
            QuestionRow(
                "c",
                f"q{i}",
                {"coverage3": coverage, "best_cos": cos},
                answerable=held,
                correct=held and cos > 0.7,  # quoting needs the best unit to be the right one
                grounded=held,
            )
        )
    support = fit_answerability(rows, grounded)
    quote = fit_answerability(rows)
    assert support.weights["coverage3"] > abs(support.weights["best_cos"])
    assert quote.weights["best_cos"] > abs(quote.weights["coverage3"])
    assert decisions(support, rows, grounded)["right"] > 0.9
    assert decisions(quote, rows, grounded)["right"] < 0.6  # the offline gate misses most


def test_a_monotone_fit_never_lets_more_evidence_lower_the_probability() -> None:
    from evals.calibration.logistic import fit_monotone

    rng = random.Random(11)
    rows, targets = [], []
    for _ in range(400):
        # Word overlap that, in this sample, goes with wrong answers (paraphrased questions are
        # right, near misses share the source's words): unconstrained, it would weigh negative.
        right = rng.random() < 0.5
        rows.append(
            {
                "cos": rng.gauss(0.6 if right else 0.4, 0.1),
                "overlap": rng.gauss(0.3 if right else 0.6, 0.1),
            }
        )
        targets.append(float(right))
    free = fit_logistic(rows, targets, ["cos", "overlap"], l2=0.1)
    assert free.weights["overlap"] < -1
    model = fit_monotone(rows, targets, ["cos", "overlap"], {"cos": 1, "overlap": 1}, l2=0.1)
    assert model.weights["overlap"] == 0.0 and model.weights["cos"] > 1
    assert model.probability({"cos": 0.6, "overlap": 1.0}) >= model.probability(
        {"cos": 0.6, "overlap": 0.0}
    )
