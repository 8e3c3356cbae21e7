"""Settings: the community profile, chat routes with their last events, and (admin only) the
community's API keys and the effective configuration."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from connectors.tables import last_events, list_routes
from copilot.api.console.eval_runs import shipped_suites
from copilot.api.console.reports import eval_runs
from copilot.api.console.web import (
    PREFIX,
    AdminSession,
    CsrfForm,
    Session,
    redirect,
    render,
)
from copilot.api.deps import run_sync
from copilot.api.errors import ApiError
from copilot.api.routes import keys as key_routes
from copilot.api.schemas import KeyIn
from copilot.errors import InputError
from copilot.keys import Role
from copilot.keys.sessions import ConsoleSession
from copilot.profile import COMMUNITY_TYPES, LIST_FIELDS, split_list

router = APIRouter(prefix=PREFIX + "/settings", include_in_schema=False)
TEXT_FIELDS = ("name", "type", "voice", "language", "call_to_action", "timezone")
CHOICES = ("type", "language", "timezone")


def _routes(request: Request, community: str) -> list[dict[str, Any]]:
    db = request.app.state.copilot.db
    return [
        {"route": r, "events": last_events(db, r.platform, r.chat_id)}
        for r in list_routes(db, community)
    ]


async def page(
    request: Request, session: ConsoleSession, status_code: int = 200, **context: Any
) -> HTMLResponse:
    copilot = request.app.state.copilot
    is_admin = session.role.allows(Role.admin)
    profile = context.pop("profile", None) or await run_sync(
        request, copilot.profile, session.community
    )
    keys = (
        await key_routes.list_keys(request, session.community, request.app.state.keys)
        if is_admin
        else []
    )
    config = (
        await key_routes.community_settings(session.community, request.app.state.settings)
        if is_admin
        else None
    )
    return render(
        request,
        "settings.html",
        session,
        status_code,
        profile=profile,
        community_types=COMMUNITY_TYPES,
        routes=await run_sync(request, _routes, request, session.community),
        keys=keys,
        config=config,
        is_admin=is_admin,
        eval_runs=await run_sync(request, eval_runs(request).runs, session.community),
        suites=list(shipped_suites()),
        **context,
    )


@router.get("", response_class=HTMLResponse)
async def settings_page(request: Request, session: Session) -> HTMLResponse:
    return await page(request, session)


@router.post("/profile", response_model=None)
async def save_profile(request: Request, session: Session, form: CsrfForm) -> Response:
    sent = set(form.data.keys())
    # A field left out of the form stays as it is; an empty choice means "unchanged" too.
    changes: dict[str, Any] = {f: form.text(f) for f in TEXT_FIELDS if f in sent}
    changes |= {f: None for f in CHOICES if not changes.get(f)}
    changes |= {f: split_list(form.text(f).replace("\n", ",")) for f in LIST_FIELDS if f in sent}
    copilot = request.app.state.copilot
    try:
        await run_sync(request, copilot.set_profile, session.community, **changes)
    except InputError as exc:
        return await page(request, session, 422, error=str(exc))
    return redirect(PREFIX + "/settings", "profile_saved")


@router.post("/keys", response_class=HTMLResponse)
async def create_key(request: Request, session: AdminSession, form: CsrfForm) -> HTMLResponse:
    try:
        body = KeyIn(role=form.text("role"), name=form.text("name"))  # type: ignore[arg-type]
        created = await key_routes.create_key(
            request, body, session.community, request.app.state.keys
        )
    except (ApiError, ValueError) as exc:
        message = exc.message if isinstance(exc, ApiError) else str(exc)
        return await page(request, session, 422, error=message)
    return await page(request, session, created=created)


@router.post("/keys/revoke", response_model=None)
async def revoke_key(request: Request, session: AdminSession, form: CsrfForm) -> Response:
    key_id = form.text("id")[:64]
    if key_id == session.key_id:
        return await page(request, session, 409, error="error.own_key")
    try:
        await key_routes.revoke_key(request, key_id, session.community, request.app.state.keys)
    except ApiError as exc:
        return await page(request, session, exc.status, error=exc.message)
    return redirect(PREFIX + "/settings", "key_revoked", id=key_id)
