"""The operator console: the copilot in a browser, served by ``copilot serve`` at /console/.

Server-rendered pages (Jinja templates, texts from ``locales/``) over the same handlers and
facade the HTTP API uses, scoped to the signed-in key's community. Every asset ships in
``static/`` (htmx is vendored), so the console works with the network unplugged.
"""

from __future__ import annotations

from importlib.resources import files
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles

from copilot.api.console import (
    ask,
    auth,
    create,
    knowledge,
    overview,
    questions,
    queues,
    reports,
    settings,
)
from copilot.api.console.web import PREFIX, Forbidden, SignInRequired, render

ROUTERS = (
    auth.router,
    overview.router,
    knowledge.router,
    ask.router,
    questions.router,
    queues.router,
    create.router,
    reports.router,
    settings.router,
)


def install_console(app: FastAPI) -> None:
    """Mount the console's pages, its static files and its sign-in redirect on `app`."""
    for router in ROUTERS:
        app.include_router(router)
    static = StaticFiles(directory=str(files("copilot.api.console") / "static"))
    app.mount(PREFIX + "/static", static, name="console-static")

    @app.get(PREFIX, include_in_schema=False)
    async def console_root() -> RedirectResponse:
        return RedirectResponse(PREFIX + "/", status_code=308)

    @app.exception_handler(SignInRequired)
    async def sign_in(_: Request, exc: SignInRequired) -> RedirectResponse:
        return RedirectResponse(f"{PREFIX}/login?next={quote(exc.next_path)}", status_code=303)

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, exc: Forbidden) -> HTMLResponse:
        return render(request, "forbidden.html", None, 403, error=exc.message_key)
