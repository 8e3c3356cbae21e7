"""Load benchmark of the HTTP API: concurrent `ask` requests against a real `copilot serve`
(offline mode, embedded Chroma, 127.0.0.1) vs the same skill called in-process, and vs one
question embedding, all measured in the same run.

Usage: python bench/load_api.py [--clients 1,8,16,32] [--seconds 15] [--soak 60] [--readers N]

Steps: ingest the starter playbooks into a temp data dir (CLI), create a member key (CLI),
start the server as a subprocess (its default: one reader process per core) and open a copy of
the data dir in-process. Measure single-question embeddings/s and in-process asks/s (one
thread), check the server's answers equal the in-process ones, then run each client count for
a fixed time, and 32 clients for `--soak` seconds. Prints p50/p95, answers/s and errors, and
the ratios the issue asks for (16 clients / single-question embeddings/s).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import socket
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
ANSWER_FIELDS = ("answer", "citations", "confidence", "handoff", "language")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def summarize(latencies: list[float], wall: float, errors: int) -> dict[str, Any]:
    return {
        "requests": len(latencies) + errors,
        "errors": errors,
        "p50_ms": float(np.percentile(latencies, 50)) * 1000 if latencies else 0.0,
        "p95_ms": float(np.percentile(latencies, 95)) * 1000 if latencies else 0.0,
        "throughput_rps": len(latencies) / wall if wall else 0.0,
    }


async def http_load(base: str, key: str, concurrency: int, seconds: float) -> dict[str, Any]:
    """`concurrency` clients asking in a loop for `seconds`; a non-200 counts as an error."""
    latencies: list[float] = []
    errors = 0
    reasons: list[str] = []
    headers = {"Authorization": f"Bearer {key}"}
    deadline = time.monotonic() + seconds
    counter = iter(range(10**9))

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
                why = "" if ok else f"HTTP {response.status_code}: {response.text[:200]}"
            except httpx.HTTPError as exc:
                ok, why = False, f"{type(exc).__name__}: {exc}"
            if ok:
                latencies.append(time.perf_counter() - start)
            else:
                errors += 1
                if len(reasons) < 5:  # what went wrong, for the report
                    reasons.append(why)

    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(timeout=60, limits=limits) as client:
        start = time.perf_counter()
        await asyncio.gather(*(client_loop(client) for _ in range(concurrency)))
        wall = time.perf_counter() - start
    return summarize(latencies, wall, errors) | {"error_reasons": reasons}


def embeddings_per_s(cp: Copilot, n: int = 100) -> float:
    """Single-question embeddings/s, one thread, questions the embedder has not seen."""
    texts = [f"{QUESTIONS[i % len(QUESTIONS)]} #{i}" for i in range(n)]
    cp.embedder.embed(texts[:2])
    start = time.perf_counter()
    for text in texts:
        cp.embedder.embed([text])
    return n / (time.perf_counter() - start)


def in_process(cp: Copilot, seconds: float) -> dict[str, Any]:
    latencies = []
    start = time.perf_counter()
    i = 0
    while time.perf_counter() - start < seconds:
        t = time.perf_counter()
        cp.ask("bench", QUESTIONS[i % len(QUESTIONS)])
        latencies.append(time.perf_counter() - t)
        i += 1
    return summarize(latencies, time.perf_counter() - start, 0)


def same_answers(cp: Copilot, base: str, key: str) -> int:
    """How many questions the server answers differently from the in-process facade."""
    differ = 0
    for q in QUESTIONS:
        local = cp.ask("bench", q).model_dump(mode="json")
        remote = httpx.post(
            f"{base}/v1/communities/bench/ask",
            headers={"Authorization": f"Bearer {key}"},
            json={"question": q},
            timeout=60,
        ).json()
        differ += any(local[f] != remote.get(f) for f in ANSWER_FIELDS)
    return differ


def start_server(env: dict[str, str], port: int, readers: int | None) -> subprocess.Popen[bytes]:
    command = [COPILOT, "serve", "--port", str(port), "--log-level", "warning"]
    if readers is not None:
        command += ["--readers", str(readers)]
    server = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 300
    while True:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz").status_code == 200:
                return server
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline or server.poll() is not None:
            server.kill()
            sys.exit("the server did not start")
        time.sleep(0.2)


def prepare(tmp: Path) -> tuple[dict[str, str], str]:
    """A data dir with the starter playbooks and a member key, and the server's environment."""
    env = {
        **os.environ,
        "COPILOT_DATA_DIR": str(tmp / "data"),
        "COPILOT_LLM_PROVIDER": "offline",
        "COPILOT_API_RATE_PER_MINUTE": "0",
    }
    for name in ("COPILOT_DATABASE_URL", "COPILOT_CHROMA_URL", "COPILOT_READERS"):
        env.pop(name, None)
    subprocess.run(
        [COPILOT, "ingest", str(REPO / "knowledge" / "playbooks"), "-c", "bench"],
        env=env,
        check=True,
        capture_output=True,
    )
    created = subprocess.run(
        [COPILOT, "keys", "create", "-c", "bench"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    # The baseline gets its own copy: it must not share the server's embedded Chroma files.
    shutil.copytree(tmp / "data", tmp / "baseline")
    return env, created.stdout.strip().splitlines()[-1]


def measure(
    clients: list[int], seconds: float, soak: float, readers: int | None = None
) -> dict[str, Any]:
    """Everything the table needs, in one run."""
    with tempfile.TemporaryDirectory(prefix="copilot-load-") as name:
        tmp = Path(name)
        env, key = prepare(tmp)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = start_server(env, port, readers)
        settings = Settings(data_dir=tmp / "baseline", llm_provider="offline", _env_file=None)  # type: ignore[call-arg]
        cp = Copilot(settings)
        try:
            for q in QUESTIONS:  # warm-up: model, BM25 index, jieba
                cp.ask("bench", q)
            differ = same_answers(cp, base, key)
            rows = {"embed one question (in-process)": summarize([], 1.0, 0)}
            rows["embed one question (in-process)"]["throughput_rps"] = embeddings_per_s(cp)
            rows["ask in-process, 1 thread"] = in_process(cp, seconds)
            asyncio.run(http_load(base, key, max(clients), 2))  # warm every reader
            for n in clients:
                rows[f"HTTP, {n} clients"] = asyncio.run(http_load(base, key, n, seconds))
            if soak:
                rows[f"HTTP, 32 clients, {soak:.0f} s"] = asyncio.run(
                    http_load(base, key, 32, soak)
                )
        finally:
            server.terminate()
            server.wait(timeout=60)
            cp.close()
    embed = rows["embed one question (in-process)"]["throughput_rps"]
    direct = rows["ask in-process, 1 thread"]["throughput_rps"]
    return {"rows": rows, "embeddings_per_s": embed, "in_process_rps": direct, "differ": differ}


def print_report(result: dict[str, Any]) -> None:
    print(f"{'':34} {'requests':>8} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>7}")
    for name, r in result["rows"].items():
        print(
            f"{name:34} {r['requests']:8.0f} {r['errors']:6.0f} {r['p50_ms']:8.1f} "
            f"{r['p95_ms']:8.1f} {r['throughput_rps']:7.1f}"
        )
    embed, direct = result["embeddings_per_s"], result["in_process_rps"]
    for name, r in result["rows"].items():
        if name.startswith("HTTP"):
            print(
                f"{name:34} {r['throughput_rps'] / embed:5.2f}x single-question embeddings/s, "
                f"{r['throughput_rps'] / direct:5.2f}x in-process"
            )
    print(f"answers that differ from in-process: {result['differ']} of {len(QUESTIONS)}")
    for name, r in result["rows"].items():
        for reason in r.get("error_reasons", []):
            print(f"error in {name}: {reason}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", default="1,8,16,32", help="Client counts, comma-separated.")
    parser.add_argument("--seconds", type=float, default=15, help="Time per client count.")
    parser.add_argument("--soak", type=float, default=60, help="32 clients for this long.")
    parser.add_argument("--readers", type=int, default=None, help="The server's --readers.")
    args = parser.parse_args()
    clients = [max(1, min(int(c), 256)) for c in args.clients.split(",")]
    result = measure(clients, args.seconds, args.soak, args.readers)
    print_report(result)
    results = REPO / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / "load_api.json").write_text(
        json.dumps({**result, "cores": os.cpu_count()}, indent=2)
    )


if __name__ == "__main__":
    main()
