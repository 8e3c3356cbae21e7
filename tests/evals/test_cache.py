"""The response cache: stable keys, atomic files, read/write switches, knowledge fingerprints."""

from __future__ import annotations

from pathlib import Path

from evals.cache import ResponseCache, cache_key, fingerprint_paths


def test_keys_are_stable_and_sensitive_to_every_part() -> None:
    parts = {
        "prompt": "answer@v1",
        "model": "gpt-4o-mini",
        "inputs": {"question": "会费？"},
        "settings": {"top_k": 5},
        "repeat": 0,
    }
    assert cache_key(parts) == cache_key(dict(reversed(list(parts.items()))))
    for change in (
        {"prompt": "answer@v2"},
        {"model": "gpt-4o"},
        {"settings": {"top_k": 3}},
        {"inputs": {"question": "會費？"}},
        {"repeat": 1},
    ):
        assert cache_key({**parts, **change}) != cache_key(parts)


def test_round_trip_and_switches(tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path)
    key = {"a": 1}
    assert cache.get(key) is None
    cache.put(key, {"output": {"answer": "年费 99 元"}})
    assert cache.get(key) == {"output": {"answer": "年费 99 元"}}
    assert cache.stats() == {"hits": 1, "misses": 1, "writes": 1}
    assert not list(tmp_path.rglob("*.tmp"))  # written atomically
    assert ResponseCache(tmp_path, read=False).get(key) is None
    ResponseCache(tmp_path, write=False).put({"b": 2}, {"x": 1})
    assert ResponseCache(tmp_path).get({"b": 2}) is None


def test_a_corrupt_entry_is_a_miss(tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path)
    cache.put({"a": 1}, {"x": 1})
    next(tmp_path.rglob("*.json")).write_text("{not json", encoding="utf-8")
    assert cache.get({"a": 1}) is None


def test_fingerprint_changes_with_content_and_names(tmp_path: Path) -> None:
    (tmp_path / "kb").mkdir()
    doc = tmp_path / "kb" / "a.md"
    doc.write_text("one", encoding="utf-8")
    first = fingerprint_paths([tmp_path / "kb"])
    assert fingerprint_paths([tmp_path / "kb"]) == first
    doc.write_text("two", encoding="utf-8")
    second = fingerprint_paths([tmp_path / "kb"])
    assert second != first
    doc.rename(tmp_path / "kb" / "b.md")
    assert fingerprint_paths([tmp_path / "kb"]) != second
