"""The speed table of the speed issue, every row measured in this one run.

Rows: a warm offline ask vs one question embedding; the server at 1/8/16/32 clients (and 32
for the soak) vs in-process and vs single-question embeddings/s; CLI cold starts; ingest vs the
raw embedder; hybrid retrieval at large sizes vs plain LangChain + Chroma; many communities in
one process (memory per community, first query after a restart, BM25 indexes held).

Usage: python bench/speed_report.py [--parts ask,serve,cli,ingest,retrieval,communities]
       [--sizes 100000] [--communities 1000] [--chunks-per 1000] [--soak 60]
"""

from __future__ import annotations

import argparse
import gc
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import ask_cost
import ingest_throughput
import load_api
import retrieval_latency
from _corpus import Stored, corpus, queries, store_chunks

from copilot.config import Settings
from copilot.embeddings.use import UseEmbedder
from copilot.retrieval.keyword import KEYWORD_CACHED
from copilot.retrieval.snapshot_store import SnapshotVectorStore
from copilot.service import Copilot
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


def _memory_mb() -> dict[str, float]:
    """VmRSS and its anonymous part (RssAnon): mapped files (SQLite pages, vector snapshots,
    the USE weights) are the OS's shared, reclaimable page cache; anonymous memory is ours."""
    found = {}
    with open("/proc/self/status") as status:
        for line in status:
            name, _, value = line.partition(":")
            if name in ("VmRSS", "RssAnon"):
                found[name] = int(value.split()[0]) / 1024
    return found


def many_communities(n: int, per: int, embedder: UseEmbedder) -> dict[str, float]:
    """`n` communities of `per` chunks: memory per searched community, first-query latency in
    a new Copilot over the same data dir (a restart, minus the imports), and how many keyword
    (BM25) indexes stay held."""
    texts = corpus(per)
    vectors = embedder.embed([fold_chinese(t) for t in texts])
    stored = Stored(embedder)
    qs = queries(20)
    with tempfile.TemporaryDirectory(prefix="copilot-many-") as tmp:
        settings = Settings(data_dir=Path(tmp), llm_provider="offline", _env_file=None)  # type: ignore[call-arg]
        cp = Copilot(settings, embedder=embedder, llm=None)
        rng = np.random.default_rng(1)
        start = time.perf_counter()
        for c in range(n):
            noisy = vectors + rng.normal(0, 0.02, vectors.shape).astype(np.float32)
            noisy /= np.linalg.norm(noisy, axis=1, keepdims=True)
            store_chunks(cp, f"c{c:04d}", texts, noisy, stored)
        built = time.perf_counter() - start
        cp.close()
        # A restart: a new Copilot over the same data dir.
        fresh = Copilot(settings, embedder=embedder, llm=None)
        fresh.retriever.search("c0000", qs[0])
        gc.collect()
        before = _memory_mb()
        first = []
        for c in range(n):
            start = time.perf_counter()
            fresh.retriever.search(f"c{c:04d}", qs[c % len(qs)])
            first.append((time.perf_counter() - start) * 1000)
        gc.collect()
        after = _memory_mb()
        warm = []
        for c in range(n - min(n, 50), n):  # the most recently searched: their indexes held
            start = time.perf_counter()
            fresh.retriever.search(f"c{c:04d}", qs[(c + 1) % len(qs)])
            warm.append((time.perf_counter() - start) * 1000)
        held = len(fresh.retriever.keyword)
        vectors = fresh.vectors
        opened = isinstance(vectors, SnapshotVectorStore) and vectors.opened
        mapped = vectors.mapped if isinstance(vectors, SnapshotVectorStore) else 0
        fresh.close()
    return {
        "communities": n,
        "chunks_per": per,
        "built_s": built,
        "mb_per_community": (after["VmRSS"] - before["VmRSS"]) / n,
        "anon_mb_per_community": (after["RssAnon"] - before["RssAnon"]) / n,
        "first_p50": statistics.median(first),
        "first_p95": float(np.percentile(first, 95)),
        "warm_p50": statistics.median(warm),
        "bm25_held": held,
        "bm25_cap": KEYWORD_CACHED,
        "chroma_opened": float(opened),
        "snapshots_mapped": mapped,
    }


Row = tuple[str, str, str]


def ask_rows(args: argparse.Namespace) -> list[Row]:
    with tempfile.TemporaryDirectory(prefix="copilot-ask-") as tmp:
        cp = ask_cost.starter_copilot(Path(tmp))
        a = ask_cost.measure(cp)
        cp.close()
    floor = f"one question embedding {a['embed_ms']:.1f} ms ({a['embeddings_per_s']:.0f}/s)"
    return [
        (
            "warm offline ask, new question",
            f"{a['ask_new_ms']:.1f} ms = {a['ask_new_x']:.2f}x",
            floor,
        ),
        (
            "warm offline ask, repeated question",
            f"{a['ask_repeated_ms']:.1f} ms = {a['ask_repeated_x']:.2f}x",
            floor,
        ),
    ]


def serve_rows(args: argparse.Namespace) -> list[Row]:
    rows: list[Row] = []
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
    return rows


def cli_rows(args: argparse.Namespace) -> list[Row]:
    return [(f"{name} (cold process)", f"{s:.2f} s", "") for name, s in cli_cold_starts().items()]


def ingest_rows(args: argparse.Namespace) -> list[Row]:
    ingest = ingest_throughput.measure(args.ingest)
    return [
        (
            f"ingest pipeline ({args.ingest} long chunks)",
            f"{ingest['pipeline']:.0f} chunks/s = {ingest['pipeline'] / ingest['raw']:.2f}x",
            f"raw embedder on the same texts (chunks + units) {ingest['raw']:.0f} chunks/s; "
            f"chunk texts only {ingest['chunks_only']:.0f}/s = "
            f"{ingest['pipeline'] / ingest['chunks_only']:.2f}x",
        )
    ]


def retrieval_rows(args: argparse.Namespace) -> list[Row]:
    rows: list[Row] = []
    sizes = [int(s) for s in args.sizes.split(",") if s]
    for n, measured in retrieval_latency.measure(sizes).items():
        for name in ("new questions", "vectors given"):
            r = measured[name]
            rows.append(
                (
                    f"hybrid retrieval, {n:,} chunks, {name}",
                    f"p50 {r['p50']:.1f} ms, p95 {r['p95']:.1f} ms = "
                    f"{r['p50'] / r['base_p50']:.2f}x p50, {r['p95'] / r['base_p95']:.2f}x p95",
                    f"LangChain + Chroma, top 5: p50 {r['base_p50']:.1f}, "
                    f"p95 {r['base_p95']:.1f} ms; RSS {measured['build']['rss_mb']:,.0f} MB",
                )
            )
    return rows


def communities_rows(args: argparse.Namespace) -> list[Row]:
    m = many_communities(args.communities, args.chunks_per, UseEmbedder())
    return [
        (
            f"{m['communities']:,} communities x {m['chunks_per']:,} chunks, one process",
            f"RSS {m['mb_per_community']:.2f} MB/community searched "
            f"(anonymous {m['anon_mb_per_community']:.2f}); first query after restart "
            f"p50 {m['first_p50']:.1f} ms, p95 {m['first_p95']:.1f} ms; warm p50 "
            f"{m['warm_p50']:.1f} ms; Chroma opened: {'yes' if m['chroma_opened'] else 'no'}",
            f"BM25 indexes held {m['bm25_held']} (cap {m['bm25_cap']}), vector snapshots "
            f"mapped {m['snapshots_mapped']}; built in {m['built_s']:.0f} s",
        )
    ]


PARTS = {
    "ask": ask_rows,
    "serve": serve_rows,
    "cli": cli_rows,
    "ingest": ingest_rows,
    "retrieval": retrieval_rows,
    "communities": communities_rows,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--parts", default=",".join(PARTS), help="Rows to measure, a,b,...")
    parser.add_argument("--sizes", default="100000", help="Chunks in one community, a,b,...")
    parser.add_argument("--communities", type=int, default=1000)
    parser.add_argument("--chunks-per", type=int, default=1000)
    parser.add_argument("--soak", type=float, default=60)
    parser.add_argument("--seconds", type=float, default=10, help="Per client count.")
    parser.add_argument("--ingest", type=int, default=2000, help="Chunks for the ingest row.")
    args = parser.parse_args()
    print("| what | measured | baseline in the same run |")
    print("|---|---|---|")
    # Each part's rows as soon as they are measured: a long run that fails late (the 1,000
    # communities come last) keeps what it measured before.
    for part in (p for p in args.parts.split(",") if p):
        for what, value, baseline in PARTS[part](args):
            print(f"| {what} | {value} | {baseline} |", flush=True)


if __name__ == "__main__":
    main()
