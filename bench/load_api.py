"""Load benchmark of the HTTP API: concurrent `ask` requests against a real `copilot serve`
(offline mode, 127.0.0.1) vs the same skill called in-process through the facade.

Usage: python bench/load_api.py [--requests 200] [--concurrency 8] [--port 0]

Steps: ingest the starter playbooks into a temp data dir (CLI), create a member key (CLI),
start the server as a subprocess and open a copy of the data dir in-process. Warm both,
then alternate blocks of in-process calls and sequential HTTP calls (so both see the same
machine load), then run N concurrent clients with a bounded count and time limit.
Prints p50/p95 latency, throughput and errors for each, and the ratios HTTP / in-process.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import numpy as np

from copilot.config import Settings
from copilot.service import Copilot

REPO = Path(__file__).resolve().parent.parent
COPILOT = str(Path(sys.executable).parent / "copilot")
QUESTIONS = [
    "每周的分享会是什么时候？", "积分可以用来做什么？", "How do I become an admin?",
    "群里可以发广告吗？", "What are the group rules?", "新人进群要做什么？",
    "How are points earned?", "社群的五个核心要素是什么？", "明天北京会下雨吗？",
    "What activity formats work for a reading community?",
]  # fmt: skip
TIME_LIMIT_S = 300
ROUNDS = 5


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def summarize(latencies: list[float], wall: float, errors: int) -> dict[str, Any]:
    return {
        "requests": len(latencies) + errors,
        "errors": errors,
        "latencies": latencies,
        "wall": wall,
        "p50_ms": float(np.percentile(latencies, 50)) * 1000 if latencies else 0.0,
        "p95_ms": float(np.percentile(latencies, 95)) * 1000 if latencies else 0.0,
        "throughput_rps": len(latencies) / wall if wall else 0.0,
    }


def merge(blocks: list[dict[str, Any]]) -> dict[str, Any]:
    return summarize(
        [x for b in blocks for x in b["latencies"]],
        sum(b["wall"] for b in blocks),
        sum(int(b["errors"]) for b in blocks),
    )


async def http_load(base: str, key: str, total: int, concurrency: int) -> dict[str, Any]:
    latencies: list[float] = []
    errors = 0
    counter = iter(range(total))
    deadline = time.monotonic() + TIME_LIMIT_S
    headers = {"Authorization": f"Bearer {key}"}

    async def client_loop(client: httpx.AsyncClient) -> None:
        nonlocal errors
        for i in counter:
            if time.monotonic() > deadline:
                return
            start = time.perf_counter()
            try:
                response = await client.post(
                    f"{base}/v1/communities/bench/ask",
                    headers=headers,
                    json={"question": QUESTIONS[i % len(QUESTIONS)]},
                )
                ok = response.status_code == 200
            except httpx.HTTPError:
                ok = False
            if ok:
                latencies.append(time.perf_counter() - start)
            else:
                errors += 1

    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(timeout=60, limits=limits) as client:
        start = time.perf_counter()
        await asyncio.gather(*(client_loop(client) for _ in range(concurrency)))
        wall = time.perf_counter() - start
    return summarize(latencies, wall, errors)


def ask_in_process(cp: Copilot, total: int, offset: int = 0) -> tuple[list[float], float]:
    latencies = []
    start = time.perf_counter()
    for i in range(offset, offset + total):
        t = time.perf_counter()
        cp.ask("bench", QUESTIONS[i % len(QUESTIONS)])
        latencies.append(time.perf_counter() - t)
    return latencies, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    total, concurrency = max(1, min(args.requests, 5000)), max(1, min(args.concurrency, 64))

    with tempfile.TemporaryDirectory(prefix="copilot-load-") as tmp:
        env = {
            **os.environ,
            "COPILOT_DATA_DIR": str(Path(tmp) / "data"),
            "COPILOT_LLM_PROVIDER": "offline",
            "COPILOT_API_RATE_PER_MINUTE": "0",
        }
        env.pop("COPILOT_DATABASE_URL", None)
        env.pop("COPILOT_CHROMA_URL", None)
        subprocess.run(
            [COPILOT, "ingest", str(REPO / "knowledge" / "playbooks"), "-c", "bench"],
            env=env,
            check=True,
            capture_output=True,
        )
        key = (
            subprocess.run(
                [COPILOT, "keys", "create", "-c", "bench"],
                env=env,
                check=True,
                capture_output=True,
                text=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        # The baseline gets its own copy of the data: two processes on one embedded Chroma
        # directory slow each other down with index reloads, which would skew the comparison.
        shutil.copytree(Path(tmp) / "data", Path(tmp) / "baseline")
        port = args.port or free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [COPILOT, "serve", "--port", str(port), "--log-level", "warning"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        cp = Copilot(
            Settings(data_dir=Path(tmp) / "baseline", llm_provider="offline", _env_file=None)
        )  # type: ignore[call-arg]
        try:
            deadline = time.monotonic() + 90
            while True:
                try:
                    if httpx.get(f"{base}/healthz").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline or server.poll() is not None:
                    sys.exit("the server did not start")
                time.sleep(0.2)
            ask_in_process(cp, len(QUESTIONS))  # warm-up: model, BM25 index, jieba
            asyncio.run(http_load(base, key, len(QUESTIONS), 1))
            # Interleave blocks so that both sides see the same machine load.
            direct: list[float] = []
            direct_wall = 0.0
            http_blocks = []
            for block in range(ROUNDS):
                latencies, wall = ask_in_process(cp, len(QUESTIONS), block)
                direct += latencies
                direct_wall += wall
                http_blocks.append(asyncio.run(http_load(base, key, len(QUESTIONS), 1)))
            concurrent = asyncio.run(http_load(base, key, total, concurrency))
        finally:
            server.terminate()
            server.wait(timeout=30)
            cp.close()
    baseline = summarize(direct, direct_wall, 0)
    sequential = merge(http_blocks)

    rows = {
        "in-process facade (1 thread)": baseline,
        "HTTP, 1 client": sequential,
        f"HTTP, {concurrency} clients": concurrent,
    }
    print(f"{'':32} {'requests':>8} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>7}")
    for name, r in rows.items():
        print(
            f"{name:32} {r['requests']:8.0f} {r['errors']:6.0f} {r['p50_ms']:8.1f} "
            f"{r['p95_ms']:8.1f} {r['throughput_rps']:7.1f}"
        )
    ratios = {
        "p50 HTTP(1 client) / in-process": sequential["p50_ms"] / baseline["p50_ms"],
        f"p50 HTTP({concurrency} clients) / in-process": concurrent["p50_ms"] / baseline["p50_ms"],
        f"p95 HTTP({concurrency} clients) / in-process": concurrent["p95_ms"] / baseline["p95_ms"],
        f"throughput HTTP({concurrency} clients) / in-process": concurrent["throughput_rps"]
        / baseline["throughput_rps"],
    }
    for name, value in ratios.items():
        print(f"{name:48} {value:6.2f}x")
    results = REPO / "bench" / "results"
    results.mkdir(exist_ok=True)
    for r in rows.values():
        r.pop("latencies", None)
    (results / "load_api.json").write_text(
        json.dumps(
            {
                "rows": rows,
                "ratios": ratios,
                "cores": os.cpu_count(),
                "median_question_chars": statistics.median(len(q) for q in QUESTIONS),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
