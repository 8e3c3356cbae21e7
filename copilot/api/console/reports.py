"""Evaluation reports in Settings: run the shipped suites (admins), open a run's HTML report,
compare two runs. Runs are kept per community (``eval_runs``); a run id of another community
reads as unknown."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from copilot.api.console.eval_runs import EvalBusy, EvalRuns
from copilot.api.console.web import PREFIX, AdminSession, CsrfForm, Session, redirect
from copilot.api.deps import run_sync
from copilot.api.errors import input_error_status
from copilot.errors import InputError
from copilot.keys.sessions import ConsoleSession

router = APIRouter(prefix=PREFIX + "/settings/evals", include_in_schema=False)
# The harness's report carries its own inline style and script: it runs sandboxed (an opaque
# origin, so it can read no cookie and call nothing of the console) and loads nothing else.
REPORT_HEADERS = {
    "Content-Security-Policy": (
        "sandbox allow-scripts; default-src 'none'; style-src 'unsafe-inline'; "
        "script-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def eval_runs(request: Request) -> EvalRuns:
    runs = getattr(request.app.state, "eval_runs", None)
    if runs is None:
        runs = EvalRuns(Path(request.app.state.settings.data_dir) / "eval-runs")
        request.app.state.eval_runs = runs
    return runs


async def _settings_error(
    request: Request, session: ConsoleSession, status: int, message: str
) -> HTMLResponse:
    from copilot.api.console.settings import page

    return await page(request, session, status, error=message)


@router.post("/run", response_model=None)
async def run(request: Request, session: AdminSession, form: CsrfForm) -> Response:
    suites = [s for s in form.data.getlist("suite") if isinstance(s, str)]
    by = f"key:{session.key_id}"
    try:
        run_id = await run_sync(request, eval_runs(request).start, session.community, suites, by)
    except EvalBusy as exc:
        return await _settings_error(request, session, 409, str(exc))
    except InputError as exc:
        return await _settings_error(request, session, input_error_status(exc), str(exc))
    return redirect(PREFIX + "/settings", "eval_started", id=run_id)


@router.get("/{run_id}/report", response_model=None)
async def report(request: Request, session: Session, run_id: str) -> Response:
    try:
        path = eval_runs(request).report(session.community, run_id)
    except InputError as exc:
        return await _settings_error(request, session, input_error_status(exc), str(exc))
    html = await run_sync(request, path.read_text, "utf-8")
    return HTMLResponse(html, headers=REPORT_HEADERS)


@router.post("/compare", response_model=None)
async def compare(request: Request, session: Session, form: CsrfForm) -> Response:
    a, b = form.text("a")[:32], form.text("b")[:32]
    runs = eval_runs(request)
    try:
        await run_sync(request, runs.compare, session.community, a, b)
    except InputError as exc:
        return await _settings_error(request, session, input_error_status(exc), str(exc))
    return redirect(f"{PREFIX}/settings/evals/{b}/compare/{a}")


@router.get("/{b}/compare/{a}", response_model=None)
async def comparison(request: Request, session: Session, a: str, b: str) -> Response:
    try:
        path = eval_runs(request).comparison(session.community, a, b)
    except InputError as exc:
        return await _settings_error(request, session, input_error_status(exc), str(exc))
    html = await run_sync(request, path.read_text, "utf-8")
    return HTMLResponse(html, headers=REPORT_HEADERS)
