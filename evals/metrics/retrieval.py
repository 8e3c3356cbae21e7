"""Ranked-retrieval metrics with pinned formulas (see evals/README.md, "Retrieval metrics").

Public implementations disagree (IDCG over the retrieved length, duplicates counted twice,
short lists inflating nDCG), so the definitions here are explicit:

- ``ranked`` is the retrieval list in rank order (rank 1 first); ``relevant`` is the set of
  labelled relevant ids. An item is a *hit* at rank i when it is relevant and has not appeared at
  an earlier rank (duplicates are ignored: gain 0, but they still use up their rank).
- hit@k    = 1 if any hit at ranks 1..k, else 0
- recall@k = (number of hits at ranks 1..k) / |relevant|
- MRR      = 1 / rank of the first hit (0 when there is none); ``k`` truncates the list
- nDCG@k   = DCG@k / IDCG@k, DCG@k = sum_{i=1..k} g_i / log2(i + 1) with binary gain g_i,
  IDCG@k = sum_{i=1..min(k, |relevant|)} 1 / log2(i + 1). A list shorter than k is not padded
  and IDCG does not shrink with it.

Every function returns None when ``relevant`` is empty: the metric is undefined, and a case
without labels (e.g. an unanswerable question) must not count as a perfect or a zero score.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence


def gains(ranked: Sequence[str | None], relevant: Iterable[str], k: int | None = None) -> list[int]:
    """Binary gain per rank (1-based rank i is index i-1), first occurrences only."""
    rel = set(relevant)
    seen: set[str] = set()
    out: list[int] = []
    for item in ranked[:k] if k is not None else ranked:
        hit = item is not None and item in rel and item not in seen
        if item is not None:
            seen.add(item)
        out.append(1 if hit else 0)
    return out


def hit_at_k(ranked: Sequence[str | None], relevant: Iterable[str], k: int) -> float | None:
    rel = set(relevant)
    if not rel:
        return None
    return 1.0 if any(gains(ranked, rel, k)) else 0.0


def recall_at_k(ranked: Sequence[str | None], relevant: Iterable[str], k: int) -> float | None:
    rel = set(relevant)
    if not rel:
        return None
    return sum(gains(ranked, rel, k)) / len(rel)


def mrr(
    ranked: Sequence[str | None], relevant: Iterable[str], k: int | None = None
) -> float | None:
    rel = set(relevant)
    if not rel:
        return None
    for i, g in enumerate(gains(ranked, rel, k), start=1):
        if g:
            return 1.0 / i
    return 0.0


def ndcg_at_k(ranked: Sequence[str | None], relevant: Iterable[str], k: int) -> float | None:
    rel = set(relevant)
    if not rel:
        return None
    dcg = sum(g / math.log2(i + 1) for i, g in enumerate(gains(ranked, rel, k), start=1))
    idcg = sum(1.0 / math.log2(i + 1) for i in range(1, min(k, len(rel)) + 1))
    return dcg / idcg


def normalize_source(source: str) -> str:
    s = source.replace("\\", "/").strip()
    while s.startswith("./"):
        s = s[2:]
    return s


def source_matches(retrieved: str, expected: str) -> bool:
    """Equal paths, or one is a path-suffix of the other ('a/b/c.md' ~ '/x/a/b/c.md').

    Sources may be recorded absolute or relative to a different folder than the labels; a
    suffix match on whole path segments tolerates that without matching 'c.md' to 'bc.md'.
    """
    r, e = normalize_source(retrieved), normalize_source(expected)
    if not r or not e:
        return False
    return r == e or r.endswith("/" + e) or e.endswith("/" + r)


def label_sources(retrieved: Sequence[str], expected: Sequence[str]) -> list[str | None]:
    """Map each retrieved source to the expected label it matches, or None (not relevant).

    Non-matching sources map to None rather than their own path so they can never collide
    with a label; they still occupy their rank.
    """
    out: list[str | None] = []
    for src in retrieved:
        out.append(next((e for e in expected if source_matches(src, e)), None))
    return out


def retrieval_metrics(
    retrieved_sources: Sequence[str], expected: Sequence[str], ks: Sequence[int]
) -> dict[str, float]:
    """hit@k, recall@k, nDCG@k for each k, and MRR, for one case (empty if no labels)."""
    if not expected:
        return {}
    ranked = label_sources(retrieved_sources, expected)
    rel = set(expected)
    out: dict[str, float] = {}
    for k in ks:
        out[f"hit@{k}"] = hit_at_k(ranked, rel, k) or 0.0
        out[f"recall@{k}"] = recall_at_k(ranked, rel, k) or 0.0
        out[f"ndcg@{k}"] = ndcg_at_k(ranked, rel, k) or 0.0
    out["mrr"] = mrr(ranked, rel) or 0.0
    return out
