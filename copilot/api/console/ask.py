"""The ask playground: a question answered as a member would get it, with its evidence."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from copilot.api.console.skills import SkillFailed, run_skill
from copilot.api.console.web import PREFIX, CsrfForm, Session, render

router = APIRouter(prefix=PREFIX + "/ask", include_in_schema=False)


@router.get("", response_class=HTMLResponse)
async def ask_page(request: Request, session: Session) -> HTMLResponse:
    return render(request, "ask.html", session)


@router.post("", response_class=HTMLResponse)
async def ask(request: Request, session: Session, form: CsrfForm) -> HTMLResponse:
    question = form.text("question")
    try:
        answer = await run_skill(request, session.community, "ask", {"question": question})
    except SkillFailed as exc:
        return render(
            request, "ask.html", session, exc.status, error=exc.message, question=question
        )
    return render(request, "ask.html", session, answer=answer, question=question)
