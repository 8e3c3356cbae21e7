"""The USE tokenizer cached in the data dir: same token ids as a fresh build, and a damaged
cache file is rebuilt rather than trusted."""

from __future__ import annotations

from pathlib import Path

from copilot.embeddings.use_tokenizer import cache_file, load_tokenizer

TEXTS = ["每周的分享会是什么时候？", "How do I become an admin?", "ｆｕｌｌ　ｗｉｄｔｈ  和 繁體字"]


def _ids(tokenizer, text: str) -> list[int]:  # type: ignore[no-untyped-def]
    return list(tokenizer.encode(text, out_type=int, add_bos=True, add_eos=True))


def test_cached_tokenizer_gives_the_ids_of_a_fresh_build(tmp_path: Path) -> None:
    fresh = load_tokenizer(None)
    built = load_tokenizer(tmp_path)  # builds and stores
    assert cache_file(tmp_path).is_file()
    cached = load_tokenizer(tmp_path)  # reads the file
    for text in TEXTS:
        assert _ids(built, text) == _ids(fresh, text) == _ids(cached, text)


def test_a_damaged_cache_file_is_rebuilt(tmp_path: Path) -> None:
    load_tokenizer(tmp_path)
    cache_file(tmp_path).write_bytes(b"not a tokenizer")
    again = load_tokenizer(tmp_path)
    assert _ids(again, TEXTS[0]) == _ids(load_tokenizer(None), TEXTS[0])
    assert cache_file(tmp_path).stat().st_size > 1000  # stored again
