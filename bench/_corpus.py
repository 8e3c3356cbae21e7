"""Synthetic but realistic chunk texts for benchmarks: recombined sentences of the playbooks."""

from __future__ import annotations

import random
from pathlib import Path

from copilot.text import split_sentences

KNOWLEDGE = Path(__file__).resolve().parent.parent / "knowledge" / "playbooks"


def sentences() -> list[str]:
    found = [
        s
        for p in sorted(KNOWLEDGE.rglob("*.md"))
        for s in split_sentences(p.read_text(encoding="utf-8"))
        if len(s) > 8 and not s.startswith("#")
    ]
    if not found:
        raise SystemExit("no playbooks under knowledge/playbooks: nothing to benchmark")
    return found


def corpus(n: int, seed: int = 7) -> list[str]:
    """`n` passages of 3-6 sentences each, deterministic for a seed."""
    pool = sentences()
    rng = random.Random(seed)
    return [" ".join(rng.sample(pool, rng.randint(3, 6))) + f" (#{i})" for i in range(n)]


def queries(n: int, seed: int = 11) -> list[str]:
    pool = sentences()
    rng = random.Random(seed)
    return [rng.choice(pool)[:40] for _ in range(n)]
