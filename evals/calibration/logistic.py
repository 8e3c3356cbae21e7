"""L2-regularised logistic regression by Newton's method (numpy only; a few hundred rows).

Labels may be soft (a share of the expected facts a unit holds), so it minimises cross-entropy
against targets in [0, 1]. Small, exact and deterministic: no solver to configure.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from copilot.retrieval.models import LinearModel

Matrix = npt.NDArray[np.float64]


def fit_logistic(
    rows: Sequence[dict[str, float]],
    targets: Sequence[float],
    features: Sequence[str],
    *,
    l2: float = 1.0,
    sample_weight: Sequence[float] | None = None,
    iterations: int = 50,
) -> LinearModel:
    """The model maximising the (weighted) likelihood of `targets`, bias unpenalised."""
    x = np.array([[row.get(f, 0.0) for f in features] for row in rows], dtype=np.float64)
    y = np.asarray(targets, dtype=np.float64)
    w_rows = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, float)
    x1 = np.hstack([x, np.ones((len(y), 1))])
    beta = np.zeros(x1.shape[1])
    penalty = np.full(x1.shape[1], l2)
    penalty[-1] = 0.0  # the bias is not shrunk
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(x1 @ beta, -30, 30)))
        gradient = x1.T @ (w_rows * (p - y)) + penalty * beta
        hessian = (x1 * (w_rows * p * (1 - p))[:, None]).T @ x1 + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if np.max(np.abs(step)) < 1e-8:
            break
    weights = {f: round(float(b), 4) for f, b in zip(features, beta[:-1], strict=True)}
    return LinearModel(weights, round(float(beta[-1]), 4))


def fit_monotone(
    rows: Sequence[dict[str, float]],
    targets: Sequence[float],
    features: Sequence[str],
    signs: dict[str, int],
    *,
    l2: float = 1.0,
) -> LinearModel:
    """`fit_logistic` with sign constraints: a feature in `signs` may only weigh in its
    direction (+1: more of it never lowers the probability), or not at all. The eval questions
    are paraphrased on purpose, so there a question in the source's own words is more often a
    near miss than in real use; unconstrained, the fit learns that matching words lower
    confidence. Greedy: the worst offender is dropped for good and the rest refitted."""
    kept = list(features)
    while True:
        model = fit_logistic(rows, targets, kept, l2=l2)
        wrong = [f for f in kept if signs.get(f, 0) * model.weights[f] < 0]
        if not wrong:
            return LinearModel({f: model.weights.get(f, 0.0) for f in features}, model.bias)
        kept.remove(min(wrong, key=lambda f: signs[f] * model.weights[f]))


def best_threshold(
    probabilities: Sequence[float],
    correct_if_answered: Sequence[bool],
    answerable: Sequence[bool],
    *,
    wrong_cost: float = 2.0,
) -> float:
    """The handoff threshold that maximises right decisions, a wrong answer costing
    `wrong_cost` (a wrong answer hurts a member more than a handoff that a moderator fixes)."""
    p = np.asarray(probabilities, float)
    good = np.asarray(correct_if_answered, bool)
    can = np.asarray(answerable, bool)
    best, best_score = 0.5, -np.inf
    # Highest first: of thresholds that score the same, the most careful one wins.
    for t in np.unique(np.concatenate([p, [0.5]]))[::-1]:
        answered = p >= t
        score = (
            (answered & good).sum()
            + (~answered & ~can).sum()
            - wrong_cost * (answered & ~good).sum()
        )
        if score > best_score + 1e-9:
            best, best_score = float(t), float(score)
    return round(best, 4)


def fit_listwise(
    groups: Sequence[Sequence[tuple[dict[str, float], float]]],
    features: Sequence[str],
    *,
    l2: float = 1.0,
    iterations: int = 50,
) -> LinearModel:
    """A ranker: softmax over each group's candidates (one group = one question's units),
    trained towards the group's labels normalised to a distribution. Only the ranking within a
    group matters, so the model has no bias."""
    blocks = []
    for group in groups:
        labels = np.array([t for _, t in group], dtype=np.float64)
        if labels.sum() <= 0:
            continue
        x = np.array([[f.get(name, 0.0) for name in features] for f, _ in group], np.float64)
        blocks.append((x, labels / labels.sum()))
    beta = np.zeros(len(features))
    for _ in range(iterations):
        gradient = l2 * beta
        hessian = np.diag(np.full(len(features), l2 + 1e-9))
        for x, target in blocks:
            z = x @ beta
            p = np.exp(z - z.max())
            p /= p.sum()
            mean = p @ x
            gradient += x.T @ (p - target)
            hessian += (x * p[:, None]).T @ x - np.outer(mean, mean)
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if np.max(np.abs(step)) < 1e-8:
            break
    return LinearModel({f: round(float(b), 4) for f, b in zip(features, beta, strict=True)})
