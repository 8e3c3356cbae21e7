"""On-disk response cache: one JSON file per response, keyed by sha256 of what produced it.

The key covers the prompt version, provider and model, the case inputs, the variant's settings,
a fingerprint of the ingested knowledge and the repeat index (so repeats measure noise instead
of replaying one answer). Expectations are not part of the key: editing an assertion re-scores
recorded outputs without calling anything. Files are small, stable JSON, so a cache folder can
be committed and CI replays recorded LLM outputs with no network (mode "replay").
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

CACHE_FORMAT = 1
CacheMode = Literal["auto", "all", "off", "replay", "refresh"]
CACHE_MODES: tuple[str, ...] = ("auto", "all", "off", "replay", "refresh")


def cache_key(parts: dict[str, Any]) -> str:
    blob = json.dumps(
        {"format": CACHE_FORMAT, **parts},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


class ResponseCache:
    """Thread-safe get/put of JSON values; `read`/`write` switch each direction off."""

    def __init__(self, directory: Path, *, read: bool = True, write: bool = True) -> None:
        self.directory = Path(directory)
        self.read, self.write = read, write
        self.hits = self.misses = self.writes = 0
        self._lock = threading.Lock()

    def path_for(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, parts: dict[str, Any]) -> dict[str, Any] | None:
        if not self.read:
            return None
        path = self.path_for(cache_key(parts))
        try:
            value = json.loads(path.read_text(encoding="utf-8"))["value"]
        except (OSError, ValueError, KeyError):
            value = None
        with self._lock:
            if value is None:
                self.misses += 1
            else:
                self.hits += 1
        return value

    def put(self, parts: dict[str, Any], value: dict[str, Any]) -> None:
        if not self.write:
            return
        key = cache_key(parts)
        path = self.path_for(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        record = {
            "key": key,
            "parts": parts,
            "created": datetime.now(UTC).isoformat(),
            "value": value,
        }
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(record, fh, ensure_ascii=False, indent=1, sort_keys=True, default=str)
        os.replace(tmp, path)  # atomic: a crash never leaves a half-written entry
        with self._lock:
            self.writes += 1

    def stats(self) -> dict[str, int]:
        return {"hits": self.hits, "misses": self.misses, "writes": self.writes}


def fingerprint_paths(paths: Iterable[Path]) -> str:
    """sha256 over every file's name and content under the given files/folders."""
    digest = hashlib.sha256()
    for root in sorted(Path(p) for p in paths):
        files = sorted(f for f in root.rglob("*") if f.is_file()) if root.is_dir() else [root]
        for f in files:
            if f.exists():
                name = f.relative_to(root).as_posix() if root.is_dir() else f.name
                digest.update(name.encode() + b"\0")
                digest.update(hashlib.sha256(f.read_bytes()).digest())
    return digest.hexdigest()
