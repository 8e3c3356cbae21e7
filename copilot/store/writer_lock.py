"""One writer at a time per data dir: CLI ingests, API uploads and connector captures take turns.

Two processes indexing into one data dir raced on the same rows (a raw IntegrityError, vectors
left without rows). Every write of the index holds an exclusive ``flock`` on
``<data dir>/.writer.lock``; a second writer waits for its turn (told who it waits for) and
gives up with a clear error after ``COPILOT_WRITER_LOCK_TIMEOUT_S``. Readers never wait.
The lock is per host: several hosts sharing a PostgreSQL database and a Chroma server need
their writers on one host (or one ingest at a time).
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from copilot.errors import InputError

POLL_S = 0.2


class WriterLock:
    def __init__(
        self, path: Path, timeout_s: float, on_wait: Callable[[str], None] | None = None
    ) -> None:
        self.path = path
        self.timeout_s = timeout_s
        self.on_wait = on_wait  # told once per wait, e.g. the CLI prints it
        self._held = threading.local()  # re-entrant within a thread

    @contextmanager
    def hold(self) -> Iterator[None]:
        depth = getattr(self._held, "depth", 0)
        if depth:
            self._held.depth = depth + 1
            try:
                yield
            finally:
                self._held.depth = depth
            return
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            self._acquire(fd)
            os.ftruncate(fd, 0)
            os.pwrite(fd, str(os.getpid()).encode(), 0)
            self._held.depth = 1
            try:
                yield
            finally:
                self._held.depth = 0
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    def _acquire(self, fd: int) -> None:
        deadline = time.monotonic() + self.timeout_s
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "?"
                if not told and self.on_wait is not None:
                    self.on_wait(
                        f"another process (pid {holder}) is writing to {self.path.parent}; "
                        "waiting for it to finish…"
                    )
                    told = True
                if time.monotonic() > deadline:
                    raise InputError(
                        f"{self.path.parent} is busy: another process (pid {holder}) has been "
                        f"writing to it for over {self.timeout_s:.0f} s; try again when it "
                        "finishes (COPILOT_WRITER_LOCK_TIMEOUT_S)"
                    ) from None
                time.sleep(POLL_S)
