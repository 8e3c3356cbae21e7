"""Retrieval latency p50/p95 of the hybrid retriever vs plain LangChain + Chroma search.

Same chunks, same USE vectors, same queries, same k, one process, the two timed in turns for
each query (so they see the same machine load). The baseline is `Chroma.similarity_search`
(vector only, top 5); ours adds BM25 over jieba tokens, RRF fusion, SQL hydration and the
re-ranking of answer units. Two rows per size:
- new questions: each side embeds each query itself, with its own embedder instance (no cache
  that one side filled for the other: earlier runs gave the baseline the vectors ours had just
  embedded, which put 3 ms of embedding on one side only);
- vectors given: both sides get the query vectors (``similarity_search_by_vector``), so the
  ratio is the retrieval work alone.
Usage: python bench/retrieval_latency.py [SIZES...]   (default: 10000 100000)

The vectors of the synthetic passages are embedded once for the first 10k passages and
reused (with small noise) beyond that, to keep the 100k run under a few minutes on 2 cores.
From 200k chunks, Chroma is written by a child process (through the product's adapter, into
the same collection) while this one writes the SQL rows: the build of 1M chunks then fits in
the time of Chroma's HNSW inserts. The searches are the product's, whatever the build did.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _corpus import CHILD_WRITES_CHROMA, Stored, corpus, queries, store_chunks, synthetic_vectors

from copilot.config import Settings
from copilot.embeddings.use import UseEmbedder
from copilot.retrieval.snapshot_store import SnapshotVectorStore
from copilot.retrieval.vector_store import collection_name
from copilot.service import Copilot
from copilot.text import detect_language


def build(n: int, tmp: Path, embedder: UseEmbedder) -> Copilot:
    texts = corpus(n)
    # A large community's vectors go through a file, which its Chroma writer reads.
    out = tmp / "bench-vectors.npy" if n >= CHILD_WRITES_CHROMA else None
    vectors = synthetic_vectors(embedder, texts, out)
    cp = Copilot(
        Settings(data_dir=tmp, llm_provider="offline", top_k=5, _env_file=None),  # type: ignore[call-arg]
        embedder=embedder,
        llm=None,
    )
    store_chunks(cp, "bench", texts, vectors, Stored(embedder))
    return cp


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(values, q))


def in_turns(
    ours: Callable[[int], object], base: Callable[[int], object], n: int
) -> tuple[list[float], list[float]]:
    """ms of ours(i) and base(i) for each i, timed one after the other."""
    a: list[float] = []
    b: list[float] = []
    for i in range(n):
        for fn, out in ((ours, a), (base, b)):
            start = time.perf_counter()
            fn(i)
            out.append((time.perf_counter() - start) * 1000)
    return a, b


def _row(ours: list[float], base: list[float]) -> dict[str, float]:
    return {
        "p50": statistics.median(ours),
        "p95": percentile(ours, 95),
        "base_p50": statistics.median(base),
        "base_p95": percentile(base, 95),
    }


def measure(sizes: list[int]) -> dict[int, dict[str, dict[str, float]]]:
    """Per size: {"new questions": {...}, "vectors given": {...}} of p50/p95 ms, and the
    build time."""
    return {n: _measure(n) for n in sizes}


def _measure(n: int) -> dict[str, dict[str, float]]:
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        cp = build(n, Path(tmp), UseEmbedder())
        built = time.perf_counter() - start
        rows = compare(cp)
        rss = _rss_mb()  # both stores open, every index built, the searches done
        cp.close()
    return rows | {"build": {"seconds": built, "rss_mb": rss}}


def _rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def compare(cp: Copilot) -> dict[str, dict[str, float]]:
    """Both rows for the community "bench" of `cp`."""
    from langchain_chroma import Chroma
    from langchain_core.embeddings import Embeddings

    theirs = UseEmbedder()  # the baseline's own instance: its own cache of single texts

    class LcUse(Embeddings):
        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            return theirs.embed(texts).tolist()

        def embed_query(self, text: str) -> list[float]:
            return theirs.embed([text])[0].tolist()

    qs, others = queries(200), queries(200, seed=5)
    store = cp.vectors.store if isinstance(cp.vectors, SnapshotVectorStore) else cp.vectors
    baseline = Chroma(
        client=store._client,  # type: ignore[attr-defined]
        collection_name=collection_name("bench"),
        embedding_function=LcUse(),
    )
    for q in queries(5, seed=3):  # weights, jieba, the BM25 index: as a running server
        cp.retriever.search("bench", q)
        baseline.similarity_search(q, k=5)
    detect_language("Après la réunion, merci à tous !")  # langdetect loads once: 0.3 s
    new = in_turns(
        lambda i: cp.retriever.search("bench", qs[i]),
        lambda i: baseline.similarity_search(qs[i], k=5),
        len(qs),
    )
    # Other questions (no row of theirs cached yet), embedded beforehand for both.
    cp.retriever.prefetch(others)
    vectors = [LcUse().embed_query(q) for q in others]
    given = in_turns(
        lambda i: cp.retriever.search("bench", others[i]),
        lambda i: baseline.similarity_search_by_vector(vectors[i], k=5),
        len(others),
    )
    return {"new questions": _row(*new), "vectors given": _row(*given)}


def main(sizes: list[int]) -> None:
    import resource

    for n in sizes:
        rows = _measure(n)
        built = rows["build"]
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB
        print(
            f"{n:>9,} chunks (built in {built['seconds']:.0f} s; RSS after the searches "
            f"{built['rss_mb']:,.0f} MB, peak so far {peak:,.0f} MB)",
            flush=True,
        )
        for name in ("new questions", "vectors given"):
            r = rows[name]
            print(
                f"  {name:14} hybrid p50 {r['p50']:6.2f} ms  p95 {r['p95']:6.2f} ms"
                f" | langchain+chroma p50 {r['base_p50']:6.2f} ms  p95 {r['base_p95']:6.2f} ms"
                f" | ratio p50 {r['p50'] / r['base_p50']:.2f}x  p95 {r['p95'] / r['base_p95']:.2f}x"
            )


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [10_000, 100_000])
