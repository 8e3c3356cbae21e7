"""Operator commands: `draft`, `suggest`, `profile show|set`."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer
from rich.table import Table

from copilot.cli.common import CommunityOpt, JsonOpt, copilot_instance, err, out, print_json

profile_app = typer.Typer(
    help="The community profile: name, type, voice, rules for posts.", no_args_is_help=True
)
ListOpt = Annotated[str | None, typer.Option(help="Comma-separated; '' clears the list.")]


def draft(
    community: CommunityOpt,
    kind: Annotated[
        str,
        typer.Option(
            help="announcement, welcome, activity_promotion, "
            "weekly_digest, knowledge_share or rules_reminder."
        ),
    ],
    topic: Annotated[str, typer.Option(help="What the post is about.")],
    channel: Annotated[
        str,
        typer.Option(
            help="wechat_group, wecom_group, moments, qq_group, feishu_group, "
            "dingtalk_group, slack, discord or telegram."
        ),
    ] = "wechat_group",
    tone: Annotated[
        str | None,
        typer.Option(
            help="friendly, formal, playful or concise (default: from the profile's voice)."
        ),
    ] = None,
    language: Annotated[
        str | None, typer.Option(help="zh, zh-hant or en (default: the profile's).")
    ] = None,
    variants: Annotated[int, typer.Option(help="How many versions (1-5).")] = 1,
    prompt: Annotated[str | None, typer.Option(help="Prompt version, e.g. draft@v1.")] = None,
    json_out: JsonOpt = False,
) -> None:
    """Draft a post from the community's knowledge, cited and checked against channel rules."""
    with copilot_instance() as cp:
        result = cp.draft(
            community,
            kind=kind,
            topic=topic,
            channel=channel,
            tone=tone,
            language=language,
            variants=variants,
            prompt=prompt,
        )
    if json_out:
        print_json(result.model_dump(mode="json"))
        return
    for i, text in enumerate(result.variants, 1):
        if len(result.variants) > 1:
            out.rule(f"variant {i}")
        out.print(text, markup=False, highlight=False)
    out.rule("sources")
    for i, c in enumerate(result.citations, 1):
        out.print(f"[dim][{i}] {c.source}[/]")
    for check in result.checks:
        mark = "[green]✓[/]" if check.passed else "[red]✗[/]"
        out.print(f"{mark} {check.rule}: [dim]{check.detail}[/]")
    for warning in result.warnings:
        err.print(f"[yellow]note:[/] {warning}")
    out.print(f"[dim]{result.kind} · {result.channel} · {result.language} · {result.mode}[/]")


def suggest(
    community: CommunityOpt,
    today: Annotated[
        str | None, typer.Option(help="Plan as of this date (YYYY-MM-DD); default: today.")
    ] = None,
    limit: Annotated[int, typer.Option(help="How many suggestions (1-20).")] = 5,
    prompt: Annotated[str | None, typer.Option(help="Prompt version, e.g. suggest@v1.")] = None,
    json_out: JsonOpt = False,
) -> None:
    """Suggest activities for the community's type, goals, measured health and the date."""
    day = _parse_date(today)
    with copilot_instance() as cp:
        result = cp.suggest(community, today=day, prompt=prompt, limit=limit)
    if json_out:
        print_json(result.model_dump(mode="json"))
        return
    h = result.health
    out.print(
        f"[bold]{community}[/] · {result.community_type} · {result.today}  "
        f"[dim]members {h.members}, silent {h.silent_members}, unanswered "
        f"{h.unanswered_questions}, {h.messages_per_day}/day, signals: "
        f"{', '.join(h.signals) or 'none'}[/]"
    )
    for i, s in enumerate(result.suggestions, 1):
        terms = ", ".join(f"{k} {v:+g}" for k, v in s.score_breakdown.items() if v)
        out.print(f"\n[bold]{i}. {s.name}[/]  score {s.score:g} [dim]({terms})[/]")
        out.print(s.rationale, markup=False)
        out.print(f"[italic]{s.pitch}[/]", highlight=False)
        for step in s.plan:
            out.print(f"  {step.date:%m-%d}  {step.step}", markup=False)
        out.print(f"  [dim]KPI: {'; '.join(s.kpis[:3])}[/]")
    for note in result.notes:
        err.print(f"[yellow]note:[/] {note}")
    out.print(f"[dim]{result.mode}[/]")


@profile_app.command("show")
def profile_show(community: CommunityOpt, json_out: JsonOpt = False) -> None:
    """Show the community profile."""
    with copilot_instance() as cp:
        profile = cp.profile(community)
    if json_out:
        print_json(profile.model_dump())
        return
    table = Table(show_header=False, box=None)
    for field, value in profile.model_dump().items():
        shown = ", ".join(value) if isinstance(value, list) else str(value)
        table.add_row(f"[bold]{field}[/]", shown or "[dim]—[/]")
    out.print(table)


@profile_app.command("set")
def profile_set(
    community: CommunityOpt,
    name: Annotated[str | None, typer.Option(help="Display name, e.g. 晨跑读书会.")] = None,
    type: Annotated[
        str | None, typer.Option("--type", help="consumer, learning, interest, industry or brand.")
    ] = None,
    goals: ListOpt = None,
    voice: Annotated[str | None, typer.Option(help="e.g. 'warm, concise'.")] = None,
    language: Annotated[str | None, typer.Option(help="zh, zh-hant or en.")] = None,
    banned_words: ListOpt = None,
    hashtags: ListOpt = None,
    cta: Annotated[str | None, typer.Option("--cta", help="Call to action for posts.")] = None,
    admins: ListOpt = None,
    timezone: Annotated[str | None, typer.Option(help="e.g. Asia/Shanghai.")] = None,
    json_out: JsonOpt = False,
) -> None:
    """Change profile fields; options left out keep their value."""
    from copilot.profile import split_list

    changes = {
        "name": name,
        "type": type,
        "voice": voice,
        "language": language,
        "call_to_action": cta,
        "timezone": timezone,
        "goals": split_list(goals) if goals is not None else None,
        "banned_words": split_list(banned_words) if banned_words is not None else None,
        "required_hashtags": split_list(hashtags) if hashtags is not None else None,
        "admins": split_list(admins) if admins is not None else None,
    }
    if all(v is None for v in changes.values()):
        err.print("[bold red]Error:[/] nothing to change; see `copilot profile set --help`")
        raise typer.Exit(2)
    with copilot_instance() as cp:
        profile = cp.set_profile(community, **changes)
    if json_out:
        print_json(profile.model_dump())
    else:
        changed = ", ".join(k for k, v in changes.items() if v is not None)
        out.print(f"[green]saved[/] {community}: {changed}")


def _parse_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        err.print(f"[bold red]Error:[/] cannot read the date {value!r}: use YYYY-MM-DD")
        raise typer.Exit(2) from None


def register(app: typer.Typer) -> None:
    app.command()(draft)
    app.command()(suggest)
    app.add_typer(profile_app, name="profile")
