"""CLI commands over chat history: `summarize`, `stats`, `faq`."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Annotated

import typer

from copilot.cli.common import CommunityOpt, JsonOpt, copilot_instance, err, out, print_json
from copilot.errors import InputError
from copilot.models import assume_utc

RELATIVE = re.compile(r"^(\d+)\s*([hdw])$")
WhenOpt = Annotated[
    str | None,
    typer.Option(
        help="ISO date/time (2026-11-03, 2026-11-03T20:00+08:00) or relative: 24h, 7d, 2w."
    ),
]


def parse_when(value: str | None, *, now: datetime | None = None) -> datetime | None:
    """A user-typed time bound; relative values count back from now."""
    if not value:
        return None
    now = now or datetime.now(UTC)
    match = RELATIVE.match(value.strip().lower())
    if match:
        unit = {"h": "hours", "d": "days", "w": "weeks"}[match.group(2)]
        return now - timedelta(**{unit: int(match.group(1))})
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise InputError(
            f"cannot read the time {value!r}: use 2026-11-03, "
            "2026-11-03T20:00+08:00, or 24h / 7d / 2w"
        ) from None
    return assume_utc(parsed)


faq_app = typer.Typer(
    help="FAQ candidates mined from chat: list, approve, reject.", no_args_is_help=True
)


def summarize(
    community: CommunityOpt,
    since: WhenOpt = None,
    until: WhenOpt = None,
    channel: Annotated[str | None, typer.Option(help="Only this channel.")] = None,
    language: Annotated[str | None, typer.Option(help="zh, zh-hant or en.")] = None,
    prompt: Annotated[str | None, typer.Option(help="e.g. summarize@v1")] = None,
    json_out: JsonOpt = False,
) -> None:
    """Summarize the group chat: topics, decisions, action items, open questions, mood."""
    with copilot_instance() as cp:
        result = cp.summarize(
            community,
            since=parse_when(since),
            until=parse_when(until),
            channel=channel,
            language=language,
            prompt=prompt,
        )
    if json_out:
        print_json(result.model_dump(mode="json"))
    else:
        out.print(result.markdown, markup=False, highlight=False)
        if result.notice and result.notice != result.markdown:
            out.print(result.notice, style="yellow", markup=False, highlight=False)
        out.print(f"[dim]{_footer(result.messages, result.mode, result.language)}[/]")


def _footer(messages: int, mode: str, language: str) -> str:
    """The line under a summary, in the summary's language."""
    if language == "zh":
        return f"{messages} 条消息 · {'离线模式' if mode == 'offline' else mode}"
    if language == "zh-hant":
        return f"{messages} 則訊息 · {'離線模式' if mode == 'offline' else mode}"
    return f"{messages} messages · {mode}"


def stats(
    community: CommunityOpt, since: WhenOpt = None, until: WhenOpt = None, json_out: JsonOpt = False
) -> None:
    """Community health from chat history: activity, silent members, questions, spam.

    The whole history by default; times are in the community's time zone."""
    end = parse_when(until)
    with copilot_instance() as cp:
        report = cp.stats(
            community,
            since=parse_when(since),
            now=end - timedelta(microseconds=1) if end else None,  # --until is exclusive
        )
    if json_out:
        print_json(report.model_dump(mode="json"))
        return
    data = report.model_dump(mode="json")
    for key in ("total_messages", "signals"):
        if key in data:
            out.print(f"[bold]{key}[/]: {data[key]}")
    for key, value in data.items():
        if key not in ("total_messages", "signals") and not isinstance(value, (list, dict)):
            out.print(f"{key}: {value}")


@faq_app.command("list")
def faq_list(
    community: CommunityOpt,
    status: Annotated[
        str | None, typer.Option(help="pending, approved or rejected (default: all).")
    ] = None,
    refresh: Annotated[
        bool, typer.Option(help="Mine the chat history for new candidates first.")
    ] = True,
    json_out: JsonOpt = False,
) -> None:
    """List FAQ candidates (question → accepted answer) found in the chat history."""
    from copilot.skills.faq import list_entries

    if status not in (None, "pending", "approved", "rejected"):
        err.print(f"[bold red]Error:[/] unknown status {status!r}")
        raise typer.Exit(2)
    with copilot_instance() as cp:
        added = cp.faq_refresh(community) if refresh else 0
        entries = list_entries(cp.db, community, status)  # type: ignore[arg-type]
    if json_out:
        print_json([e.model_dump() for e in entries])
        return
    if refresh:
        out.print(f"[dim]{added} new candidate(s) mined[/]")
    for e in entries:
        out.print(
            f"[bold]{e.id}[/] [{e.status}] ×{e.asked_times}\n  Q: {e.question}\n  A: {e.answer}"
        )


@faq_app.command("approve")
def faq_approve(
    faq_id: str,
    community: CommunityOpt,
    question: Annotated[str | None, typer.Option(help="Edited question.")] = None,
    answer: Annotated[str | None, typer.Option(help="Edited answer.")] = None,
) -> None:
    """Approve a candidate (optionally edited) into the knowledge base."""
    with copilot_instance() as cp:
        entry = cp.faq_decide(community, faq_id, "approved", question=question, answer=answer)
    out.print(f"approved {entry.id}: {entry.question}")


@faq_app.command("reject")
def faq_reject(faq_id: str, community: CommunityOpt) -> None:
    """Reject a candidate; it will not be offered again."""
    with copilot_instance() as cp:
        entry = cp.faq_decide(community, faq_id, "rejected")
    out.print(f"rejected {entry.id}")


def register(app: typer.Typer) -> None:
    app.command()(summarize)
    app.command()(stats)
    app.add_typer(faq_app, name="faq")
