"""Sign in with an operator or admin API key, sign out, and switch the language."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from copilot.api.console.i18n import LANG_COOKIE, LANGUAGES
from copilot.api.console.web import (
    PREFIX,
    SECURITY_HEADERS,
    SESSION_COOKIE,
    CsrfForm,
    Session,
    redirect,
    render,
    same_origin,
    sessions,
)
from copilot.api.deps import run_sync
from copilot.keys import Role

router = APIRouter(prefix=PREFIX, include_in_schema=False)
MAX_KEY = 200


def _next_path(value: str | None) -> str:
    """Only a console page of this server; never an open redirect elsewhere."""
    if value and value.startswith(PREFIX + "/") and not value.startswith("//"):
        return value if "\\" not in value else PREFIX + "/"
    return PREFIX + "/"


@router.get("/login", response_class=HTMLResponse)
async def login_page(request: Request) -> HTMLResponse:
    return render(request, "login.html", None, next=_next_path(request.query_params.get("next")))


@router.post("/login", response_class=HTMLResponse, response_model=None)
async def login(request: Request) -> Response:
    """Exchange the form field ``key`` for a session cookie; 303 to the console."""
    form = await request.form()
    key = form.get("key")
    key = key.strip() if isinstance(key, str) else ""
    next_path = _next_path(str(form.get("next") or ""))

    def refuse(status: int, message: str) -> HTMLResponse:
        return render(request, "login.html", None, status, error=message, next=next_path)

    if not same_origin(request):
        return refuse(403, "error.other_origin")
    if not key:
        return refuse(422, "error.no_key")
    info = None
    if len(key) <= MAX_KEY:
        info = await run_sync(request, request.app.state.keys.authenticate, key)
    if info is None:
        admin = request.app.state.settings.admin_token
        if admin is not None and key == admin.get_secret_value():
            return refuse(403, "error.admin_token")
        return refuse(401, "error.bad_key")
    if not info.role.allows(Role.operator):
        return refuse(403, "error.member_key")
    token, _ = await run_sync(request, sessions(request).open, info)
    response = RedirectResponse(next_path, status_code=303, headers=SECURITY_HEADERS)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(sessions(request).lifetime.total_seconds()),
        path=PREFIX,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )
    return response


@router.post("/logout", response_model=None)
async def logout(request: Request, session: Session, form: CsrfForm) -> Response:
    token = request.cookies.get(SESSION_COOKIE, "")
    await run_sync(request, sessions(request).close, token)
    response = redirect(PREFIX + "/login", "signed_out")
    response.delete_cookie(SESSION_COOKIE, path=PREFIX, httponly=True, samesite="lax")
    return response


@router.get("/lang/{code}", response_model=None)
async def switch_language(request: Request, code: str) -> Response:
    """Remember the chosen language and go back to the page the switcher was on."""
    wanted = request.query_params.get("next")
    back = PREFIX + "/login" if wanted == PREFIX + "/login" else _next_path(wanted)
    response = RedirectResponse(back, status_code=303, headers=SECURITY_HEADERS)
    if code in LANGUAGES:
        response.set_cookie(LANG_COOKIE, code, max_age=365 * 86400, path=PREFIX, samesite="lax")
    return response
