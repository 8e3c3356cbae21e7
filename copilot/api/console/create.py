"""Create: drafts (kind, channel, tone, language, variants) with a copy button, summaries of a
date range, and activity suggestions with their reasons, each run as its HTTP route runs it."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from copilot.api.console.skills import SkillFailed, run_skill
from copilot.api.console.web import PREFIX, CsrfForm, Session, render
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
) -> HTMLResponse:
    values = {f"{shown}.{k}": v for k, v in fields.items()}
    try:
        result = await run_skill(request, session.community, skill, fields)
    except SkillFailed as exc:
        return page(request, session, exc.status, error=exc.message, values=values, tab=shown)
    return page(request, session, values=values, tab=shown, **{shown: result})


@router.post("/draft", response_class=HTMLResponse)
async def draft(request: Request, session: Session, form: CsrfForm) -> HTMLResponse:
    fields: dict[str, Any] = {
        "kind": form.text("kind"),
        "topic": form.text("topic"),
        "channel": form.text("channel") or "wechat_group",
        "tone": form.text("tone") or None,
        "language": form.text("language") or None,
        "variants": form.text("variants") or 1,
    }
    return await _run(request, session, "draft", fields, "draft")


@router.post("/summary", response_class=HTMLResponse)
async def summary(request: Request, session: Session, form: CsrfForm) -> HTMLResponse:
    fields = {
        "since": form.text("since") or None,
        "until": form.text("until") or None,
        "channel": form.text("channel") or None,
    }
    return await _run(request, session, "summarize", fields, "summary")


@router.post("/suggestions", response_class=HTMLResponse)
async def suggestions(request: Request, session: Session, form: CsrfForm) -> HTMLResponse:
    return await _run(
        request, session, "suggest", {"limit": form.text("limit") or 5}, "suggestions"
    )
