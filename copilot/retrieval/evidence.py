"""Evidence for an answer: every answer unit of the retrieved chunks, scored against the question.

Each unit gets a feature vector (its cosine to the question, the question words it and its
chunk hold, how the chunk ranked for vectors and for BM25, whether it has the shape of the
wanted answer, what kind of unit it is). A fitted linear model ranks the units; the best one's
features plus a few question-level ones (do the two retrievers agree, does the community know
the question's words at all) feed the answerability model, whose probability is the answer's
confidence. Both models are data (`models.json`), fitted across communities by
`evals/calibration/fit.py`; nothing here is tuned by hand on one community.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from copilot.embeddings import Vectors
from copilot.retrieval.bm25 import Bm25Index
from copilot.retrieval.models import LinearModel
from copilot.retrieval.question import QuestionProfile
from copilot.retrieval.results import RetrievedChunk
from copilot.retrieval.unknown import unknown_words
from copilot.text import EN_STOPWORDS, detect_language, fold_chinese, tokenize

_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"[a-z0-9]+")
_DEFINITIONAL = (
    "是指",
    "指的是",
    "是一种",
    "是一種",
    "是一个",
    "是一個",
    "定义为",
    "就是",
    "即係",
    "是由",
    " is a ",
    " is an ",
    " means ",
    " refers to ",
    " stands for ",
    " is the ",
)

UNIT_FEATURES = (
    "cos",
    "cos_gap",
    "overlap",
    "overlap_gap",
    "bigram",
    "bigram_gap",
    "chunk_first",
    "chunk_overlap",
    "chunk_sim",
    "chunk_bm25",
    "chunk_fused",
    "shape_hit",
    "shape_miss",
    "kind_qa",
    "kind_reply",
    "kind_item",
    "kind_row",
    "kind_message",
    "list_item",
    "definition_hit",
    "first",
    "log_chars",
)
QUESTION_FEATURES = (
    "best_score",
    "best_cos",
    "best_overlap",
    "best_bigram",
    "best_chunk_overlap",
    "best_chunk_sim",
    "best_chunk_bm25",
    "margin",
    "agree",
    "coverage3",
    "unknown",
    "n_content",
    "cross_language",
    "best_chat",
    "best_qa",
    "best_shape_miss",
)

# The direction each piece of evidence may push the answerability model: stronger retrieval
# evidence never lowers the confidence, unknown words and a missing answer shape never raise it.
QUESTION_FEATURE_SIGNS = {
    "best_score": 1,
    "best_cos": 1,
    "best_overlap": 1,
    "best_bigram": 1,
    "best_chunk_overlap": 1,
    "best_chunk_sim": 1,
    "best_chunk_bm25": 1,
    "margin": 1,
    "agree": 1,
    "coverage3": 1,
    "unknown": -1,
    "best_shape_miss": -1,
}


@dataclass(frozen=True)
class ScoredUnit:
    chunk: int  # index in the retrieval's chunks
    unit: int  # index in that chunk's units
    score: float  # ranker logit
    features: dict[str, float]


@dataclass(frozen=True)
class Evidence:
    units: list[ScoredUnit]  # best first
    features: dict[str, float]  # question-level features for the answerability model

    @property
    def best(self) -> ScoredUnit | None:
        return self.units[0] if self.units else None

    def restricted_to(self, position: dict[int, int]) -> Evidence:
        """The evidence of the chunks kept, renumbered (`position`: old index -> new index)."""
        kept = [
            ScoredUnit(position[s.chunk], s.unit, s.score, s.features)
            for s in self.units
            if s.chunk in position
        ]
        return Evidence(kept, self.features)


def score_units(
    question: QuestionProfile,
    query_vector: Vectors,
    chunks: Sequence[RetrievedChunk],
    bm25: Bm25Index,
    ranker: LinearModel,
    *,
    vector_top: str | None,
    bm25_top: str | None,
) -> Evidence:
    """Rank every unit of `chunks` and compute the question-level evidence."""
    weights = {t: bm25.idf(t) for t in question.content}
    total = sum(weights.values()) or 1.0

    def coverage(tokens: set[str] | frozenset[str]) -> float:
        return sum(w for t, w in weights.items() if t in tokens) / total

    grams = bigrams(question.text)
    max_bm25 = max((c.bm25 for c in chunks), default=0.0) or 1.0
    max_fused = max((c.score for c in chunks), default=0.0) or 1.0
    located: list[tuple[int, int]] = []
    rows: list[dict[str, float]] = []
    for ci, chunk in enumerate(chunks):
        if not chunk.units or chunk.unit_vectors is None:
            continue
        cosines = chunk.unit_vectors @ query_vector
        heading_tokens = _heading_tokens(chunk)
        chunk_overlap = coverage(chunk.tokens)
        for ui, unit in enumerate(chunk.units):
            if unit.contents and not question.wants_list:
                continue  # "It covers: when and where, what to bring, …" answers no one part
            located.append((ci, ui))
            shaped = question.shaped(unit.text)
            rows.append(
                {
                    "cos": float(cosines[ui]),
                    "overlap": coverage(chunk.unit_tokens[ui] | heading_tokens),
                    "bigram": _bigram_share(grams, unit.match_text),
                    "chunk_overlap": chunk_overlap,
                    "chunk_sim": chunk.similarity,
                    "chunk_bm25": chunk.bm25 / max_bm25,
                    "chunk_fused": chunk.score / max_fused,
                    "chunk_first": float(ci == 0),
                    "shape_hit": float(shaped),
                    "shape_miss": float(bool(question.shapes) and not shaped),
                    "kind_qa": float(unit.kind == "qa"),
                    "kind_reply": float(unit.kind == "reply"),
                    "kind_item": float(unit.kind == "item"),
                    "kind_row": float(unit.kind == "row"),
                    "kind_message": float(unit.kind == "message"),
                    "list_item": float(question.wants_list and unit.kind == "item"),
                    "definition_hit": float(
                        question.wants_definition and any(d in unit.text for d in _DEFINITIONAL)
                    ),
                    "first": float(ui == 0),
                    "log_chars": math.log1p(len(unit.text)) / 6.0,
                }
            )
    # How a unit compares with the question's other candidates: a cosine of 0.4 is strong in
    # one community and weak in another, its rank among the candidates is not.
    for name in ("cos", "overlap", "bigram"):
        top = max((r[name] for r in rows), default=0.0)
        for r in rows:
            r[f"{name}_gap"] = r[name] - top
    scored = [
        ScoredUnit(ci, ui, ranker.logit(r), r) for (ci, ui), r in zip(located, rows, strict=True)
    ]
    scored.sort(key=lambda s: (-s.score, s.chunk, s.unit))
    agree = bool(vector_top) and vector_top == bm25_top
    return Evidence(scored, _question_features(question, chunks, scored, coverage, bm25, agree))


@lru_cache(maxsize=65536)  # a pure function of stored text: units are scored again and again
def bigrams(text: str) -> frozenset[str]:
    """Character bigrams of the folded CJK text, and the lower-cased words of the rest:
    robust to how jieba happens to segment a paraphrase."""
    folded = fold_chinese(text)
    out: set[str] = set()
    for run in _CJK_RUN.findall(folded):
        out.update(run[i : i + 2] for i in range(len(run) - 1))
    out.update(w for w in _WORD.findall(folded) if w not in EN_STOPWORDS)
    return frozenset(out)


def _bigram_share(grams: frozenset[str], text: str) -> float:
    return len(grams & bigrams(text)) / len(grams) if grams else 0.0


def _heading_tokens(chunk: RetrievedChunk) -> frozenset[str]:
    leaf = chunk.heading.rsplit(" > ", 1)[-1] if chunk.kind != "chat" else ""
    return _tokens(leaf) if leaf else frozenset()


@lru_cache(maxsize=16384)  # headings repeat across questions; jieba is the costly part
def _tokens(text: str) -> frozenset[str]:
    return frozenset(tokenize(text))


def _question_features(
    question: QuestionProfile,
    chunks: Sequence[RetrievedChunk],
    scored: list[ScoredUnit],
    coverage: Callable[[set[str]], float],
    bm25: Bm25Index,
    agree: bool,
) -> dict[str, float]:
    found: set[str] = set()
    for chunk in chunks[:3]:
        found |= chunk.tokens
    cover = coverage(found)
    best = scored[0] if scored else None
    second = next((s for s in scored[1:] if best and s.chunk != best.chunk), None)
    best_chunk = chunks[best.chunk] if best else None
    evidence_text = best_chunk.units[best.unit].text if best and best_chunk else ""
    language = detect_language(evidence_text) if evidence_text else question.language
    f = best.features if best else {}
    return {
        "best_score": best.score if best else -10.0,
        "best_cos": f.get("cos", 0.0),
        "best_overlap": f.get("overlap", 0.0),
        "best_bigram": f.get("bigram", 0.0),
        "best_chunk_overlap": f.get("chunk_overlap", 0.0),
        "best_chunk_sim": f.get("chunk_sim", 0.0),
        "best_chunk_bm25": f.get("chunk_bm25", 0.0),
        "margin": (best.score - second.score) if best and second else 1.0 if best else 0.0,
        "agree": float(agree),
        "coverage3": cover,
        "unknown": unknown_words(
            list(question.tokens),
            set(question.content),
            bm25,
            evidence_script=None
            if language == question.language
            else ("cjk" if language == "zh" else "latin"),
        ),
        "n_content": min(len(question.content), 10) / 10.0,
        "cross_language": float(language != question.language),
        "best_chat": float(best_chunk is not None and best_chunk.kind == "chat"),
        "best_qa": f.get("kind_qa", 0.0) + f.get("kind_reply", 0.0),
        "best_shape_miss": f.get("shape_miss", 0.0),
    }
