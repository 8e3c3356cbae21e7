"""The speed table of the speed issue, every row measured in this one run.

Rows: a warm offline ask vs one question embedding; the server at 1/8/16/32 clients (and 32
for the soak) vs in-process and vs single-question embeddings/s; CLI cold starts; ingest vs the
raw embedder; hybrid retrieval at large sizes vs plain LangChain + Chroma; many communities in
one process (memory per community, first query after a restart, BM25 indexes held).

Usage: python bench/speed_report.py [--sizes 100000] [--communities 1000] [--chunks-per 100]
       [--soak 60] [--quick]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from sqlalchemy import insert

sys.path.insert(0, str(Path(__file__).resolve().parent))

import ask_cost
import ingest_throughput
import load_api
import retrieval_latency
from _corpus import Stored, corpus, queries

from copilot.config import Settings
from copilot.embeddings.use import UseEmbedder
from copilot.retrieval.hybrid import BM25_CACHED
from copilot.service import Copilot
from copilot.store.tables import ChunkRow, ChunkUnitsRow, DocumentRow
from copilot.text import fold_chinese

CLI_COMMANDS = {
    "copilot --help": ["--help"],
    "copilot keys list": ["keys", "list"],
    "copilot profile show": ["profile", "show", "-c", "bench"],
    "copilot stats": ["stats", "-c", "bench"],
    "copilot ask": ["ask", "积分可以用来做什么？", "-c", "bench"],
}


def cli_cold_starts(runs: int = 3) -> dict[str, float]:
    """Median wall seconds of each command in a new process (data dir ingested beforehand)."""
    with tempfile.TemporaryDirectory(prefix="copilot-cli-") as tmp:
        env, _ = load_api.prepare(Path(tmp))
        out = {}
        for name, args in CLI_COMMANDS.items():
            times = []
            for _ in range(runs):
                start = time.perf_counter()
                subprocess.run([load_api.COPILOT, *args], env=env, check=True, capture_output=True)
                times.append(time.perf_counter() - start)
            out[name] = statistics.median(times)
    return out


def _rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def many_communities(n: int, per: int, embedder: UseEmbedder) -> dict[str, float]:
    """`n` communities of `per` chunks: memory per searched community, first-query latency in
    a new process over the same data dir, and how many BM25 indexes stay held."""
    texts = corpus(per)
    vectors = embedder.embed([fold_chinese(t) for t in texts])
    stored = Stored(embedder)
    tokens = [stored.tokens(t) for t in texts]
    qs = queries(20)
    with tempfile.TemporaryDirectory(prefix="copilot-many-") as tmp:
        settings = Settings(data_dir=Path(tmp), llm_provider="offline", _env_file=None)  # type: ignore[call-arg]
        cp = Copilot(settings, embedder=embedder, llm=None)
        rng = np.random.default_rng(1)
        for c in range(n):
            community = f"c{c:04d}"
            noisy = vectors + rng.normal(0, 0.02, vectors.shape).astype(np.float32)
            noisy /= np.linalg.norm(noisy, axis=1, keepdims=True)
            ids = [f"{community}-{i:05d}" for i in range(per)]
            cp.vectors.upsert(community, ids, noisy, [{"source": "a.md", "kind": "playbook"}] * per)
            with cp.db.session() as s:
                s.add(
                    DocumentRow(
                        community=community,
                        source="a.md",
                        kind="playbook",
                        content_hash=community,
                        status="complete",
                        chunk_count=per,
                        embedder=embedder.name,
                        ingested_at=datetime.now(UTC),
                    )
                )
                s.add_all(
                    ChunkRow(
                        community=community,
                        id=cid,
                        source="a.md",
                        kind="playbook",
                        heading="",
                        text=t,
                        tokens=tok,
                        position=i,
                        meta={},
                    )
                    for i, (cid, t, tok) in enumerate(zip(ids, texts, tokens, strict=True))
                )
                s.execute(insert(ChunkUnitsRow), stored.units(community, ids, texts))
        cp.close()
        # A restart: a new process-like Copilot over the same data dir.
        fresh = Copilot(settings, embedder=embedder, llm=None)
        fresh.retriever.search("c0000", qs[0])
        before = _rss_mb()
        first = []
        for c in range(n):
            start = time.perf_counter()
            fresh.retriever.search(f"c{c:04d}", qs[c % len(qs)])
            first.append((time.perf_counter() - start) * 1000)
        after = _rss_mb()
        warm = []
        for c in range(min(n, 200)):
            start = time.perf_counter()
            fresh.retriever.search(f"c{c:04d}", qs[(c + 1) % len(qs)])
            warm.append((time.perf_counter() - start) * 1000)
        held = len(fresh.retriever._bm25)
        fresh.close()
    return {
        "communities": n,
        "chunks_per": per,
        "mb_per_community": (after - before) / n,
        "first_p50": statistics.median(first),
        "first_p95": float(np.percentile(first, 95)),
        "warm_p50": statistics.median(warm),
        "bm25_held": held,
        "bm25_cap": BM25_CACHED,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="100000", help="Chunks in one community, a,b,...")
    parser.add_argument("--communities", type=int, default=1000)
    parser.add_argument("--chunks-per", type=int, default=100)
    parser.add_argument("--soak", type=float, default=60)
    parser.add_argument("--seconds", type=float, default=10, help="Per client count.")
    parser.add_argument("--ingest", type=int, default=2000, help="Chunks for the ingest row.")
    args = parser.parse_args()
    rows: list[tuple[str, str, str]] = []

    with tempfile.TemporaryDirectory(prefix="copilot-ask-") as tmp:
        cp = ask_cost.starter_copilot(Path(tmp))
        a = ask_cost.measure(cp)
        cp.close()
    floor = f"one question embedding {a['embed_ms']:.1f} ms ({a['embeddings_per_s']:.0f}/s)"
    rows.append(
        (
            "warm offline ask, new question",
            f"{a['ask_new_ms']:.1f} ms = {a['ask_new_x']:.2f}x",
            floor,
        )
    )
    rows.append(
        (
            "warm offline ask, repeated question",
            f"{a['ask_repeated_ms']:.1f} ms = {a['ask_repeated_x']:.2f}x",
            floor,
        )
    )

    load = load_api.measure([1, 8, 16, 32], args.seconds, args.soak)
    embed, direct = load["embeddings_per_s"], load["in_process_rps"]
    base = f"in-process 1 thread {direct:.1f}/s; embeddings {embed:.0f}/s"
    for name, r in load["rows"].items():
        if name.startswith("HTTP"):
            rows.append(
                (
                    f"copilot serve, {name.removeprefix('HTTP, ')}",
                    f"{r['throughput_rps']:.1f}/s, p95 {r['p95_ms']:.0f} ms, {r['errors']} errors; "
                    f"{r['throughput_rps'] / embed:.2f}x embeddings/s, "
                    f"{r['throughput_rps'] / direct:.2f}x in-process",
                    base,
                )
            )
    rows.append(("server answers = in-process answers", f"{10 - load['differ']}/10 identical", ""))
    for name, r in load["rows"].items():
        for reason in r.get("error_reasons", []):
            rows.append((f"error, {name}", reason.replace("|", "/"), ""))

    for name, seconds in cli_cold_starts().items():
        rows.append((f"{name} (cold process)", f"{seconds:.2f} s", ""))

    ingest = ingest_throughput.measure(args.ingest)
    rows.append(
        (
            f"ingest pipeline ({args.ingest} long chunks)",
            f"{ingest['pipeline']:.0f} chunks/s = {ingest['pipeline'] / ingest['raw']:.2f}x",
            f"raw embedder on the same texts (chunks + units) {ingest['raw']:.0f} chunks/s; "
            f"chunk texts only {ingest['chunks_only']:.0f}/s = "
            f"{ingest['pipeline'] / ingest['chunks_only']:.2f}x",
        )
    )

    sizes = [int(s) for s in args.sizes.split(",") if s]
    for n, r in retrieval_latency.measure(sizes).items():
        rows.append(
            (
                f"hybrid retrieval, {n:,} chunks",
                f"p50 {r['p50']:.1f} ms, p95 {r['p95']:.1f} ms = {r['p95'] / r['base_p95']:.2f}x",
                f"LangChain + Chroma p50 {r['base_p50']:.1f}, p95 {r['base_p95']:.1f} ms",
            )
        )

    m = many_communities(args.communities, args.chunks_per, UseEmbedder())
    rows.append(
        (
            f"{m['communities']} communities x {m['chunks_per']} chunks, one process",
            f"{m['mb_per_community']:.2f} MB/community searched; first query after restart "
            f"p50 {m['first_p50']:.1f} ms, p95 {m['first_p95']:.1f} ms; warm p50 "
            f"{m['warm_p50']:.1f} ms",
            f"BM25 indexes held {m['bm25_held']} (cap {m['bm25_cap']})",
        )
    )

    print("| what | measured | baseline in the same run |")
    print("|---|---|---|")
    for what, value, baseline in rows:
        print(f"| {what} | {value} | {baseline} |")


if __name__ == "__main__":
    main()
