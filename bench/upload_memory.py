"""Peak memory of a real `copilot serve` while it ingests one-paragraph uploads.

Usage: python bench/upload_memory.py [--sizes 1,10] [--timeout 1800]

A Markdown file that is one paragraph without sentence punctuation (words drawn from a fixed
vocabulary, seeded, so every chunk is distinct) once became one chunk embedded whole: 8 GB of
peak memory for 1 MB. For each size, a fresh server (offline mode, embedded Chroma, its own
data dir, 127.0.0.1) first ingests a 1 KB file (the baseline: models loaded, warm), then the
upload; a large one is accepted as a job and polled to the end. The peak resident set
(VmHWM from /proc) is read before and after. Prints the peaks, the growth over the baseline
and the ratio of growth per MB between the largest and the smallest size (1.0 = linear).
Target: peak under 1 GB for 10 MB.
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

COPILOT = str(Path(sys.executable).parent / "copilot")
MIB = 1024 * 1024
WORDS = (
    "community member weekly reading share event topic group rule point badge admin welcome "
    "night morning coffee book chapter note question answer volunteer host guest city offline "
    "online session check streak reward level photo trail river mountain game design review"
).split()


def one_paragraph(size: int, seed: int) -> bytes:
    """`size` bytes of words and spaces: no newline, no sentence punctuation."""
    rng = random.Random(seed)
    words: list[str] = []
    length = 0
    while length < size:
        word = f"{rng.choice(WORDS)}{rng.randrange(1000)}"
        words.append(word)
        length += len(word) + 1
    return ("# Log\n" + " ".join(words)).encode()[:size]


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc (Linux only)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def upload(client: httpx.Client, name: str, data: bytes, timeout: float) -> dict[str, object]:
    res = client.post(
        "/v1/communities/bench/documents",
        files={"file": (name, data, "text/markdown")},
        timeout=timeout,
    )
    if res.status_code == 202:  # a job: poll it
        job = res.json()
        deadline = time.monotonic() + timeout
        while job["status"] in ("queued", "running"):
            if time.monotonic() > deadline:
                sys.exit(f"{name}: the job did not finish in {timeout:.0f} s")
            time.sleep(1)
            job = client.get(f"/v1/communities/bench/jobs/{job['id']}").json()
        if job["status"] != "done":
            sys.exit(f"{name}: job {job['status']}: {job.get('error')}")
        return dict(job["result"])
    if res.status_code >= 300:
        sys.exit(f"{name}: HTTP {res.status_code} {res.text[:300]}")
    return dict(res.json())


def measure(size_mb: float, timeout: float) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="copilot-mem-") as tmp:
        env = {
            **os.environ,
            "COPILOT_DATA_DIR": str(Path(tmp) / "data"),
            "COPILOT_LLM_PROVIDER": "offline",
        }
        env.pop("COPILOT_CHROMA_URL", None)
        key = subprocess.run(
            [COPILOT, "keys", "create", "-c", "bench", "--role", "operator"],
            env=env, check=True, capture_output=True, text=True,
        ).stdout.strip().splitlines()[-1]  # fmt: skip
        port = free_port()
        server = subprocess.Popen(
            [COPILOT, "serve", "--port", str(port), "--log-level", "warning"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            base = f"http://127.0.0.1:{port}"
            with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {key}"}) as client:
                deadline = time.monotonic() + 120
                while True:
                    try:
                        if client.get("/healthz").status_code == 200:
                            break
                    except httpx.HTTPError:
                        pass
                    if time.monotonic() > deadline or server.poll() is not None:
                        sys.exit("the server did not start")
                    time.sleep(0.3)
                upload(client, "warm.md", one_paragraph(1024, seed=0), timeout)
                baseline = peak_rss_mb(server.pid)
                started = time.monotonic()
                result = upload(client, "big.md", one_paragraph(int(size_mb * MIB), 1), timeout)
                seconds = time.monotonic() - started
                peak = peak_rss_mb(server.pid)
        finally:
            server.terminate()
            server.wait(timeout=60)
    return {
        "size_mb": size_mb,
        "baseline_mb": baseline,
        "peak_mb": peak,
        "growth_mb": peak - baseline,
        "chunks": float(result.get("chunks", 0)),  # type: ignore[arg-type]
        "seconds": seconds,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1,10", help="upload sizes in MB, comma-separated")
    parser.add_argument("--timeout", type=float, default=1800)
    args = parser.parse_args()
    print(f"{'upload':>8} {'chunks':>7} {'baseline':>9} {'peak':>8} {'growth':>8} {'time':>7}")
    rows = []
    for size in args.sizes.split(","):  # each row as soon as it is measured
        r = measure(float(size), args.timeout)
        rows.append(r)
        print(
            f"{r['size_mb']:>6.0f}MB {r['chunks']:>7.0f} {r['baseline_mb']:>7.0f}MB "
            f"{r['peak_mb']:>6.0f}MB {r['growth_mb']:>6.0f}MB {r['seconds']:>6.1f}s",
            flush=True,
        )
    if len(rows) > 1:
        small, large = rows[0], rows[-1]
        per_mb = [max(r["growth_mb"], 1.0) / r["size_mb"] for r in (small, large)]
        ratio = per_mb[1] / per_mb[0]
        sizes = f"{large['size_mb']:.0f} MB vs {small['size_mb']:.0f} MB"
        print(f"growth per MB, {sizes}: {ratio:.2f}x (1.0 = linear; below: fixed costs dominate)")
    worst = max(r["peak_mb"] for r in rows)
    print(f"target: peak under 1024 MB -> {'met' if worst < 1024 else 'MISSED'} ({worst:.0f} MB)")


if __name__ == "__main__":
    main()
