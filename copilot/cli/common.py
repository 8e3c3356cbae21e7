"""What every `copilot` command shares: option types, consoles, the Copilot for one command."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer
from rich.console import Console

from copilot.config import Settings
from copilot.embeddings import EmbedderMismatchError
from copilot.errors import InputError

out = Console()
err = Console(stderr=True, soft_wrap=True)  # errors stay one line: easy to read and grep

CommunityOpt = Annotated[str, typer.Option("--community", "-c", help="Community id.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]


@contextmanager
def copilot_instance(settings: Settings | None = None) -> Iterator[Any]:
    """A Copilot for one command; user-facing errors become a message and exit code 2."""
    from copilot.service import Copilot

    instance = None
    try:
        instance = Copilot(settings or Settings())
        yield instance
    except (InputError, EmbedderMismatchError) as exc:
        err.print(f"[bold red]Error:[/] {exc}")
        raise typer.Exit(2) from None
    finally:
        if instance is not None:
            instance.close()


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")
