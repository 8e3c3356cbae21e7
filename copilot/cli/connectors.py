"""CLI for chat connectors: `copilot routes add|list|remove`, `copilot reviews list|approve|reject`.

The platform choices come from the connector registry; the platform modules themselves are
imported only by the commands that need them (CLI start-up stays fast).
"""

from __future__ import annotations

import asyncio
import importlib.util
import pkgutil
from functools import cache
from pathlib import Path
from typing import Annotated

import typer

from copilot.cli.common import CommunityOpt, JsonOpt, copilot_instance, err, out, print_json


@cache
def listed_platforms() -> list[str]:
    """The platforms for the options' help, as ``connectors.registry.platform_names`` lists
    them but without importing the connectors package (its base module imports httpx and
    pydantic models: 0.2 s of every command's start). Commands ask the registry itself."""
    spec = importlib.util.find_spec("connectors")
    roots = list(spec.submodule_search_locations or []) if spec else []
    found = pkgutil.iter_modules([str(Path(root) / "platforms") for root in roots])
    return sorted(m.name for m in found if not m.name.startswith("_"))


routes_app = typer.Typer(
    help="Which chat belongs to which community, and how the bot behaves.", no_args_is_help=True
)
reviews_app = typer.Typer(
    help="Draft answers waiting for an operator (mode review).", no_args_is_help=True
)
PlatformOpt = Annotated[
    str, typer.Option("--platform", "-p", help=f"One of: {', '.join(listed_platforms())}.")
]
ChatOpt = Annotated[str, typer.Option("--chat", help="The platform's chat/channel id.")]


def _split(values: list[str] | None) -> list[str]:
    """Accept `--admins a --admins b` and `--admins a,b`."""
    return [v.strip() for raw in values or [] for v in raw.split(",") if v.strip()]


def _fail(message: str) -> None:
    err.print(f"[bold red]Error:[/] {message}")
    raise typer.Exit(2)


@routes_app.command("add")
def routes_add(
    platform: PlatformOpt,
    chat: ChatOpt,
    community: CommunityOpt,
    mode: Annotated[str, typer.Option(help="mention (default), all or review.")] = "mention",
    admins: Annotated[
        list[str] | None,
        typer.Option(help="User ids @-mentioned on handoff (repeat or comma-separate)."),
    ] = None,
    operators: Annotated[
        list[str] | None,
        typer.Option(help="User ids allowed to run /summary and /draft in the group."),
    ] = None,
    capture: Annotated[
        bool,
        typer.Option(help="Store the group's messages (redacted) for summaries and analytics."),
    ] = False,
) -> None:
    """Connect a chat to a community (replaces the chat's existing route)."""
    from connectors.registry import platform_names
    from connectors.tables import Route, put_route

    if platform not in platform_names():
        _fail(f"unknown platform {platform!r}; choose one of: {', '.join(platform_names())}")
    if mode not in ("mention", "all", "review"):
        _fail(f"--mode must be mention, all or review, not {mode!r}")
    with copilot_instance() as cp:
        from copilot.errors import check_community

        check_community(community)
        route = put_route(
            cp.db,
            Route(
                platform=platform,
                chat_id=chat,
                community=community,
                mode=mode,  # type: ignore[arg-type]
                admins=_split(admins),
                operators=_split(operators),
                capture=capture,
            ),
        )
    out.print(
        f"{route.platform}:{route.chat_id} → {route.community} (mode {route.mode}"
        f"{', capture on' if route.capture else ''})"
    )


@routes_app.command("list")
def routes_list(
    community: Annotated[str | None, typer.Option("--community", "-c")] = None,
    json_out: JsonOpt = False,
) -> None:
    """Show the routing table."""
    from connectors.tables import list_routes

    with copilot_instance() as cp:
        routes = list_routes(cp.db, community)
    if json_out:
        print_json([r.model_dump() for r in routes])
        return
    if not routes:
        out.print("No routes yet. Add one with: copilot routes add --platform P --chat ID -c C")
    for r in routes:
        out.print(
            f"{r.platform:9} {r.chat_id:28} → {r.community:16} {r.mode:8} "
            f"admins={','.join(r.admins) or '-'} operators={','.join(r.operators) or '-'} "
            f"capture={'on' if r.capture else 'off'}"
        )


@routes_app.command("remove")
def routes_remove(platform: PlatformOpt, chat: ChatOpt) -> None:
    """Disconnect a chat (the bot then ignores it)."""
    from connectors.tables import remove_route

    with copilot_instance() as cp:
        removed = remove_route(cp.db, platform, chat)
    if not removed:
        _fail(f"no route for {platform}:{chat}")
    out.print(f"removed {platform}:{chat}")


@reviews_app.command("list")
def reviews_list(
    community: CommunityOpt,
    status: Annotated[str, typer.Option(help="pending, approved, rejected or all.")] = "pending",
    json_out: JsonOpt = False,
) -> None:
    """Draft answers in the queue."""
    from connectors.tables import list_reviews

    with copilot_instance() as cp:
        items = list_reviews(cp.db, community, None if status == "all" else status)
    if json_out:
        print_json([i.model_dump(mode="json") for i in items])
        return
    if not items:
        out.print("The review queue is empty.")
    for i in items:
        out.print(
            f"[bold]#{i.id}[/] {i.platform}:{i.chat_id} {i.status}\n  Q: {i.question}\n"
            f"  A: {i.edited or i.draft}"
        )


@reviews_app.command("approve")
def reviews_approve(
    review_id: Annotated[int, typer.Argument(help="Queue item id.")],
    community: CommunityOpt,
    text: Annotated[str | None, typer.Option(help="Edited answer to post instead.")] = None,
) -> None:
    """Post the draft (or --text) in the asker's thread through the platform API."""
    from connectors import build_connectors
    from connectors.tables import decide_review, get_review, reopen_review
    from connectors.worker import ConnectorWorker

    with copilot_instance() as cp:
        if get_review(cp.db, community, review_id) is None:
            _fail(f"no review item #{review_id} in community {community}")
        item = decide_review(cp.db, community, review_id, "approved", text)
        if item is None:
            _fail(f"review item #{review_id} was already decided")
        assert item is not None
        conns = build_connectors()
        if item.platform not in conns:
            reopen_review(cp.db, review_id, community)
            _fail(
                f"the {item.platform} connector is not configured "
                f"(COPILOT_{item.platform.upper()}_*)"
            )

        async def deliver() -> None:
            worker = ConnectorWorker(cp, conns)
            try:
                await worker.deliver_review(
                    item.inbound(), text or item.draft, [] if text else item.citations
                )
            finally:
                for c in conns.values():
                    await c.aclose()

        try:
            asyncio.run(deliver())
        except Exception as exc:
            reopen_review(cp.db, review_id, community)
            _fail(f"posting failed, the item stays pending: {exc}")
    out.print(f"approved and posted #{review_id}")


@reviews_app.command("reject")
def reviews_reject(review_id: Annotated[int, typer.Argument()], community: CommunityOpt) -> None:
    """Drop a draft; nothing is posted."""
    from connectors.tables import decide_review

    with copilot_instance() as cp:
        if decide_review(cp.db, community, review_id, "rejected") is None:
            _fail(f"no pending review item #{review_id} in community {community}")
    out.print(f"rejected #{review_id}")


def connect() -> None:
    """Connect out to the chat platforms and answer there, no public URL needed: Slack Socket
    Mode, Telegram long polling, the QQ and Discord gateways, DingTalk Stream mode and the
    Feishu/Lark long connection, each when its COPILOT_* settings are set (connectors/README.md).
    Same routes, dedupe and review queue as the webhooks; stop with Ctrl-C."""
    from connectors.base import DeliveryError
    from connectors.connect import connect as run

    with copilot_instance() as cp:
        try:
            asyncio.run(run(cp))
        except KeyboardInterrupt:
            out.print("stopped")
        except (ValueError, DeliveryError) as exc:
            _fail(str(exc))


def register(app: typer.Typer) -> None:
    app.command("connect")(connect)
    app.add_typer(routes_app, name="routes")
    app.add_typer(reviews_app, name="reviews")
