"""Reader processes: the server's skill calls answered on every core, embedded store included.

An offline answer is CPU work in Python (embedding, BM25, ranking), and one process runs one
thread of Python at a time, so a one-process server uses one core. The server process keeps
everything that has state (HTTP, keys, rate limits, metrics, connectors, uploads and the one
index writer) and sends each skill call to one of N reader processes over the same data dir.
A reader is a plain ``Copilot``: it sees the index writes of any process (this server's
uploads, a CLI ingest) the way every process does, by the community's index generation, and it
gives the answers the server process would give.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import partial
from typing import Any

from copilot.config import Settings
from copilot.service import Copilot
from copilot.skills.registry import skills

_copilot: Copilot | None = None  # the reader process's own facade


def _open_reader(settings: Settings) -> None:
    global _copilot
    _copilot = Copilot(settings)
    _copilot.retriever  # noqa: B018 - load the embedder and open the store before the first call


def _call(name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    assert _copilot is not None, "reader process started without its initializer"
    return getattr(_copilot, name)(*args, **kwargs)


def _ready(pause_s: float) -> int:
    # Runs after the initializer; the pause spreads a batch of these over the readers.
    threading.Event().wait(pause_s)
    return os.getpid()


def default_readers(settings: Settings) -> int:
    """One reader per core in offline mode; none with an LLM (its calls wait on the network,
    which threads already overlap, and its token metrics live in the server process)."""
    if settings.readers is not None:
        return settings.readers
    return len(os.sched_getaffinity(0)) if settings.offline else 0


class ReaderPool:
    """Run the registered skills (``Copilot.ask``, ``draft``, ...) in reader processes."""

    def __init__(self, settings: Settings, processes: int) -> None:
        self._settings = settings
        self.processes = processes
        self._lock = threading.Lock()
        self._pool = self._open()

    def _open(self) -> ProcessPoolExecutor:
        # "spawn": a fork of a server with threads, open SQLite and Chroma handles is unsafe.
        return ProcessPoolExecutor(
            self.processes,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_open_reader,
            initargs=(self._settings,),
        )

    def warm(self) -> None:
        """Start every reader and wait until each has loaded its models."""
        ready: set[int] = set()
        while len(ready) < self.processes:
            batch = [self._submit(_ready, 0.05) for _ in range(self.processes)]
            ready.update(future.result() for future in batch)

    def warm_in_background(self) -> None:
        """Load the readers while the server already answers (health checks, uploads); a skill
        call that comes first waits for a reader."""

        def warm_quietly() -> None:
            with contextlib.suppress(RuntimeError, BrokenProcessPool):  # closed meanwhile
                self.warm()

        threading.Thread(target=warm_quietly, name="readers-warm", daemon=True).start()

    def run(self, name: str, *args: Any, **kwargs: Any) -> Any:
        """``Copilot.<name>(*args, **kwargs)`` in a reader; its errors are raised here."""
        pool = self._pool
        try:
            return pool.submit(_call, name, args, kwargs).result()
        except BrokenProcessPool:
            # A reader died (killed, out of memory): start fresh ones once, and try again.
            with self._lock:
                if self._pool is pool:
                    pool.shutdown(wait=False, cancel_futures=True)
                    self._pool = self._open()
            return self._submit(_call, name, args, kwargs).result()

    def _submit(self, fn: Any, *args: Any) -> Future[Any]:
        with self._lock:
            return self._pool.submit(fn, *args)

    def __getattr__(self, name: str) -> Any:
        # The facade's skill methods, so routes call a pool and a Copilot alike.
        if name in skills():
            return partial(self.run, name)
        raise AttributeError(name)

    def close(self) -> None:
        with self._lock:
            self._pool.shutdown(wait=True, cancel_futures=True)
