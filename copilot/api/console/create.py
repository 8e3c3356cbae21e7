"""Create: drafts (kind, channel, tone, language, variants) with a copy button, summaries of a
date range, and activity suggestions with their reasons, each run as its HTTP route runs it.

Streamed as the API streams (``copilot.api.streaming``): a form posted with
``Accept: text/event-stream`` gets ``started`` at once, pings while the skill works (a slow LLM
outlives a proxy's idle timeout otherwise), then one ``result`` event carrying the rendered page
(the browser swaps its result section in) or one ``error`` event with the message. Without
JavaScript the same form posts normally and gets the whole page."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse
from sse_starlette.sse import EventSourceResponse

from copilot.api.console.skills import SkillFailed, run_skill
from copilot.api.console.web import PREFIX, SECURITY_HEADERS, CsrfForm, Session, render
from copilot.api.streaming import PING_SECONDS, wants_stream
from copilot.keys.sessions import ConsoleSession
from copilot.skills.draft import CHANNELS, KINDS, TONES

router = APIRouter(prefix=PREFIX + "/create", include_in_schema=False)
LANGUAGES = ("zh", "zh-hant", "en")


def page(
    request: Request, session: ConsoleSession, status_code: int = 200, **context: Any
) -> HTMLResponse:
    return render(
        request,
        "create.html",
        session,
        status_code,
        kinds=KINDS,
        channels=list(CHANNELS.values()),
        tones=TONES,
        draft_languages=LANGUAGES,
        values=context.pop("values", {}),
        **context,
    )


@router.get("", response_class=HTMLResponse)
async def create_page(request: Request, session: Session) -> HTMLResponse:
    return page(request, session)


async def _run(
    request: Request, session: ConsoleSession, skill: str, fields: dict[str, Any], shown: str
) -> Response:
    values = {f"{shown}.{k}": v for k, v in fields.items()}
    if wants_stream(request):
        return _stream(request, session, skill, fields, shown, values)
    try:
        result = await run_skill(request, session.community, skill, fields)
    except SkillFailed as exc:
        return page(request, session, exc.status, error=exc.message, values=values, tab=shown)
    return page(request, session, values=values, tab=shown, **{shown: result})


def _stream(
    request: Request,
    session: ConsoleSession,
    skill: str,
    fields: dict[str, Any],
    shown: str,
    values: dict[str, Any],
) -> EventSourceResponse:
    async def events() -> AsyncIterator[dict[str, str]]:
        yield {"event": "started", "data": json.dumps({"skill": skill})}
        try:
            result = await run_skill(request, session.community, skill, fields)
        except SkillFailed as exc:
            error = {"status": exc.status, "message": exc.message}
            yield {"event": "error", "data": json.dumps(error, ensure_ascii=False)}
            return
        html = page(request, session, values=values, tab=shown, **{shown: result}).body
        yield {"event": "result", "data": bytes(html).decode("utf-8")}

    headers = {k: v for k, v in SECURITY_HEADERS.items() if k != "Cache-Control"}
    return EventSourceResponse(events(), ping=PING_SECONDS, headers=headers)


@router.post("/draft", response_model=None)
async def draft(request: Request, session: Session, form: CsrfForm) -> Response:
    fields: dict[str, Any] = {
        "kind": form.text("kind"),
        "topic": form.text("topic"),
        "channel": form.text("channel") or "wechat_group",
        "tone": form.text("tone") or None,
        "language": form.text("language") or None,
        "variants": form.text("variants") or 1,
    }
    return await _run(request, session, "draft", fields, "draft")


@router.post("/summary", response_model=None)
async def summary(request: Request, session: Session, form: CsrfForm) -> Response:
    fields = {
        "since": form.text("since") or None,
        "until": form.text("until") or None,
        "channel": form.text("channel") or None,
    }
    return await _run(request, session, "summarize", fields, "summary")


@router.post("/suggestions", response_model=None)
async def suggestions(request: Request, session: Session, form: CsrfForm) -> Response:
    return await _run(
        request, session, "suggest", {"limit": form.text("limit") or 5}, "suggestions"
    )
