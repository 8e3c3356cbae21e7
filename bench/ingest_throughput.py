"""Ingest throughput (chunks/s) of the full pipeline vs the raw embedder on the same texts.

The pipeline does chunk hashing, jieba tokenizing, embedding, Chroma upsert and SQL writes;
the ratio shows how much of the time is the embedder itself (1.0 would be free overhead).
Chunks carry their answer units (sentences) as a real ingest cuts them, and those are
embedded too, so the baseline is the raw embedder on every text the pipeline must embed
(chunks and units); the chunk texts alone are printed as a second, stricter baseline.
Usage: python bench/ingest_throughput.py [N_CHUNKS]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _corpus import corpus

from copilot.config import Settings
from copilot.embeddings.use import UseEmbedder
from copilot.knowledge.chunking import Piece
from copilot.knowledge.indexer import EMBED_BATCH
from copilot.retrieval.units import sentence_units
from copilot.service import Copilot
from copilot.text import fold_chinese, tokenize


def measure(n: int, blocks: int = 4) -> dict[str, float]:
    """Chunks/s of the raw embedder and of the ingest pipeline on the same `n` texts.

    The texts go in `blocks` files; each file is embedded raw (chunk texts only, then chunks
    and units as the indexer batches them) and then ingested, so the three see the same load
    on a shared machine, and the times are summed over the blocks."""
    texts = corpus(n)
    embedder = UseEmbedder()
    embedder.embed(texts[:8])  # load weights outside the timing
    tokenize("预热 warm-up")  # and jieba's dictionary
    pieces = [
        Piece(f"section {i // 20}", t, units=tuple(sentence_units(t))) for i, t in enumerate(texts)
    ]
    size = -(-n // blocks)
    spent = {"chunks_only": 0.0, "raw": 0.0, "pipeline": 0.0}
    with tempfile.TemporaryDirectory() as tmp:
        cp = Copilot(
            Settings(data_dir=Path(tmp), llm_provider="offline"), embedder=embedder, llm=None
        )
        cp.vectors.check("bench")  # open the store outside the timing
        files = [pieces[i : i + size] for i in range(0, n, size)]
        for f, block in enumerate(files):
            start = time.perf_counter()
            embedder.embed([fold_chinese(p.indexed_text) for p in block])
            spent["chunks_only"] += time.perf_counter() - start
            start = time.perf_counter()
            for i in range(0, len(block), EMBED_BATCH):  # as the indexer batches them
                batch = block[i : i + EMBED_BATCH]
                embedder.embed(
                    [fold_chinese(p.indexed_text) for p in batch]
                    + [fold_chinese(u.match_text) for p in batch for u in p.units]
                )
            spent["raw"] += time.perf_counter() - start
            start = time.perf_counter()
            cp.indexer.index("bench", f"bench-{f}.md", "playbook", block)
            spent["pipeline"] += time.perf_counter() - start
        start = time.perf_counter()
        for f, block in enumerate(files):
            cp.indexer.index("bench", f"bench-{f}.md", "playbook", block)
        unchanged = time.perf_counter() - start
        cp.close()
    return {name: n / seconds for name, seconds in spent.items()} | {"unchanged_s": unchanged}


def main(n: int) -> None:
    r = measure(n)
    raw, pipeline, unchanged = r["raw"], r["pipeline"], r["unchanged_s"]
    print(f"chunks: {n}")
    print(f"raw embedder, chunks and units: {raw:8.1f} chunks/s")
    print(f"raw embedder, chunk texts only: {r['chunks_only']:8.1f} chunks/s")
    print(
        f"ingest pipeline:                {pipeline:8.1f} chunks/s   ratio to raw embedder: "
        f"{pipeline / raw:.2f} (chunk texts only: {pipeline / r['chunks_only']:.2f})"
    )
    print(f"re-ingest unchanged: {unchanged * 1000:6.1f} ms (no embedding)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
