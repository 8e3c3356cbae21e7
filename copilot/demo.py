"""`copilot demo`: ingest the starter knowledge and show grounded answers, offline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.console import Console

DEMO_QUESTIONS = [
    "每周的分享会是什么时候？",
    "积分可以用来做什么？",
    "How do I become an admin?",
    "晨跑读书会有官方抖音账号吗？",
]


def run_demo(copilot: Any, community: str, knowledge: Path, console: Console) -> None:
    console.print(f"[bold]Ingesting[/] {knowledge} into community '{community}' …")
    report = copilot.ingest_paths(community, [knowledge])
    console.print(
        f"  {report.count('added')} added, {report.count('updated')} updated, "
        f"{report.count('unchanged')} unchanged, {len(report.skipped)} skipped\n"
    )
    for question in DEMO_QUESTIONS:
        result = copilot.ask(community, question)
        console.print(f"[bold cyan]Q:[/] {question}")
        style = "yellow" if result.handoff else "green"
        console.print(f"[bold]A:[/] [{style}]{result.answer}[/]")
        for i, c in enumerate(result.citations, 1):
            console.print(f"   [dim][{i}] {c.source}[/]")
        console.print(f"   [dim]confidence {result.confidence:.2f}, mode {result.mode}[/]\n")
    console.print('Try: [bold].venv/bin/copilot ask "怎么加入读书会？" --community demo[/]')
