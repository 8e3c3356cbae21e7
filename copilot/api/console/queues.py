"""What waits for an operator: FAQ candidates mined from the chat, and the review queue of
answers connectors would post. Each action runs the HTTP API's handler."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from copilot.api.console.web import PREFIX, CsrfForm, Session, redirect, render
from copilot.api.deps import get_worker
from copilot.api.errors import ApiError
from copilot.api.routes import faq, reviews
from copilot.keys.sessions import ConsoleSession

router = APIRouter(prefix=PREFIX, include_in_schema=False)
FAQ_STATUSES = ("pending", "approved", "rejected")


async def faq_page(
    request: Request, session: ConsoleSession, status_code: int = 200, **context: object
) -> HTMLResponse:
    status = request.query_params.get("status", "pending")
    status = status if status in FAQ_STATUSES else "pending"
    copilot = request.app.state.copilot
    entries = await faq.faq_candidates(request, session.community, copilot, status)  # type: ignore[arg-type]
    return render(
        request, "faq.html", session, status_code, entries=entries, status=status, **context
    )


@router.get("/faq", response_class=HTMLResponse)
async def faq_list(request: Request, session: Session) -> HTMLResponse:
    return await faq_page(request, session)


@router.post("/faq/refresh", response_model=None)
async def faq_refresh(request: Request, session: Session, form: CsrfForm) -> Response:
    found = await faq.faq_refresh(request, session.community, request.app.state.copilot)
    return redirect(PREFIX + "/faq", "faq_refreshed", new=found.new)


@router.post("/faq/decide", response_model=None)
async def faq_decide(request: Request, session: Session, form: CsrfForm) -> Response:
    faq_id, action = form.text("id")[:64], form.text("action")
    copilot = request.app.state.copilot
    try:
        if action == "approve":
            edits = faq.FaqEditIn(
                question=form.text("question") or None, answer=form.text("answer") or None
            )
            await faq.faq_approve(request, session.community, copilot, faq_id, edits)
        elif action == "reject":
            await faq.faq_reject(request, session.community, copilot, faq_id)
        else:
            return await faq_page(request, session, 422, error="error.bad_action")
    except ApiError as exc:
        return await faq_page(request, session, exc.status, error=exc.message)
    except ValueError as exc:
        return await faq_page(request, session, 422, error=str(exc))
    return redirect(PREFIX + "/faq", f"faq_{action}d")


async def reviews_page(
    request: Request, session: ConsoleSession, status_code: int = 200, **context: object
) -> HTMLResponse:
    status = request.query_params.get("status", "pending")
    status = status if status in ("pending", "approved", "rejected") else "pending"
    items = await reviews.reviews(session.community, get_worker(request), status)  # type: ignore[arg-type]
    return render(
        request, "reviews.html", session, status_code, items=items, status=status, **context
    )


@router.get("/reviews", response_class=HTMLResponse)
async def review_list(request: Request, session: Session) -> HTMLResponse:
    return await reviews_page(request, session)


@router.post("/reviews/decide", response_model=None)
async def review_decide(request: Request, session: Session, form: CsrfForm) -> Response:
    action = form.text("action")
    try:
        review_id = int(form.text("id"))
    except ValueError:
        return await reviews_page(request, session, 422, error="error.bad_action")
    worker = get_worker(request)
    try:
        if action == "approve":
            draft = form.text("original").replace("\r\n", "\n")
            text = form.text("text").replace("\r\n", "\n")
            edited = reviews.ApproveIn(text=text) if text and text != draft else None
            await reviews.approve(session.community, review_id, worker, edited)
        elif action == "reject":
            await reviews.reject(session.community, review_id, worker)
        else:
            return await reviews_page(request, session, 422, error="error.bad_action")
    except ApiError as exc:
        return await reviews_page(request, session, exc.status, error=exc.message)
    except ValueError as exc:
        return await reviews_page(request, session, 422, error=str(exc))
    return redirect(PREFIX + "/reviews", f"review_{action}d", id=review_id)
