"""The `copilot` command line (Typer + Rich): one module per group of commands, mounted here."""

from __future__ import annotations

import typer

from copilot.cli import chat, connectors, knowledge, operator, questions, serve
from evals.cli import eval_command

app = typer.Typer(
    help="Community Copilot: answers, drafts, summaries and activity ideas for your community.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
knowledge.register(app)  # `copilot ingest`, `ask`, `documents`, `demo`
serve.register(app)  # `copilot serve` and `copilot keys ...`
chat.register(app)  # `copilot summarize`, `copilot stats`, `copilot faq ...`
operator.register(app)  # `copilot draft`, `copilot suggest`, `copilot profile ...`
connectors.register(app)  # `copilot routes ...` and `copilot reviews ...`
questions.register(app)  # `copilot questions list|show|answer|dismiss|merge`
app.command("eval")(eval_command)  # `copilot eval SUITE... [--matrix ...] [--report ...]`


def main() -> None:  # pragma: no cover - console entry point
    app()
