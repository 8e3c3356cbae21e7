"""`copilot questions list|show|answer|dismiss|merge`: the queue of handed-off and unanswered
questions; an answer becomes approved knowledge the next asker gets, cited."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from copilot.cli.common import CommunityOpt, JsonOpt, copilot_instance, err, out, print_json

questions_app = typer.Typer(
    help="Questions the copilot could not answer, grouped, most asked first; answer or dismiss.",
    no_args_is_help=True,
)
QuestionArg = Annotated[str, typer.Argument(help="The item's id (from `copilot questions list`).")]


@questions_app.command("list")
def questions_list(
    community: CommunityOpt,
    status: Annotated[
        str | None, typer.Option(help="open, answered or dismissed (default: all).")
    ] = None,
    limit: Annotated[int, typer.Option(help="At most this many items (1-500).")] = 100,
    json_out: JsonOpt = False,
) -> None:
    """List the queue: each item with how often and when it was asked, and by whom."""
    from copilot.skills.questions import STATUSES

    if status is not None and status not in STATUSES:
        err.print(f"[bold red]Error:[/] unknown status {status!r}: use open, answered or dismissed")
        raise typer.Exit(2)
    if not 1 <= limit <= 500:
        err.print(f"[bold red]Error:[/] --limit must be between 1 and 500, not {limit}")
        raise typer.Exit(2)
    with copilot_instance() as cp:
        items = cp.questions(community, status, limit)
    if json_out:
        print_json([i.model_dump(mode="json") for i in items])
        return
    if not items:
        out.print(f"[dim]no {status or ''} questions in {community}[/]".replace("  ", " "))
    for i in items:
        where = ", ".join(sorted({p.channel for p in i.asked_in})) or "—"
        out.print(
            f"[bold]{i.id}[/] \\[{i.status}] ×{i.count}  [dim]last {i.last_asked:%Y-%m-%d %H:%M} · "
            f"{where}[/]"
        )
        out.print(f"  Q: {i.question}", markup=False, highlight=False)
        if i.answer:
            out.print(f"  A: {i.answer}", markup=False, highlight=False)


@questions_app.command("show")
def questions_show(
    question_id: QuestionArg, community: CommunityOpt, json_out: JsonOpt = False
) -> None:
    """One item with every place and time it was asked; an open one with the draft answer
    the knowledge suggests (check it, then `copilot questions answer`)."""
    with copilot_instance() as cp:
        item = cp.question_item(community, question_id)
    if json_out:
        print_json(item.model_dump(mode="json"))
        return
    out.print(f"[bold]{item.id}[/] \\[{item.status}] ×{item.count}", highlight=False)
    out.print(f"Q: {item.question}", markup=False, highlight=False)
    for p in item.asked_in:
        chat = f" {p.chat_id}" + (f"/{p.thread_id}" if p.thread_id else "") if p.chat_id else ""
        out.print(f"  [dim]{p.asked_at:%Y-%m-%d %H:%M} {p.channel}{chat} {p.asker}[/]  {p.text}")
    if item.answer:
        out.print(f"A: {item.answer}  [dim]({item.answered_by})[/]", highlight=False)
    elif item.suggested:
        sources = ", ".join(dict.fromkeys(c.source for c in item.suggested.citations))
        out.print(
            f"[dim]suggested from the knowledge (confidence {item.suggested.confidence:.2f}, "
            f"check before answering; {sources}):[/]",
            highlight=False,
        )
        out.print(f"  {item.suggested.text}", markup=False, highlight=False)


@questions_app.command("answer")
def questions_answer(
    question_id: QuestionArg,
    community: CommunityOpt,
    text: Annotated[str, typer.Option("--text", help="The answer the members should get.")],
    json_out: JsonOpt = False,
) -> None:
    """Answer an item: it becomes approved knowledge, so the next asker gets it, cited."""
    with copilot_instance() as cp:
        item = cp.answer_question_item(community, question_id, text, by="cli")
        posted = _post_back(cp, community, item.id, item.answer)
    if json_out:
        print_json({**item.model_dump(mode="json"), "posted_back": posted})
        return
    out.print(f"[green]answered[/] {item.id}: {item.question}", highlight=False)
    if posted:
        out.print(f"[dim]posted back in {posted} chat(s)[/]")


def _post_back(cp: Any, community: str, question_id: str, text: str) -> int:
    """Tell the chats that asked, through the platforms configured by COPILOT_<PLATFORM>_*."""
    import asyncio

    import httpx

    from connectors import build_connectors
    from connectors.questions import QuestionRelay

    async def post() -> int:
        async with httpx.AsyncClient(timeout=httpx.Timeout(10.0)) as http:
            try:
                connectors = build_connectors(http=http)
            except ValueError as exc:  # a platform partly configured
                err.print(f"[yellow]note:[/] answer saved, not posted back: {exc}")
                return 0
            if not connectors:
                return 0
            return await QuestionRelay(cp, connectors).post_back(community, question_id, text)

    return asyncio.run(post())


@questions_app.command("dismiss")
def questions_dismiss(question_id: QuestionArg, community: CommunityOpt) -> None:
    """Dismiss an item (off-topic, spam): it leaves the queue."""
    with copilot_instance() as cp:
        item = cp.dismiss_question_item(community, question_id)
    out.print(f"dismissed {item.id}: {item.question}", highlight=False)


@questions_app.command("merge")
def questions_merge(
    question_id: QuestionArg,
    community: CommunityOpt,
    into: Annotated[str, typer.Option("--into", help="The item that keeps both.")],
) -> None:
    """Merge two items that are the same question: counts and askings add up."""
    with copilot_instance() as cp:
        item = cp.merge_question_items(community, question_id, into)
    out.print(f"merged {question_id} into {item.id} (×{item.count})", highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(questions_app, name="questions")
