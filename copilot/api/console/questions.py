"""The question queue, the learning loop in a browser: what the copilot could not answer,
grouped (the same question in other words is one item, counted), with who asked, where and
when. An operator answers an item (the answer becomes approved knowledge and is posted back in
the chats that asked), dismisses it, or merges it into another. Each action runs the HTTP
API's handler (``copilot.api.routes.questions``), so the console adds no queue logic."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse
from pydantic import ValidationError

from copilot.api.console.web import PREFIX, CsrfForm, Session, redirect, render
from copilot.api.deps import get_worker
from copilot.api.errors import ApiError, describe_validation, input_error_status
from copilot.api.routes import questions as routes
from copilot.errors import InputError
from copilot.keys import Principal
from copilot.keys.sessions import ConsoleSession
from copilot.skills.questions import STATUSES, QuestionItem

router = APIRouter(prefix=PREFIX + "/questions", include_in_schema=False)
# The API's path pattern for an item id: anything else is not an item of any community.
ITEM_ID = re.compile(r"^q_[0-9a-f]{1,28}$")
LIST_LIMIT = 200


def _status(request: Request) -> str:
    status = request.query_params.get("status", "open")
    return status if status in STATUSES else "open"


def _principal(session: ConsoleSession) -> Principal:
    """The signed-in key as the API's handlers see a caller (answers are signed with it)."""
    return Principal(community=session.community, role=session.role, key_id=session.key_id)


async def _items(request: Request, session: ConsoleSession, status: str) -> list[QuestionItem]:
    copilot = request.app.state.copilot
    return await routes.questions(request, session.community, copilot, status, LIST_LIMIT)  # type: ignore[arg-type]


async def list_page(
    request: Request, session: ConsoleSession, status_code: int = 200, **context: Any
) -> HTMLResponse:
    status = context.pop("status", None) or _status(request)
    items = await _items(request, session, status)
    return render(
        request,
        "questions.html",
        session,
        status_code,
        items=items,
        status=status,
        statuses=STATUSES,
        **context,
    )


async def item_page(
    request: Request,
    session: ConsoleSession,
    question_id: str,
    status_code: int = 200,
    *,
    use_suggested: bool = False,
    **context: Any,
) -> HTMLResponse:
    copilot = request.app.state.copilot
    try:
        item = await routes.question(request, session.community, question_id, copilot)
    except InputError as exc:  # unknown here (another community's id reads the same)
        return await list_page(request, session, input_error_status(exc), error=str(exc))
    if use_suggested and item.suggested and not context.get("draft"):
        context["draft"] = item.suggested.editable  # the operator starts from the draft
    # An item may be merged into another open one: the other open items of the queue.
    others = [i for i in await _items(request, session, "open") if i.id != item.id]
    return render(
        request, "question.html", session, status_code, item=item, others=others, **context
    )


@router.get("", response_class=HTMLResponse)
async def questions_list(request: Request, session: Session) -> HTMLResponse:
    return await list_page(request, session)


@router.get("/{question_id}", response_class=HTMLResponse)
async def question_view(request: Request, session: Session, question_id: str) -> HTMLResponse:
    if not ITEM_ID.match(question_id):
        return await list_page(request, session, 404, error="error.unknown_question")
    return await item_page(request, session, question_id)


@router.post("/{question_id}", response_model=None)
async def question_action(
    request: Request, session: Session, question_id: str, form: CsrfForm
) -> Response:
    """One form per item: its buttons name the action (answer, use_draft, dismiss, merge)."""
    if not ITEM_ID.match(question_id):
        return await list_page(request, session, 404, error="error.unknown_question")
    action = form.text("action")
    copilot = request.app.state.copilot
    community = session.community
    text = form.text("answer").replace("\r\n", "\n")
    try:
        if action == "answer":
            if not text:
                return await item_page(request, session, question_id, 422, error="error.no_answer")
            body = routes.AnswerIn(text=text)
            done = await routes.answer(
                request,
                community,
                question_id,
                body,
                copilot,
                _principal(session),
                get_worker(request),
            )
            return redirect(PREFIX + "/questions", "question_answered", posted=done.posted_back)
        if action == "use_draft":  # what the operator typed already is never overwritten
            return await item_page(request, session, question_id, use_suggested=True, draft=text)
        if action == "dismiss":
            await routes.dismiss(request, community, question_id, copilot)
            return redirect(PREFIX + "/questions", "question_dismissed")
        if action == "merge":
            into = form.text("into")[:32]
            merged = await routes.merge(
                request, community, question_id, routes.MergeIn(into=into), copilot
            )
            return redirect(f"{PREFIX}/questions/{merged.id}", "question_merged")
    except ValidationError as exc:
        _, _, message = describe_validation(exc.errors())  # type: ignore[arg-type]
        return await item_page(request, session, question_id, 422, error=message, draft=text)
    except InputError as exc:
        status = input_error_status(exc)
        return await item_page(request, session, question_id, status, error=str(exc), draft=text)
    except ApiError as exc:
        return await item_page(
            request, session, question_id, exc.status, error=exc.message, draft=text
        )
    return await item_page(request, session, question_id, 422, error="error.bad_action")
