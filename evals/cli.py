"""`copilot eval`: run suites over a variant matrix, write reports, gate on metrics.

The core CLI mounts it with `app.command("eval")(eval_command)`; `python -m evals` runs the
same command standalone. `run_eval` is the programmatic entry point (tests, notebooks, CI).
Exit codes: 0 ok, 1 gate failed, 2 bad input (suite, matrix, gate rule or baseline).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

if TYPE_CHECKING:  # the harness is imported when an eval runs: `copilot ask` must not pay it
    from evals.metrics.judge import Judge
    from evals.results import RunReport
    from evals.targets import Target


_SEAMS = {"CopilotTarget": "evals.targets", "Similarity": "evals.metrics.similarity"}


def __getattr__(name: str) -> Any:
    """The harness's parts, imported on first use (PEP 562) and then kept in this module."""
    if name not in _SEAMS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(_SEAMS[name]), name)
    globals()[name] = value
    return value


def _seam(name: str) -> Any:
    return getattr(sys.modules[__name__], name)  # a replaced one first, else __getattr__


def default_cache_dir(root: Path) -> Path:
    """COPILOT_EVAL_CACHE, else evals/cache/ in the project (commit it to replay LLM runs)."""
    env = os.environ.get("COPILOT_EVAL_CACHE")
    return Path(env) if env else root / "evals" / "cache"


def _needs_judge(suites: list[Any]) -> bool:
    return any(
        c.rubric or any(ch.type == "judge" for ch in c.checks) for s in suites for c in s.cases
    ) or any(ch.type == "judge" for s in suites for ch in s.defaults.checks)


def run_eval(
    suites: Sequence[str | Path],
    matrix: list[str] | None = None,
    repeat: int = 1,
    report: str | Path | None = None,
    json_out: str | Path | None = None,
    junit: str | Path | None = None,
    baseline: str | Path | None = None,
    fail_under: list[str] | None = None,
    max_regression: list[str] | None = None,
    *,
    concurrency: int | None = None,
    cache_dir: str | Path | None = None,
    cache_mode: str = "auto",
    data_dir: str | Path | None = None,
    target: Target | None = None,
    embedder: Any = None,
    judge: Judge | str | None = "auto",
    console: Console | None = None,
    progress: bool = True,
    compare: tuple[str, str] | list[str] | None = None,
) -> int:
    """Run an evaluation and write the requested reports; returns the process exit code."""
    from evals.baseline import BaselineError, attach_baseline, load_report
    from evals.cache import CACHE_MODES, ResponseCache
    from evals.gate import GateError, evaluate_gate, parse_rule
    from evals.matrix import MatrixError, compare_axis, expand_matrix
    from evals.metrics.judge import Judge
    from evals.report_terminal import print_report
    from evals.runner import Runner, RunOptions
    from evals.schema import SuiteError, load_suites
    from evals.scoring import Scorer

    # The seams tests replace (``monkeypatch.setattr(evals.cli, "CopilotTarget", ...)``).
    CopilotTarget = _seam("CopilotTarget")
    Similarity = _seam("Similarity")
    out = console or Console()
    err = Console(stderr=True) if console is None else console
    try:
        loaded = load_suites(list(suites))
        axes = list(matrix or [])
        if compare:
            axes.insert(0, compare_axis(*compare))
        variants = expand_matrix(axes)
        for spec in fail_under or []:
            parse_rule(spec, "--fail-under")
        for spec in max_regression or []:
            parse_rule(spec, "--max-regression")
        base = load_report(baseline) if baseline else None
        if repeat < 1:
            raise ValueError("--repeat must be at least 1")
        if cache_mode not in CACHE_MODES:
            raise ValueError(f"--cache-mode must be one of {', '.join(CACHE_MODES)}")
    except (SuiteError, MatrixError, GateError, BaselineError, ValueError) as exc:
        err.print(f"[bold red]Error:[/] {exc}")
        return 2
    cache = ResponseCache(
        Path(cache_dir) if cache_dir else default_cache_dir(loaded[0].root),
        read=cache_mode not in ("off", "refresh"),
        write=cache_mode != "off",
    )
    own_target = target is None
    the_target: Target = target or CopilotTarget(Path(data_dir) if data_dir else None)
    if judge == "auto":
        judge = Judge.from_environment(cache) if _needs_judge(loaded) else None
    scorer = Scorer(similarity=Similarity(embedder), judge=judge)  # type: ignore[arg-type]
    options = RunOptions(
        repeat=repeat, cache=cache, cache_mode=cache_mode, progress=progress, console=err
    )
    if concurrency:
        options.concurrency = concurrency
    try:
        result: RunReport = Runner(the_target, scorer, options).run(loaded, variants)
    except ValueError as exc:  # e.g. a variant names an unknown setting
        err.print(f"[bold red]Error:[/] {exc}")
        return 2
    finally:
        if own_target:
            the_target.close()
    if base is not None:
        attach_baseline(result, base, baseline or "")
    result.gate = evaluate_gate(result, fail_under, max_regression, base)
    write_outputs(result, report=report, json_out=json_out, junit=junit)
    print_report(result, out)
    for label, path in (("HTML report", report), ("JSON", json_out), ("JUnit XML", junit)):
        if path:
            out.print(f"{label}: {path}")
    return 0 if result.gate_passed else 1


def write_outputs(
    result: RunReport,
    *,
    report: str | Path | None = None,
    json_out: str | Path | None = None,
    junit: str | Path | None = None,
) -> None:
    from evals.report_html import write_html
    from evals.report_junit import write_junit

    if json_out:
        Path(json_out).parent.mkdir(parents=True, exist_ok=True)
        Path(json_out).write_text(result.model_dump_json(indent=1), encoding="utf-8")
    if report:
        write_html(result, report)
    if junit:
        write_junit(result, junit)


def eval_command(
    suites: Annotated[
        list[Path] | None, typer.Argument(help="Suite YAML files (or folders of them).")
    ] = None,
    matrix: Annotated[
        list[str] | None,
        typer.Option(
            "--matrix",
            help="AXIS=V1,V2 (repeatable): prompt=answer@v1,answer@v2 · "
            "provider=offline,openai · model=... · top_k=3,5 · any Settings field.",
        ),
    ] = None,
    repeat: Annotated[int, typer.Option(help="Run every case N times (noise).")] = 1,
    report: Annotated[Path | None, typer.Option(help="Write the HTML report here.")] = None,
    json_out: Annotated[Path | None, typer.Option("--json", help="Write JSON here.")] = None,
    junit: Annotated[Path | None, typer.Option(help="Write JUnit XML here.")] = None,
    baseline: Annotated[
        Path | None, typer.Option(help="A previous --json run to compare against.")
    ] = None,
    fail_under: Annotated[
        list[str] | None,
        typer.Option("--fail-under", help="METRIC=VALUE or SUITE:METRIC=VALUE floor (repeatable)."),
    ] = None,
    max_regression: Annotated[
        list[str] | None,
        typer.Option(
            "--max-regression",
            help="METRIC=DELTA: fail when worse than the baseline (or "
            "variant A) by more than DELTA with 95% confidence (repeatable).",
        ),
    ] = None,
    compare: Annotated[
        tuple[str, str] | None,
        typer.Option(
            help="Shorthand for a two-variant matrix: A B (answer@v1 answer@v2, or "
            "top_k=3 top_k=5); B is compared to A case by case."
        ),
    ] = None,
    concurrency: Annotated[int | None, typer.Option(help="Parallel cases.")] = None,
    cache_dir: Annotated[Path | None, typer.Option(help="Response cache folder.")] = None,
    cache_mode: Annotated[
        str,
        typer.Option(help="auto (LLM outputs only) | all | off | replay (never call) | refresh."),
    ] = "auto",
    data_dir: Annotated[
        Path | None,
        typer.Option(help="Keep the eval's copilot data here (default: a temporary folder)."),
    ] = None,
    export_queue: Annotated[
        str | None,
        typer.Option(
            "--export-queue",
            help="Instead of running: write COMMUNITY's answered queue items and rated "
            "answers as a suite (to --out).",
        ),
    ] = None,
    out: Annotated[Path, typer.Option(help="Where --export-queue writes the suite.")] = Path(
        "traffic.yaml"
    ),
    knowledge: Annotated[
        list[Path] | None,
        typer.Option(help="With --export-queue: knowledge the suite ingests (repeatable)."),
    ] = None,
) -> None:
    """Evaluate skills on YAML suites; compare variants; gate CI on metrics. With
    --export-queue, write a suite from a community's own traffic instead."""
    if export_queue:
        raise typer.Exit(_export(export_queue, out, knowledge or []))
    if not suites:
        Console(stderr=True).print("[bold red]Error:[/] give suite files (or --export-queue ID)")
        raise typer.Exit(2)
    code = run_eval(
        suites,
        matrix,
        repeat,
        report,
        json_out,
        junit,
        baseline,
        fail_under,
        max_regression,
        concurrency=concurrency,
        cache_dir=cache_dir,
        cache_mode=cache_mode,
        data_dir=data_dir,
        compare=compare,
    )
    raise typer.Exit(code)


def _export(community: str, out: Path, knowledge: list[Path]) -> int:
    from copilot.config import Settings
    from copilot.errors import InputError, check_community
    from copilot.store.db import Database
    from evals.traffic import export_suite

    err = Console(stderr=True)
    try:
        check_community(community)
        missing = [str(k) for k in knowledge if not k.exists()]
        if missing:
            raise InputError(f"knowledge path not found: {', '.join(missing)}")
    except InputError as exc:
        err.print(f"[bold red]Error:[/] {exc}")
        return 2
    db = Database(Settings().sqlite_url)
    try:
        written = export_suite(db, community, out, knowledge)
    finally:
        db.close()
    if not written:
        err.print(f"[bold red]Error:[/] {community} has no answered questions or rated answers yet")
        return 2
    Console().print(f"wrote {written} case(s) to {out}")
    return 0


app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
app.command()(eval_command)
