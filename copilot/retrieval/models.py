"""The fitted models that rank answer units and decide whether to answer: data, not code.

`models.json` beside this file is written by `evals/calibration/fit.py` from the evaluation
communities' dev split (never the held-out one) and records what it was fitted on. The models
are logistic: a weight per named feature and a bias; the two decision models also carry the
probability threshold below which the copilot hands off. There are two decisions because the two
answer paths need different things: the offline engine quotes one unit, so it must be the right
one (`answerability`); an LLM reads every passage retrieved, so they must hold the answer
somewhere (`support`).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources
from itertools import repeat
from operator import mul
from typing import Any


@dataclass(frozen=True)
class LinearModel:
    """A logistic model over named features (a missing feature counts as 0)."""

    weights: dict[str, float]
    bias: float = 0.0
    threshold: float = 0.5

    @cached_property
    def _terms(self) -> tuple[tuple[str, ...], tuple[float, ...]]:
        return tuple(self.weights), tuple(self.weights.values())

    def logit(self, features: dict[str, float]) -> float:
        # The same products summed in the same order as a generator over the weights, at a
        # third of the cost (it runs for every unit of every candidate of every search).
        names, weights = self._terms
        return self.bias + sum(map(mul, weights, map(features.get, names, repeat(0.0))))

    def probability(self, features: dict[str, float]) -> float:
        z = max(-30.0, min(30.0, self.logit(features)))
        return 1.0 / (1.0 + math.exp(-z))

    def to_json(self) -> dict[str, Any]:
        return {"weights": self.weights, "bias": self.bias, "threshold": self.threshold}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LinearModel:
        return cls(
            {k: float(v) for k, v in data["weights"].items()},
            float(data.get("bias", 0.0)),
            float(data.get("threshold", 0.5)),
        )


@dataclass(frozen=True)
class AnswerModels:
    ranker: LinearModel  # which unit answers the question
    answerability: LinearModel  # P(the offline answer, built on the best unit, is right)
    support: LinearModel  # P(the passages an LLM is given hold the answer)
    info: dict[str, Any] = field(default_factory=dict)  # what it was fitted on, and how well


@lru_cache(maxsize=1)
def load_models() -> AnswerModels:
    """The shipped models (package data)."""
    text = resources.files("copilot.retrieval").joinpath("models.json").read_text("utf-8")
    return parse_models(json.loads(text))


def parse_models(data: dict[str, Any]) -> AnswerModels:
    answerability = LinearModel.from_json(data["answerability"])
    return AnswerModels(
        LinearModel.from_json(data["ranker"]),
        answerability,
        LinearModel.from_json(data["support"]) if "support" in data else answerability,
        dict(data.get("info", {})),
    )
