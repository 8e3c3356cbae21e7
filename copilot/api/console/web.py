"""What every console page shares: templates, the signed-in session, CSRF, and safe headers.

Pages are rendered on the server from Jinja templates; every text comes from the translation
files. A page without a session redirects to the sign-in page; every form carries the session's
CSRF token and a POST without it is refused before anything happens.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from importlib.resources import files
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.datastructures import FormData

from copilot.api.console.i18n import LANG_COOKIE, LANGUAGES, Translator, pick_language
from copilot.keys import Role
from copilot.keys.sessions import ConsoleSession, SessionStore

SESSION_COOKIE = "copilot_console"
PREFIX = "/console"
# Everything from our own origin: no CDN, no inline script, nothing framed elsewhere.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}
NAV = (
    ("overview", "/console/"),
    ("knowledge", "/console/knowledge"),
    ("ask", "/console/ask"),
    ("questions", "/console/questions"),
    ("faq", "/console/faq"),
    ("reviews", "/console/reviews"),
    ("create", "/console/create"),
    ("settings", "/console/settings"),
)


class SignInRequired(Exception):
    """No live session: the handler redirects to the sign-in page."""

    def __init__(self, next_path: str) -> None:
        self.next_path = next_path


class Forbidden(Exception):
    """A signed-in operator asked for what their key may not do (or a bad CSRF token)."""

    def __init__(self, message_key: str) -> None:
        self.message_key = message_key


@cache
def environment() -> Environment:
    folder = str(files("copilot.api.console") / "templates")
    return Environment(
        loader=FileSystemLoader(folder),
        autoescape=select_autoescape(["html", "svg"], default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def sessions(request: Request) -> SessionStore:
    store = getattr(request.app.state, "console_sessions", None)
    if store is None:
        hours = request.app.state.settings.console_session_hours
        store = SessionStore(request.app.state.copilot.db, timedelta(hours=hours))
        request.app.state.console_sessions = store
    return store


def language(request: Request) -> str:
    return pick_language(request.cookies.get(LANG_COOKIE), request.headers.get("accept-language"))


async def console_session(request: Request) -> ConsoleSession:
    """The signed-in operator, or a redirect to the sign-in page."""
    from copilot.api.deps import run_sync

    token = request.cookies.get(SESSION_COOKIE, "")
    found = await run_sync(request, sessions(request).find, token) if token else None
    if found is None:
        raise SignInRequired(request.url.path)
    request.state.key_id = found.key_id  # the access log names the key, as for the API
    return found


Session = Annotated[ConsoleSession, Depends(console_session)]


async def admin_session(session: Session) -> ConsoleSession:
    if not session.role.allows(Role.admin):
        raise Forbidden("error.admin_only")
    return session


AdminSession = Annotated[ConsoleSession, Depends(admin_session)]


@dataclass(frozen=True)
class Form:
    """A posted form whose CSRF token matched the session's."""

    data: FormData

    def text(self, name: str, default: str = "") -> str:
        value = self.data.get(name)
        return value.strip() if isinstance(value, str) else default


async def checked_form(request: Request, session: Session) -> Form:
    data = await request.form()
    sent = data.get("csrf")
    if not isinstance(sent, str) or not hmac.compare_digest(sent, session.csrf):
        raise Forbidden("error.csrf")
    return Form(data)


CsrfForm = Annotated[Form, Depends(checked_form)]


def render(
    request: Request,
    template: str,
    session: ConsoleSession | None,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    lang = language(request)
    t = Translator(lang)
    page = environment().get_template(template)
    html = page.render(
        t=t,
        lang=lang,
        languages=LANGUAGES,
        session=session,
        nav=NAV,
        path=request.url.path,
        notice=notice(request, t),
        **context,
    )
    return HTMLResponse(html, status_code=status_code, headers=SECURITY_HEADERS)


def notice(request: Request, t: Translator) -> str:
    """The outcome of the last action, passed along a redirect as ?done=<key>&arg=..."""
    done = request.query_params.get("done", "")
    if not done.isidentifier():
        return ""
    values = {k: v[:200] for k, v in request.query_params.items() if k not in ("done",)}
    try:
        return t(f"done.{done}", **values)
    except (KeyError, IndexError):
        return t(f"done.{done}")


def redirect(path: str, done: str = "", **values: object) -> RedirectResponse:
    """303 See Other: the browser GETs the page after a form (a reload repeats nothing)."""
    if done:
        query = "&".join(f"{k}={quote(str(v))}" for k, v in {"done": done, **values}.items())
        path = f"{path}?{query}"
    return RedirectResponse(path, status_code=303, headers=SECURITY_HEADERS)


def same_origin(request: Request) -> bool:
    """A browser's POST names its Origin; one from another site is refused (login CSRF)."""
    origin = request.headers.get("origin")
    if not origin or origin == "null":
        return origin is None
    host = request.headers.get("host", "")
    return origin.split("://", 1)[-1] == host
