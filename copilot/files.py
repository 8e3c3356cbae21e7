"""Writing files other processes may be reading at the same moment."""

from __future__ import annotations

import os
from pathlib import Path


def write_atomically(path: Path, data: bytes) -> None:
    """`data` in `path`, all or nothing: written beside it under a name of this process, then
    moved into place, so a concurrent reader sees the old file or the new one, never half."""
    partial = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    partial.write_bytes(data)
    os.replace(partial, path)
