"""The runner: variants × suites × cases × repeats on a thread pool, through the cache.

A target is prepared (knowledge ingested) lazily, the first time one of its cases actually has
to be called, so a fully cached re-run ingests nothing and calls nothing.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from evals.aggregate import compare_variants, summarize_report
from evals.cache import ResponseCache, fingerprint_paths
from evals.results import CaseInfo, CaseRun, RunReport, Variant
from evals.schema import CaseBase, Suite
from evals.scoring import Scorer
from evals.targets import Target


@dataclass
class RunOptions:
    repeat: int = 1
    concurrency: int = field(default_factory=lambda: min(4, (os.cpu_count() or 2) * 2))
    cache: ResponseCache | None = None
    cache_mode: str = "auto"  # auto | all | off | replay | refresh
    progress: bool = True
    console: Console | None = None


@dataclass
class _Task:
    variant: Variant
    suite: Suite
    case: CaseBase
    repeat: int


def suite_fingerprint(suite: Suite) -> str:
    """Knowledge plus the files cases read: any edit re-keys the suite's cached outputs."""
    paths = [p for p, _ in suite.knowledge_paths()]
    for case in suite.cases:
        for attr in ("file", "history_file"):
            rel = getattr(case, attr, None)
            if isinstance(rel, str):
                paths.append(suite.resolve(rel))
    return fingerprint_paths(paths)


class Runner:
    def __init__(self, target: Target, scorer: Scorer, options: RunOptions) -> None:
        self.target, self.scorer, self.options = target, scorer, options
        self._prepared: dict[tuple[str, str], threading.Lock] = {}
        self._done: set[tuple[str, str]] = set()
        self._lock = threading.Lock()
        self._fingerprints: dict[str, str] = {}
        self.calls = 0

    def _ensure_prepared(self, variant: Variant, suite: Suite) -> None:
        key = (variant.id, suite.name)
        with self._lock:
            lock = self._prepared.setdefault(key, threading.Lock())
        with lock:
            if key not in self._done:
                self.target.prepare(variant, suite)
                self._done.add(key)

    def cache_parts(self, task: _Task) -> dict[str, Any]:
        v, s, c = task.variant, task.suite, task.case
        return {
            "target": self.target.name,
            "skill": s.skill,
            "community": s.community,
            "profile": s.profile,
            "variant": self.target.describe(v, s),  # prompt version, provider, model, settings
            "inputs": c.inputs(),
            "knowledge": self._fingerprints[s.name],
            "repeat": task.repeat,
        }

    def _use_cache(self, variant: Variant) -> bool:
        mode, cache = self.options.cache_mode, self.options.cache
        if cache is None or mode == "off":
            return False
        return mode != "auto" or self.target.cache_enabled(variant)

    def run_task(self, task: _Task) -> CaseRun:
        v, s, c = task.variant, task.suite, task.case
        run = CaseRun(variant=v.id, suite=s.name, case_id=c.id, repeat=task.repeat)
        use_cache = self._use_cache(v)
        cache = self.options.cache
        parts = self.cache_parts(task) if use_cache else {}
        hit = (
            cache.get(parts)
            if use_cache and cache and self.options.cache_mode != "refresh"
            else None
        )
        model = ""
        if hit is not None:
            run.output, run.latency_ms = hit["output"], float(hit["latency_ms"])
            run.usage, model, run.cached = dict(hit.get("usage") or {}), hit.get("model", ""), True
        elif use_cache and self.options.cache_mode == "replay":
            run.error = "not in the response cache (cache mode 'replay' never calls the target)"
        else:
            try:
                self._ensure_prepared(v, s)
                start = time.perf_counter()
                out = self.target.run(v, s, c)
                with self._lock:
                    self.calls += 1
                run.output, run.usage, model = out.output, dict(out.usage), out.model
                run.latency_ms = (
                    out.latency_ms
                    if out.latency_ms is not None
                    else (time.perf_counter() - start) * 1000
                )
                if use_cache and cache and out.cacheable:
                    cache.put(
                        parts,
                        {
                            "output": out.output,
                            "latency_ms": run.latency_ms,
                            "usage": out.usage,
                            "model": out.model,
                        },
                    )
            except Exception as exc:  # one broken case must not stop the run
                run.error = f"{type(exc).__name__}: {exc}"
        return self.scorer.score(s, c, run, model)

    def run(self, suites: list[Suite], variants: list[Variant]) -> RunReport:
        for v in variants:
            self.target.validate(v)
        self._fingerprints = {s.name: suite_fingerprint(s) for s in suites}
        tasks = [
            _Task(v, s, c, r)
            for v in variants
            for s in suites
            for c in s.cases
            for r in range(self.options.repeat)
        ]
        started = datetime.now(UTC)
        t0 = time.perf_counter()
        runs: list[CaseRun] = []
        with (
            self._progress(len(tasks)) as advance,
            ThreadPoolExecutor(max_workers=max(1, self.options.concurrency)) as pool,
        ):
            futures = [pool.submit(self.run_task, t) for t in tasks]
            for fut in as_completed(futures):
                run = fut.result()
                runs.append(run)
                advance(run)
        order = {(t.variant.id, t.suite.name, t.case.id, t.repeat): i for i, t in enumerate(tasks)}
        runs.sort(key=lambda r: order[(r.variant, r.suite, r.case_id, r.repeat)])
        cases = [
            CaseInfo(
                suite=s.name,
                case_id=c.id,
                skill=s.skill,
                language=c.language,
                tags=c.tags,
                input=c.display_input,
            )
            for s in suites
            for c in s.cases
        ]
        cache = self.options.cache
        report = RunReport(
            meta={
                "started": started.isoformat(),
                "duration_s": round(time.perf_counter() - t0, 3),
                "target": self.target.name,
                "repeat": self.options.repeat,
                "concurrency": self.options.concurrency,
                "cache_mode": self.options.cache_mode,
                "cache": cache.stats() if cache else {},
                "target_calls": self.calls,
                "suites": {
                    s.name: {
                        "path": str(s.path),
                        "skill": s.skill,
                        "community": s.community,
                        "cases": len(s.cases),
                    }
                    for s in suites
                },
            },
            variants=variants,
            cases=cases,
            runs=runs,
        )
        summarize_report(report)
        compare_variants(report)
        return report

    @contextmanager
    def _progress(self, total: int) -> Iterator[Any]:
        console = self.options.console or Console(stderr=True)
        if not self.options.progress or not console.is_terminal:
            yield lambda run: None
            return
        columns = (
            TextColumn("[bold]eval[/]"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[status]}"),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
        )
        with Progress(*columns, console=console, transient=True) as progress:
            task = progress.add_task("eval", total=total, status="")
            failed = 0

            def advance(run: CaseRun) -> None:
                nonlocal failed
                failed += not run.passed
                progress.update(
                    task, advance=1, status=f"[red]{failed} failing[/]" if failed else ""
                )

            yield advance
