"""Cost of a warm offline `ask`, in process, as a multiple of embedding one question.

Both are measured in the same run, interleaved in blocks so they see the same machine load:
- floor: `embedder.embed([question])` for questions it has never seen (one USE call);
- warm ask, new question: `Copilot.ask` on a question never asked before (embeds it too);
- warm ask, repeated question: a question asked before (its vector comes from the cache).
Usage: python bench/ask_cost.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load_api import QUESTIONS

from copilot.config import Settings
from copilot.service import Copilot

REPO = Path(__file__).resolve().parent.parent
# Variants make every question new to the embedder's cache while staying on topic.
VARIANTS = ("", "请问", "想知道：", "Hi, ", "麻烦问下", "一个问题：", "Quick question: ", "你好，")


def starter_copilot(data_dir: Path) -> Copilot:
    """A Copilot over the starter playbooks in `data_dir`, offline."""
    cp = Copilot(Settings(data_dir=data_dir, llm_provider="offline", _env_file=None))  # type: ignore[call-arg]
    cp.ingest_paths("bench", [REPO / "knowledge" / "playbooks"])
    return cp


def _ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def measure(cp: Copilot, rounds: int = 5) -> dict[str, Any]:
    """Median ms of one question embedding and of warm asks (new and repeated questions)."""
    for q in QUESTIONS:  # warm-up: weights, BM25 index, jieba, SQL
        cp.ask("bench", q)
    embed, new, repeated = [], [], []
    fresh = iter(f"{v}{q}{i}" for i in range(10_000) for v in VARIANTS for q in QUESTIONS)
    for _ in range(rounds):
        for q in QUESTIONS:
            text = next(fresh)
            t = time.perf_counter()
            cp.embedder.embed([text])
            embed.append(time.perf_counter() - t)
            t = time.perf_counter()
            cp.ask("bench", next(fresh))
            new.append(time.perf_counter() - t)
            t = time.perf_counter()
            cp.ask("bench", q)
            repeated.append(time.perf_counter() - t)
    floor = _ms(embed)
    return {
        "embed_ms": floor,
        "embeddings_per_s": 1000 / floor,
        "ask_new_ms": _ms(new),
        "ask_repeated_ms": _ms(repeated),
        "ask_new_x": _ms(new) / floor,
        "ask_repeated_x": _ms(repeated) / floor,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="copilot-ask-") as tmp:
        cp = starter_copilot(Path(tmp))
        r = measure(cp, max(1, args.rounds))
        cp.close()
    print(f"one question embedding (USE): {r['embed_ms']:7.2f} ms ({r['embeddings_per_s']:.0f}/s)")
    print(f"warm ask, new question:       {r['ask_new_ms']:7.2f} ms {r['ask_new_x']:5.2f}x")
    print(
        f"warm ask, repeated question:  {r['ask_repeated_ms']:7.2f} ms {r['ask_repeated_x']:5.2f}x"
    )


if __name__ == "__main__":
    main()
