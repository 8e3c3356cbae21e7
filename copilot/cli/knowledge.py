"""`copilot ingest`, `ask`, `documents`, `reindex` and `demo`: knowledge in, answers out."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from copilot.cli.common import CommunityOpt, JsonOpt, copilot_instance, err, out, print_json


def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders to ingest.")],
    community: CommunityOpt,
    kind: Annotated[
        str | None, typer.Option(help="Force 'playbook' or 'chat'; default: detect per file.")
    ] = None,
    tz: Annotated[
        str | None,
        typer.Option(
            "--tz",
            help="Time zone of exports that write local times without one (QQ, WeChat "
            "tools, older Telegram), e.g. Asia/Shanghai or +08:00. Default: China time for "
            "the Chinese tools, UTC for Telegram.",
        ),
    ] = None,
    year: Annotated[
        int | None,
        typer.Option(
            min=1990, max=2100, help="Year of exports whose dates have none (chatlog '03-01')."
        ),
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """Ingest playbooks and chat exports. Unchanged files are skipped; bad files are reported."""
    from copilot.knowledge.chat_exports import ExportOptions, parse_tz

    if kind not in (None, "playbook", "chat"):
        err.print(f"[bold red]Error:[/] --kind must be 'playbook' or 'chat', not {kind!r}")
        raise typer.Exit(2)
    try:
        options = ExportOptions(tz=parse_tz(tz) if tz else None, year=year)
    except ValueError as exc:
        err.print(f"[bold red]Error:[/] --tz: {exc}")
        raise typer.Exit(2) from None
    missing = [p for p in paths if not p.exists()]
    if missing:
        err.print(f"[bold red]Error:[/] no such file or folder: {', '.join(map(str, missing))}")
        raise typer.Exit(2)
    with copilot_instance() as cp:
        from copilot.knowledge.loaders import discover

        cp.writer_lock.on_wait = lambda message: err.print(f"[yellow]{message}[/]")
        total = len(discover(paths))
        with _progress(disable=json_out or total < 2) as (bar, advance):
            task = bar.add_task("Ingesting", total=total, name="")
            report = cp.ingest_paths(
                community, paths, kind, progress=lambda name: advance(task, name), options=options
            )
    if json_out:
        print_json(report.model_dump())
    else:
        for f in report.skipped:
            err.print(f"[yellow]skipped[/] {f.error}")
        for f in report.files:
            for warning in f.warnings:
                err.print(f"[yellow]warning[/] {f.source}: {warning}")
        out.print(
            f"[bold]{community}[/]: {report.count('added')} added, {report.count('updated')} "
            f"updated, {report.count('unchanged')} unchanged, {len(report.skipped)} skipped "
            f"({sum(f.chunks for f in report.files)} chunks, "
            f"{sum(f.messages for f in report.files)} new chat messages)"
        )
    if report.files and len(report.skipped) == len(report.files):
        raise typer.Exit(1)


@contextmanager
def _progress(disable: bool) -> Iterator[tuple[Progress, Callable[[Any, str], None]]]:
    bar = Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[name]}"),
        console=err,
        disable=disable,
        transient=True,
    )

    def advance(task: Any, name: str) -> None:
        bar.update(task, advance=1, name=Path(name).name)

    with bar:
        yield bar, advance


def ask(
    question: Annotated[str, typer.Argument(help="The member's question.")],
    community: CommunityOpt,
    json_out: JsonOpt = False,
    prompt: Annotated[str | None, typer.Option(help="Prompt version, e.g. answer@v1.")] = None,
) -> None:
    """Answer a question from the community's knowledge, with sources (or hand off)."""
    from copilot.skills.questions import Origin

    with copilot_instance() as cp:
        result = cp.ask(community, question, prompt=prompt, origin=Origin(channel="cli"))
    if json_out:
        print_json(result.model_dump(exclude={"retrieved"}))
        return
    style = "yellow" if result.handoff else "green"
    out.print(f"[{style}]{result.answer}[/]")
    for i, c in enumerate(result.citations, 1):
        out.print(f"  [dim][{i}] {c.source}[/]")
    out.print(f"[dim]confidence {result.confidence:.2f} · {result.mode}[/]")


def documents(community: CommunityOpt, json_out: JsonOpt = False) -> None:
    """List the sources ingested for a community."""
    from copilot.knowledge.catalog import list_documents

    with copilot_instance() as cp:
        docs = list_documents(cp.db, community)
    if json_out:
        print_json([d.model_dump() for d in docs])
        return
    for d in docs:
        out.print(f"{d.kind:8} {d.chunks:5} chunks  {d.source}")


def reindex(community: CommunityOpt, json_out: JsonOpt = False) -> None:
    """Embed the community's knowledge again with the current embedder (COPILOT_EMBEDDER).

    Needed after switching embedders: answers refuse to mix vectors of two models. The stored
    chunks are re-embedded, no file is read again; if interrupted, run it again."""
    with copilot_instance() as cp:
        cp.writer_lock.on_wait = lambda message: err.print(f"[yellow]{message}[/]")
        with _progress(disable=json_out) as (bar, _):
            task = bar.add_task("Embedding", total=None, name="")
            chunks = cp.reindex(
                community,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
            )
        embedder = cp.embedder.name
    if json_out:
        print_json({"community": community, "chunks": chunks, "embedder": embedder})
    else:
        out.print(f"[bold]{community}[/]: {chunks} chunks embedded again with {embedder}")


def demo(
    community: Annotated[str, typer.Option(help="Community id for the demo.")] = "demo",
    knowledge: Annotated[Path, typer.Option(help="Starter knowledge folder.")] = Path("knowledge"),
) -> None:
    """Ingest the starter knowledge and answer a few questions, offline."""
    from copilot.demo import run_demo

    with copilot_instance() as cp:
        run_demo(cp, community, knowledge, out)


def register(app: typer.Typer) -> None:
    app.command()(ingest)
    app.command()(ask)
    app.command()(documents)
    app.command()(reindex)
    app.command()(demo)
