"""`copilot serve` and `copilot keys create|list|revoke`."""

from __future__ import annotations

import json
import logging
import os
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from copilot.config import Settings
from copilot.errors import InputError

if TYPE_CHECKING:
    from copilot.keys import KeyStore

out = Console()
err = Console(stderr=True)
keys_app = typer.Typer(
    help="Manage API keys (stored hashed; a key is shown only once).", no_args_is_help=True
)


def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    log_level: Annotated[str, typer.Option(help="debug, info, warning or error.")] = "info",
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            max=32,
            help=(
                "Worker processes. More than 1 needs a Chroma server (COPILOT_CHROMA_URL): the "
                "embedded store is single-process."
            ),
        ),
    ] = 1,
    readers: Annotated[
        int | None,
        typer.Option(
            min=0,
            max=64,
            help=(
                "Processes that answer skill calls on all cores, with the embedded store too "
                "(COPILOT_READERS; default: one per core offline, 0 with an LLM; 0 = answer in "
                "the server process)."
            ),
        ),
    ] = None,
) -> None:
    """Run the HTTP API (OpenAPI docs at /docs) with uvicorn."""
    import uvicorn

    from copilot.api.logs import configure_logging
    from copilot.api.readers import default_readers
    from copilot.store.db import Database

    settings = Settings()
    if workers > 1 and not settings.chroma_url:
        err.print(
            "[bold red]Error:[/] --workers above 1 needs COPILOT_CHROMA_URL (a `chroma "
            "run` server); with the embedded store, --readers uses every core instead"
        )
        raise typer.Exit(2)
    if workers > 1:
        readers = 0  # several server processes on a Chroma server already use the cores
    if readers is not None:
        os.environ["COPILOT_READERS"] = str(readers)  # the server processes read Settings
        settings = Settings()
    configure_logging(log_level)
    # Create or upgrade the schema once, before any server or reader process opens it.
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    Database(settings.sqlite_url).close()
    mode = "offline" if settings.offline else f"LLM {settings.llm_model}"
    count = default_readers(settings)
    answered = f"{count} reader processes" if count else "in process"
    err.print(
        f"[bold]Community Copilot API[/] on http://{host}:{port} ({mode}, skills answered "
        f"{answered}); docs at /docs"
    )
    # Our middleware logs every request with its id; uvicorn's access log would repeat it.
    # The factory string lets uvicorn build one app (and one Copilot) per worker process.
    uvicorn.run(
        "copilot.cli.serve:served_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_config=None,
        log_level=log_level,
        access_log=False,
        proxy_headers=True,
    )


def served_app() -> Any:
    """The app of one server process, with JSON logs at uvicorn's level (worker processes
    start fresh interpreters, so logging is set up here rather than only in `serve`)."""
    from copilot.api import create_app
    from copilot.api.logs import configure_logging
    from copilot.api.readers import default_readers

    configure_logging(logging.getLevelName(logging.getLogger("uvicorn.error").level))
    settings = Settings()
    return create_app(settings, readers=default_readers(settings))


def _store() -> KeyStore:
    from copilot.keys import KeyStore
    from copilot.store.db import Database

    settings = Settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return KeyStore(Database(settings.sqlite_url))


@keys_app.command("create")
def create_key(
    community: Annotated[str, typer.Option("--community", "-c", help="Community id.")],
    role: Annotated[str, typer.Option(help="member, operator or admin.")] = "member",
    name: Annotated[str, typer.Option(help="A label, e.g. who holds the key.")] = "",
) -> None:
    """Create a key. The key is the last line of output; it is not stored and not shown again."""
    try:
        info, secret = _store().create(community, role, name)
    except InputError as exc:
        err.print(f"[bold red]Error:[/] {exc}")
        raise typer.Exit(2) from None
    err.print(
        f"Created {info.role} key {info.id} for community '{info.community}'. "
        "Store it now; it cannot be shown again:"
    )
    print(secret)


@keys_app.command("list")
def list_keys(
    community: Annotated[str | None, typer.Option("--community", "-c")] = None,
    all_keys: Annotated[bool, typer.Option("--all", help="Include revoked keys.")] = False,
    json_out: Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")] = False,
) -> None:
    """List keys (ids, roles, communities; never secrets)."""
    found = _store().list(community, include_revoked=all_keys)
    if json_out:
        print(json.dumps([k.model_dump(mode="json") for k in found], indent=2))
        return
    table = Table("id", "community", "role", "name", "created", "revoked")
    table.columns[0].no_wrap = True
    for k in found:
        table.add_row(
            k.id,
            k.community,
            k.role.value,
            k.name,
            k.created_at.strftime("%Y-%m-%d %H:%M"),
            k.revoked_at.strftime("%Y-%m-%d %H:%M") if k.revoked_at else "",
        )
    out.print(table)


@keys_app.command("revoke")
def revoke_key(key_id: Annotated[str, typer.Argument(help="The key id (key_...).")]) -> None:
    """Revoke a key at once."""
    if not _store().revoke(key_id):
        err.print(f"[bold red]Error:[/] no key '{key_id}'")
        raise typer.Exit(2)
    out.print(f"Revoked {key_id}.")


def register(app: typer.Typer) -> None:
    app.command()(serve)
    app.add_typer(keys_app, name="keys")
