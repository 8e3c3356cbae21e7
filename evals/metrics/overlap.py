"""Chinese-aware text overlap: token F1 over jieba tokens of folded text.

ROUGE/BLEU implementations tokenise on whitespace or strip non-ASCII, which scores Chinese
as zero or as one giant token. Here both texts go through `copilot.text.tokenize` (NFKC,
traditional→simplified, lowercase, jieba search-mode tokens, stopwords and punctuation
removed), so 「會費」 and 「会费」 match and English words are compared as words.

overlap = multiset intersection of the two token bags;
precision = |overlap| / |candidate tokens|, recall = |overlap| / |reference tokens|,
F1 = 2PR / (P + R); all 0 when either side has no tokens.
"""

from __future__ import annotations

from collections import Counter

from evals.metrics.text import tokenize


def token_overlap(candidate: str, reference: str) -> dict[str, float]:
    cand, ref = Counter(tokenize(candidate)), Counter(tokenize(reference))
    common = sum((cand & ref).values())
    if not common:
        return {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    p = common / sum(cand.values())
    r = common / sum(ref.values())
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r)}
