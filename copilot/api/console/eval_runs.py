"""Evaluation runs started from the console: the shipped suites run as ``copilot eval`` runs
them, in a process of their own, and their reports kept per community.

The console does not import the evaluation harness (``evals`` and the API are separate
layers): it runs ``python -m evals`` exactly as an operator would in a terminal, with ``--json``
and ``--report`` into the run's folder, and ``python -m evals.compare_runs`` to compare two
saved runs. A run's folder is ``<data dir>/eval-runs/<community>/<run id>/`` holding
``meta.json`` (who started what, when), ``log.txt``, ``exit`` (the exit code once finished),
``run.json`` and ``report.html``. One run at a time per machine: it has few cores and the
copilot keeps answering while a run goes on. Whether a run still goes on is read from its
process id (``pid``), so every server worker (``copilot serve --workers``) agrees.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import secrets
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from copilot.errors import InputError, NotFoundError

RUN_ID = re.compile(r"^\d{8}-\d{6}-[0-9a-f]{6}$")
COMPARE_SECONDS = 120
LOG_TAIL_CHARS = 1500


class EvalBusy(InputError):
    """A run is already going on (409)."""


@dataclass(frozen=True)
class EvalRun:
    id: str
    suites: list[str]
    started: datetime
    by: str
    status: str  # running | done | failed
    cases: int = 0
    pass_rate: float | None = None
    suite_pass: dict[str, float] = field(default_factory=dict)
    error: str = ""


def shipped_suites() -> dict[str, Path]:
    """The suites that ship with the harness (evals/suites/*.yaml), by name.

    Located, not imported: ``find_spec`` reads where the package lives without running it."""
    spec = importlib.util.find_spec("evals")
    if spec is None or not spec.submodule_search_locations:
        return {}
    folder = Path(next(iter(spec.submodule_search_locations))) / "suites"
    return {p.stem: p for p in sorted(folder.glob("*.yaml"))}


def project_root(suite: Path) -> Path:
    """Where the suites' relative paths start (the folder holding pyproject.toml)."""
    for parent in suite.resolve().parents:
        if (parent / "pyproject.toml").exists():
            return parent
    return suite.parent


class EvalRuns:
    """The runs of every community under ``root``; at most one process at a time."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None

    # ---- reading -------------------------------------------------------------------------

    def folder(self, community: str, run_id: str) -> Path:
        """A run's folder, or NotFoundError (a malformed id or another community's run)."""
        path = self.root / community / run_id
        if not RUN_ID.match(run_id) or not (path / "meta.json").is_file():
            raise NotFoundError(f"community {community!r} has no evaluation run {run_id!r}")
        return path

    def runs(self, community: str, limit: int = 20) -> list[EvalRun]:
        """This community's runs, newest first."""
        base = self.root / community
        if not base.is_dir():
            return []
        ids = sorted((p.name for p in base.iterdir() if RUN_ID.match(p.name)), reverse=True)
        return [self.get(community, i) for i in ids[:limit] if (base / i / "meta.json").is_file()]

    def get(self, community: str, run_id: str) -> EvalRun:
        path = self.folder(community, run_id)
        meta = json.loads((path / "meta.json").read_text("utf-8"))
        started = datetime.fromisoformat(meta["started"])
        base = EvalRun(run_id, meta["suites"], started, meta.get("by", ""), "running")
        exit_file = path / "exit"
        if not exit_file.is_file():
            if self._running(path):
                return base
            return _failed(base, path, "interrupted")  # the server stopped during the run
        code = exit_file.read_text().strip()
        if not (path / "run.json").is_file():
            return _failed(base, path, f"exit {code}")
        return _summarised(base, json.loads((path / "run.json").read_text("utf-8")))

    def report(self, community: str, run_id: str) -> Path:
        path = self.folder(community, run_id) / "report.html"
        if not path.is_file():
            raise NotFoundError(f"evaluation run {run_id!r} has no report (yet)")
        return path

    # ---- running -------------------------------------------------------------------------

    def start(self, community: str, suites: list[str], by: str) -> str:
        """Start the named shipped suites in their own process; returns the run's id."""
        shipped = shipped_suites()
        unknown = sorted(set(suites) - set(shipped))
        if not suites or unknown:
            names = ", ".join(shipped)
            raise InputError(
                f"choose suites among {names}" + (f" (not {unknown})" if unknown else "")
            )
        with self._lock:
            if self._any_running():
                raise EvalBusy("an evaluation is already running; wait for it to finish")
            now = datetime.now(UTC)
            run_id = f"{now:%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"
            path = self.root / community / run_id
            path.mkdir(parents=True)
            meta = {"started": now.isoformat(), "suites": sorted(suites), "by": by}
            (path / "meta.json").write_text(json.dumps(meta), "utf-8")
            files = [str(shipped[s]) for s in sorted(suites)]
            command = [sys.executable, "-m", "evals", *files, "--json", str(path / "run.json")]
            command += ["--report", str(path / "report.html")]
            with (path / "log.txt").open("wb") as log:
                self._process = subprocess.Popen(
                    command,
                    cwd=project_root(Path(files[0])),
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL,
                )
            (path / "pid").write_text(str(self._process.pid))
            threading.Thread(
                target=_wait, args=(self._process, path), name=f"eval-{run_id}", daemon=True
            ).start()
            return run_id

    def compare(self, community: str, a: str, b: str) -> Path:
        """B's report with A as its baseline (written once, then kept)."""
        if a == b:
            raise InputError("choose two different runs to compare")
        first, second = self.folder(community, a), self.folder(community, b)
        for path, run_id in ((first, a), (second, b)):
            if not (path / "run.json").is_file():
                raise InputError(f"run {run_id} has not finished")
        out = second / f"compare-{a}.html"
        if not out.is_file():
            command = [sys.executable, "-m", "evals.compare_runs"]
            command += [str(first / "run.json"), str(second / "run.json"), "--report", str(out)]
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=COMPARE_SECONDS, check=False
            )
            if done.returncode != 0:
                raise InputError(f"the comparison failed: {done.stderr.strip()[-300:]}")
        return out

    def comparison(self, community: str, a: str, b: str) -> Path:
        out = self.folder(community, b) / f"compare-{a}.html"
        if not RUN_ID.match(a) or not out.is_file():
            raise NotFoundError(f"no comparison of {b!r} with {a!r}")
        return out

    def close(self) -> None:
        """Stop a run still going when the server stops (its folder then reads interrupted)."""
        with self._lock:
            if self._process is not None and self._process.poll() is None:
                self._process.terminate()
                try:
                    self._process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self._process.kill()

    def _running(self, path: Path) -> bool:
        """The run's process is alive (started by this server worker or another one)."""
        if (path / "exit").is_file() or not (path / "pid").is_file():
            return False
        try:
            pid = int((path / "pid").read_text().strip())
            os.kill(pid, 0)
        except (ValueError, ProcessLookupError):
            return False
        except PermissionError:  # alive, and someone else's: not ours unless /proc says so
            pass
        cmdline = Path(f"/proc/{pid}/cmdline")
        if cmdline.exists():  # a reused pid after a restart is another program
            return str(path) in cmdline.read_bytes().decode("utf-8", errors="replace")
        return True

    def _any_running(self) -> bool:
        if self._process is not None and self._process.poll() is None:
            return True
        return any(self._running(run) for run in self.root.glob("*/*") if RUN_ID.match(run.name))


def _wait(process: subprocess.Popen[bytes], path: Path) -> None:
    code = process.wait()
    (path / "exit").write_text(str(code))


def _failed(run: EvalRun, path: Path, reason: str) -> EvalRun:
    log = (
        (path / "log.txt").read_text("utf-8", errors="replace")
        if (path / "log.txt").is_file()
        else ""
    )
    tail = log.strip()[-LOG_TAIL_CHARS:]
    return EvalRun(**{**run.__dict__, "status": "failed", "error": tail or reason})


def _summarised(run: EvalRun, report: dict[str, Any]) -> EvalRun:
    """Cases and pass rates of the run's first variant (console runs have one)."""
    variants = report.get("variants") or [{}]
    vid = variants[0].get("id", "")
    overall = (report.get("summary") or {}).get(vid, {}).get("pass", {})
    per_suite = {
        suite: float(by_variant.get(vid, {}).get("pass", {}).get("mean", 0.0))
        for suite, by_variant in (report.get("suite_summary") or {}).items()
    }
    return EvalRun(
        **{
            **run.__dict__,
            "status": "done",
            "cases": len(report.get("cases") or []),
            "pass_rate": float(overall["mean"]) if "mean" in overall else None,
            "suite_pass": per_suite,
        }
    )
