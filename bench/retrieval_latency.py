"""Retrieval latency p50/p95 of the hybrid retriever vs plain LangChain + Chroma search.

Same chunks, same USE vectors, same queries. The baseline is `Chroma.similarity_search`
(vector only); ours adds BM25 over jieba tokens, RRF fusion and SQL hydration.
Usage: python bench/retrieval_latency.py [SIZES...]   (default: 10000 100000)

The vectors of the synthetic passages are embedded once for the first 10k passages and
reused (with small noise) beyond that, to keep the 100k run under a few minutes on 2 cores.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _corpus import Stored, corpus, queries

from copilot.config import Settings
from copilot.embeddings.use import UseEmbedder
from copilot.retrieval.chroma import collection_name
from copilot.service import Copilot
from copilot.store.tables import ChunkRow, ChunkUnitsRow, DocumentRow
from copilot.text import fold_chinese


def build(n: int, tmp: Path, embedder: UseEmbedder) -> Copilot:
    texts = corpus(n)
    base = min(n, 10_000)
    vectors = embedder.embed([fold_chinese(t) for t in texts[:base]])
    if n > base:
        rng = np.random.default_rng(0)
        extra = vectors[rng.integers(0, base, n - base)] + rng.normal(0, 0.02, (n - base, 512))
        extra /= np.linalg.norm(extra, axis=1, keepdims=True)
        vectors = np.vstack([vectors, extra.astype(np.float32)])
    cp = Copilot(
        Settings(data_dir=tmp, llm_provider="offline", top_k=5), embedder=embedder, llm=None
    )
    ids = [f"c{i:06d}" for i in range(n)]
    cp.vectors.upsert("bench", ids, vectors, [{"source": "bench.md", "kind": "playbook"}] * n)
    from datetime import UTC, datetime

    from sqlalchemy import insert

    stored = Stored(embedder)
    with cp.db.session() as s:
        s.add(
            DocumentRow(
                community="bench",
                source="bench.md",
                kind="playbook",
                content_hash="x",
                status="complete",
                chunk_count=n,
                embedder=embedder.name,
                ingested_at=datetime.now(UTC),
            )
        )
        s.add_all(
            ChunkRow(
                community="bench",
                id=cid,
                source="bench.md",
                kind="playbook",
                heading="",
                text=t,
                tokens=stored.tokens(t),
                position=i,
                meta={},
            )
            for i, (cid, t) in enumerate(zip(ids, texts, strict=True))
        )
        for start in range(0, n, 5000):  # units as an ingest stores them (no embedding later)
            chunk = slice(start, start + 5000)
            s.execute(insert(ChunkUnitsRow), stored.units("bench", ids[chunk], texts[chunk]))
    return cp


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(values, q))


def timed(fn, qs: list[str]) -> list[float]:  # type: ignore[no-untyped-def]
    out = []
    for q in qs:
        start = time.perf_counter()
        fn(q)
        out.append((time.perf_counter() - start) * 1000)
    return out


def measure(sizes: list[int]) -> dict[int, dict[str, float]]:
    """p50/p95 ms of our hybrid search and of LangChain + Chroma, per collection size."""
    from langchain_chroma import Chroma
    from langchain_core.embeddings import Embeddings

    embedder = UseEmbedder()

    class LcUse(Embeddings):
        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            return embedder.embed(texts).tolist()

        def embed_query(self, text: str) -> list[float]:
            return embedder.embed([text])[0].tolist()

    qs = queries(200)
    out: dict[int, dict[str, float]] = {}
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            cp = build(n, Path(tmp), embedder)
            built = time.perf_counter() - start
            cp.retriever.search("bench", qs[0])  # warm the BM25 cache, as a server would be
            ours = timed(lambda q, cp=cp: cp.retriever.search("bench", q), qs)
            baseline_store = Chroma(
                client=cp.vectors._client,
                collection_name=collection_name("bench"),
                embedding_function=LcUse(),
            )
            baseline_store.similarity_search(qs[0], k=5)
            base = timed(lambda q, store=baseline_store: store.similarity_search(q, k=5), qs)
            cp.close()
        out[n] = {
            "built_s": built,
            "p50": statistics.median(ours),
            "p95": percentile(ours, 95),
            "base_p50": statistics.median(base),
            "base_p95": percentile(base, 95),
        }
    return out


def main(sizes: list[int]) -> None:
    for n, r in measure(sizes).items():
        print(
            f"{n:>7} chunks (built in {r['built_s']:.0f}s)  "
            f"hybrid p50 {r['p50']:6.1f} ms  p95 {r['p95']:6.1f} ms"
            f" | langchain+chroma p50 {r['base_p50']:6.1f} ms  "
            f"p95 {r['base_p95']:6.1f} ms | ratio p50 {r['p50'] / r['base_p50']:.2f}x"
        )


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [10_000, 100_000])
