"""Finding 5 of the hardening issue: two processes on one data dir, tested with real processes.

Two `copilot ingest` runs at once used to crash with a raw IntegrityError and leave vectors
without rows (and two processes creating a new data dir raced on its schema).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

COPILOT = str(Path(sys.executable).parent / "copilot")


def _docs(folder: Path, prefix: str, n: int) -> Path:
    folder.mkdir(parents=True)
    for i in range(n):
        (folder / f"{prefix}{i}.md").write_text(
            f"# {prefix} {i}\n\nThe password of the {prefix} room {i} is {prefix}zebra{i}. "
            f"Members of group {i} meet at the north gate.\n",
            encoding="utf-8",
        )
    return folder


def _env(data: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COPILOT_")}
    return env | {"COPILOT_DATA_DIR": str(data), "COPILOT_LLM_PROVIDER": "offline"}


def test_two_cli_ingests_at_once_take_turns(tmp_path: Path) -> None:
    env = _env(tmp_path / "data")
    a = _docs(tmp_path / "a", "alpha", 25)
    runs = [
        subprocess.Popen(
            [COPILOT, "ingest", str(folder), "-c", "club"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for folder in (a, a)  # the same files: both race for the same rows
    ]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    joined = "".join(out + err for out, err in outputs)
    assert "Traceback" not in joined and "IntegrityError" not in joined
    # The lock is taken per file, so the runs may interleave: each file is added exactly once.
    added = sum(int(n) for n in re.findall(r"(\d+) added", joined))
    unchanged = sum(int(n) for n in re.findall(r"(\d+) unchanged", joined))
    assert (added, unchanged) == (25, 25), joined

    from copilot.config import Settings
    from copilot.service import Copilot

    cp = Copilot(Settings(data_dir=tmp_path / "data", _env_file=None), llm=None)
    with cp.db.session() as s:
        from sqlalchemy import select

        from copilot.store.tables import ChunkRow

        rows = set(s.scalars(select(ChunkRow.id).where(ChunkRow.community == "club")))
    assert len(rows) == 25
    vectors = set().union(*(cp.vectors.ids_of_source("club", str(p)) for p in a.iterdir()))
    assert vectors == rows  # no vector without its row, no row without its vector
    cp.close()
